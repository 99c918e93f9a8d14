/* Whole-plan checks, done before any work so that every shard agrees. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/exit_codes.h"
#include "cli/paths.h"
#include "cli/plan.h"
#include "cli/report.h"

typedef struct file_id {
    dev_t dev;
    ino_t ino;
    const char *path;
} file_id;

typedef struct named_key {
    char *key;
    const char *path;
    size_t job;
} named_key;

static int compare_ids(const void *pa, const void *pb)
{
    const file_id *a = pa, *b = pb;
    if (a->dev != b->dev)
        return a->dev < b->dev ? -1 : 1;
    if (a->ino != b->ino)
        return a->ino < b->ino ? -1 : 1;
    return 0;
}

static int compare_keys(const void *pa, const void *pb)
{
    const named_key *a = pa, *b = pb;
    int c = strcmp(a->key, b->key);
    if (c)
        return c;
    return a->job < b->job ? -1 : a->job > b->job;
}

static void add_id(file_id *ids, size_t *n, const char *path)
{
    struct stat st;
    if (path && strcmp(path, "-") != 0 && stat(path, &st) == 0) {
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
    for (size_t i = 0; i < plan->count; i++) {
        const cli_job *job = &plan->jobs[i];
        add_id(ids, &n, job->scene);
        add_id(ids, &n, job->sky);
        add_id(ids, &n, job->scene_alpha);
        add_id(ids, &n, job->sky_alpha);
    }
    qsort(ids, n, sizeof *ids, compare_ids);
    int rc = 0;
    for (size_t i = 0; !rc && i < plan->count; i++) {
        const char *outs[2] = {plan->jobs[i].output, plan->jobs[i].save_alpha};
        for (int k = 0; k < 2 && !rc; k++) {
            file_id probe[1];
            size_t m = 0;
            add_id(probe, &m, outs[k]);
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

/* No two jobs (or a job's picture and matte) may write the same file. */
static int check_outputs_distinct(const cli_plan *plan)
{
    named_key *keys = calloc(2 * plan->count + 1, sizeof *keys);
    if (!keys) {
        cli_error(NULL, "out of memory");
        return CLI_EXIT_FAILED;
    }
    size_t n = 0;
    int rc = 0;
    for (size_t i = 0; !rc && i < plan->count; i++) {
        const char *outs[2] = {plan->jobs[i].output, plan->jobs[i].save_alpha};
        for (int k = 0; k < 2; k++) {
            if (!outs[k] || strcmp(outs[k], "-") == 0)
                continue;
            keys[n].key = cli_path_key(outs[k]);
            keys[n].path = outs[k];
            keys[n].job = i;
            if (!keys[n++].key) {
                cli_error(NULL, "out of memory");
                rc = CLI_EXIT_FAILED;
                break;
            }
        }
    }
    if (!rc) {
        qsort(keys, n, sizeof *keys, compare_keys);
        for (size_t i = 1; i < n; i++) {
            if (strcmp(keys[i - 1].key, keys[i].key) == 0) {
                const cli_job *a = &plan->jobs[keys[i - 1].job];
                const cli_job *b = &plan->jobs[keys[i].job];
                if (a == b)
                    cli_usage_error("%s: the result and its matte would be the same file",
                                    keys[i].path);
                else
                    cli_usage_error("%s: would be written for both %s and %s", keys[i].path,
                                    a->scene, b->scene);
                rc = CLI_EXIT_USAGE;
                break;
            }
        }
    }
    for (size_t i = 0; i < n; i++)
        free(keys[i].key);
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
