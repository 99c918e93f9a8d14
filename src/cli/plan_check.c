/* Whole-plan checks, done before any work so that every shard agrees. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/exit_codes.h"
#include "cli/paths.h"
#include "cli/plan.h"
#include "cli/report.h"
#include "cli/string_pool.h"

typedef struct file_id {
    dev_t dev;
    ino_t ino;
    const char *path;
} file_id;

/* Two outputs are the same file when their folders resolve alike and their names
 * match. Sixteen bytes, as a million-line list has a key a line. */
typedef struct output_key {
    const char *folder; /* cli_path_folder_key */
    size_t output;      /* 2 * job + 0: its output, 2 * job + 1: its save_alpha */
} output_key;

static const char *output_path(const cli_plan *plan, size_t output)
{
    const cli_job *job = &plan->jobs[output / 2];
    return output % 2 ? job->save_alpha : job->output;
}

static int compare_ids(const void *pa, const void *pb)
{
    const file_id *a = pa, *b = pb;
    if (a->dev != b->dev)
        return a->dev < b->dev ? -1 : 1;
    if (a->ino != b->ino)
        return a->ino < b->ino ? -1 : 1;
    return 0;
}

static int compare_files(const cli_plan *plan, const output_key *a, const output_key *b)
{
    int c = strcmp(a->folder, b->folder);
    if (!c)
        c = strcmp(cli_path_name(output_path(plan, a->output)),
                   cli_path_name(output_path(plan, b->output)));
    return c;
}

/* Same file together, in plan order. */
static int compare_keys(const void *pa, const void *pb, void *plan)
{
    const output_key *a = pa, *b = pb;
    int c = compare_files(plan, a, b);
    if (c)
        return c;
    return a->output < b->output ? -1 : a->output > b->output;
}

/* Adds path's file unless it is the path of the job before, shared with it
 * (cli_plan_add): a list naming one sky on every line holds it once. */
static void add_id(file_id *ids, size_t *n, const char *path, const char *before)
{
    struct stat st;
    if (path && path != before && strcmp(path, "-") != 0 && stat(path, &st) == 0) {
        ids[*n].dev = st.st_dev;
        ids[*n].ino = st.st_ino;
        ids[*n].path = path;
        (*n)++;
    }
}

/* An output that already exists must not be one of the inputs. */
static int check_inputs_kept(const cli_plan *plan)
{
    file_id *ids = malloc((4 * plan->count + 1) * sizeof *ids);
    if (!ids) {
        cli_error(NULL, "out of memory");
        return CLI_EXIT_FAILED;
    }
    size_t n = 0;
    const cli_job none = {0};
    for (size_t i = 0; i < plan->count; i++) {
        const cli_job *job = &plan->jobs[i], *before = i ? job - 1 : &none;
        add_id(ids, &n, job->scene, before->scene);
        add_id(ids, &n, job->sky, before->sky);
        add_id(ids, &n, job->scene_alpha, before->scene_alpha);
        add_id(ids, &n, job->sky_alpha, before->sky_alpha);
    }
    qsort(ids, n, sizeof *ids, compare_ids);
    int rc = 0;
    for (size_t i = 0; !rc && i < plan->count; i++) {
        const char *outs[2] = {plan->jobs[i].output, plan->jobs[i].save_alpha};
        for (int k = 0; k < 2 && !rc; k++) {
            file_id probe[1];
            size_t m = 0;
            add_id(probe, &m, outs[k], NULL);
            const file_id *hit = m ? bsearch(probe, ids, n, sizeof *ids, compare_ids) : NULL;
            if (hit && strcmp(hit->path, outs[k]) == 0) {
                cli_usage_error("%s: refusing to overwrite an input", outs[k]);
                rc = CLI_EXIT_USAGE;
            } else if (hit) {
                cli_usage_error("%s: refusing to overwrite an input (%s)", outs[k], hit->path);
                rc = CLI_EXIT_USAGE;
            }
        }
    }
    free(ids);
    return rc;
}

/* The folder key of path, stored once for a run of outputs in one folder. */
static const char *folder_key(const char *path, cli_string_pool *folders, const char **last)
{
    char *key = cli_path_folder_key(path);
    if (key && (!*last || strcmp(key, *last) != 0))
        *last = cli_string_pool_copy(folders, key);
    const char *stored = key ? *last : NULL;
    free(key);
    return stored;
}

/* No two jobs (or a job's picture and matte) may write the same file. */
static int check_outputs_distinct(const cli_plan *plan)
{
    output_key *keys = malloc((2 * plan->count + 1) * sizeof *keys);
    if (!keys) {
        cli_error(NULL, "out of memory");
        return CLI_EXIT_FAILED;
    }
    cli_string_pool folders = {0};
    const char *last_folder = NULL;
    size_t n = 0;
    int rc = 0;
    for (size_t i = 0; !rc && i < plan->count; i++) {
        const char *outs[2] = {plan->jobs[i].output, plan->jobs[i].save_alpha};
        for (int k = 0; k < 2; k++) {
            if (!outs[k] || strcmp(outs[k], "-") == 0)
                continue;
            keys[n].folder = folder_key(outs[k], &folders, &last_folder);
            keys[n].output = 2 * i + (size_t)k;
            if (!keys[n++].folder) {
                cli_error(NULL, "out of memory");
                rc = CLI_EXIT_FAILED;
                break;
            }
        }
    }
    if (!rc) {
        qsort_r(keys, n, sizeof *keys, compare_keys, (void *)plan);
        for (size_t i = 1; i < n; i++) {
            if (compare_files(plan, &keys[i - 1], &keys[i]) == 0) {
                const cli_job *a = &plan->jobs[keys[i - 1].output / 2];
                const cli_job *b = &plan->jobs[keys[i].output / 2];
                const char *path = output_path(plan, keys[i].output);
                if (a == b)
                    cli_usage_error("%s: the result and its matte would be the same file",
                                    path);
                else
                    cli_usage_error("%s: would be written for both %s and %s", path,
                                    a->scene, b->scene);
                rc = CLI_EXIT_USAGE;
                break;
            }
        }
    }
    cli_string_pool_free(&folders);
    free(keys);
    return rc;
}

int cli_plan_check(const cli_plan *plan)
{
    int rc = check_inputs_kept(plan);
    if (!rc)
        rc = check_outputs_distinct(plan);
    return rc;
}
