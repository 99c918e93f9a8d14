/* Carrying out the plan: the shared state of a run and one job at a time. */
#ifndef SC_CLI_RUN_H
#define SC_CLI_RUN_H

#include <limits.h>

#include "cli/args.h"
#include "cli/plan.h"
#include "skychange.h"

typedef enum cli_outcome {
    CLI_DONE,         /* result written */
    CLI_DONE_NO_SKY,  /* the scene had no sky: written unchanged, with a warning */
    CLI_SKIPPED,      /* --skip-existing and the output was there */
    CLI_FAILED,       /* reported; the batch goes on */
    CLI_MODEL_FAILED  /* reported; the run stops with CLI_EXIT_MODEL */
} cli_outcome;

typedef struct cli_context {
    const cli_args *args;
    sc_options options;
    sc_model *model; /* loaded on first need */
    int model_failed;
    char model_path[PATH_MAX + 256];
    /* The last sky photo and its matte, reused while jobs name the same sky. */
    char *sky_path, *sky_alpha_path;
    sc_image sky;
    sc_matte sky_matte;
    sc_status sky_status;
    char sky_message[512];
    sc_timings total_timings; /* all jobs' stages */
    int last_job; /* the job running is the plan's last: no matte follows its own */
} cli_context;

void cli_context_init(cli_context *ctx, const cli_args *args);
void cli_context_free(cli_context *ctx);
/* The model, loading it on first use; errors are reported here. */
sc_model *cli_context_model(cli_context *ctx);

/* 1 when the sky photo (and matte file) of a job are the cached ones. */
int cli_context_has_sky(const cli_context *ctx, const char *sky_path, const char *sky_alpha);
/* The sky photo and its matte for a job, cached across jobs (a failure too:
 * *known_failure is then set). *model_error is set when the model failed. */
sc_status cli_context_sky(cli_context *ctx, const char *sky_path, const char *sky_alpha,
                          int *model_error, int *known_failure, sc_error *err);
/* The blender found no usable sky in the cached sky photo: every later job
 * with it fails at once with the same message. */
void cli_context_sky_unusable(cli_context *ctx, const sc_error *err);
/* Reads matte_path, or computes the matte of img when it is NULL, and checks
 * its size (get_matte.c). *model_error is set when the model is the problem. */
sc_status cli_get_matte(cli_context *ctx, const char *picture, const sc_image *img,
                        const char *matte_path, sc_matte *out, int *model_error, sc_error *err);

/* One job (job.c): reports its own errors and warnings. */
cli_outcome cli_run_job(cli_context *ctx, const cli_job *job);
/* One --mask job (job_mask.c). */
cli_outcome cli_run_mask_job(cli_context *ctx, const cli_job *job);

/* Writes a matte to a file or "-" (standard output); reports failures. */
cli_outcome cli_write_matte(const char *path, const sc_matte *matte);

/* All jobs with progress and summary (run_plan.c); returns the exit status. */
int cli_run_plan(cli_context *ctx, const cli_plan *plan);

/* "decode 0.01 s, coarse ..., total ..." on stderr (timings.c). */
void cli_print_timings(const char *label, const sc_timings *t);
void cli_timings_add(sc_timings *sum, const sc_timings *t);

#endif
