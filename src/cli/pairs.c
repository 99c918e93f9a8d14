/*
 * The --pairs list: one job per line, fields separated by TABs:
 *   scene  sky  output  [scene matte  [sky matte]]
 * '#' starts a comment line; blank lines are ignored; a matte field of "-"
 * (or empty) means "compute it". Relative paths are relative to the folder
 * of the list file ("-": standard input, paths relative to the current folder).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/exit_codes.h"
#include "cli/output_type.h"
#include "cli/paths.h"
#include "cli/plan.h"
#include "cli/report.h"

enum { MAX_FIELDS = 5 };

static int is_blank_or_comment(const char *line)
{
    while (*line == ' ' || *line == '\t')
        line++;
    return *line == '\0' || *line == '#';
}

/* Splits line in place at TABs; returns the number of fields (at most MAX_FIELDS + 1). */
static int split_fields(char *line, char *fields[MAX_FIELDS + 1])
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == MAX_FIELDS + 1)
            return n;
        fields[n++] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            return n;
        *tab = '\0';
        p = tab + 1;
    }
}

static char *resolve(const char *folder, const char *field)
{
    if (field[0] == '\0' || strcmp(field, "-") == 0)
        return NULL;
    if (strcmp(folder, ".") == 0)
        return cli_strdup(field);
    return cli_path_join(folder, field);
}

static int add_line(const char *list, long number, char *line, const char *folder,
                    cli_plan *plan)
{
    char *fields[MAX_FIELDS + 1] = {0};
    int n = split_fields(line, fields);
    if (n < 3 || n > MAX_FIELDS) {
        cli_error(list, "line %ld: expected scene<TAB>sky<TAB>output"
                  " [<TAB>scene matte [<TAB>sky matte]], found %d field%s",
                  number, n, n == 1 ? "" : "s");
        return CLI_EXIT_USAGE;
    }
    for (int i = 0; i < 3; i++) {
        if (fields[i][0] == '\0') {
            cli_error(list, "line %ld: field %d is empty", number, i + 1);
            return CLI_EXIT_USAGE;
        }
    }
    if (cli_output_type_ok(CLI_MODE_REPLACE, fields[2]) != 1) {
        char why[192], ext[8];
        cli_error(list, "line %ld: %s: %s", number, fields[2],
                  cli_output_refusal(CLI_MODE_REPLACE, cli_path_ext(fields[2], ext, sizeof ext),
                                     "output", why, sizeof why));
        return CLI_EXIT_USAGE;
    }
    cli_job job = {0};
    job.scene = resolve(folder, fields[0]);
    job.sky = resolve(folder, fields[1]);
    job.output = resolve(folder, fields[2]);
    job.scene_alpha = n > 3 ? resolve(folder, fields[3]) : NULL;
    job.sky_alpha = n > 4 ? resolve(folder, fields[4]) : NULL;
    int rc = 0;
    if (!job.scene || !job.sky || !job.output || cli_plan_add(plan, &job) != 0) {
        cli_error(NULL, "out of memory");
        rc = CLI_EXIT_FAILED;
    }
    free(job.scene);
    free(job.sky);
    free(job.output);
    free(job.scene_alpha);
    free(job.sky_alpha);
    return rc;
}

int cli_pairs_read(const char *list, cli_plan *plan)
{
    int from_stdin = strcmp(list, "-") == 0;
    FILE *f = from_stdin ? stdin : fopen(list, "r");
    if (!f) {
        cli_error(list, "cannot open the pairs list: %s", strerror(errno));
        return CLI_EXIT_USAGE;
    }
    if (from_stdin)
        list = "standard input";
    char *folder = from_stdin ? cli_strdup(".") : cli_path_dirname(list);
    char *line = NULL;
    size_t size = 0;
    long number = 0;
    int rc = folder ? 0 : CLI_EXIT_FAILED;
    ssize_t len;
    while (!rc && (len = getline(&line, &size, f)) != -1) {
        number++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if ((size_t)len != strlen(line)) {
            cli_error(list, "line %ld: contains a NUL byte", number);
            rc = CLI_EXIT_USAGE;
        } else if (!is_blank_or_comment(line)) {
            rc = add_line(list, number, line, folder, plan);
        }
    }
    if (!rc && ferror(f)) {
        cli_error(list, "read error: %s", strerror(errno));
        rc = CLI_EXIT_USAGE;
    }
    free(line);
    free(folder);
    if (!from_stdin)
        fclose(f);
    return rc;
}
