/*
 * The plan: one job per input picture, built from the arguments (files,
 * folders or a pairs list), checked as a whole, then cut to this shard.
 */
#ifndef SC_CLI_PLAN_H
#define SC_CLI_PLAN_H

#include <stddef.h>

#include "cli/args.h"
#include "cli/string_pool.h"

typedef struct cli_job {
    char *scene;       /* the picture to change, or to matte with --mask */
    char *sky;         /* NULL with --mask */
    char *output;      /* "-": standard output */
    char *scene_alpha; /* a supplied scene matte, or NULL: compute it */
    char *sky_alpha;   /* a supplied sky matte, or NULL: compute it */
    char *save_alpha;  /* where to write the scene matte too, or NULL */
} cli_job;

typedef struct cli_plan {
    cli_job *jobs;
    size_t count, capacity;
    cli_string_pool strings; /* every job's paths */
    size_t total; /* jobs before sharding */
    int batch;    /* several inputs, a folder or a pairs list */
} cli_plan;

/* Builds, checks and shards the plan. Returns 0 or an exit status after
 * reporting the problem. */
int cli_plan_build(const cli_args *args, cli_plan *plan);
void cli_plan_free(cli_plan *plan);

/* Appends a job; every field is copied into plan->strings (NULLs stay NULL),
 * and one equal to the same field of the job before is shared. 0 or -1. */
int cli_plan_add(cli_plan *plan, const cli_job *job);

/* Reads a pairs list into the plan (pairs.c). Returns 0 or CLI_EXIT_USAGE. */
int cli_pairs_read(const char *list_path, cli_plan *plan);

/* Whole-plan checks (plan_check.c): no output may overwrite an input, no two
 * jobs may write the same file. Returns 0 or CLI_EXIT_USAGE. */
int cli_plan_check(const cli_plan *plan);

#endif
