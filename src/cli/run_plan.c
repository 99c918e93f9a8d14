/* Runs every job of the plan, counts outcomes, prints the summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/exit_codes.h"
#include "cli/interrupt.h"
#include "cli/paths.h"
#include "cli/progress.h"
#include "cli/report.h"
#include "cli/run.h"

enum { MAX_LISTED_FAILURES = 20 };

typedef struct tally {
    size_t done, no_sky, skipped, failed;
    const char **failed_names; /* the first MAX_LISTED_FAILURES */
} tally;

static void count(tally *t, const cli_job *job, cli_outcome outcome)
{
    switch (outcome) {
    case CLI_DONE_NO_SKY: t->no_sky++; /* fall through */
    case CLI_DONE: t->done++; break;
    case CLI_SKIPPED: t->skipped++; break;
    case CLI_FAILED:
    case CLI_MODEL_FAILED:
        if (t->failed < MAX_LISTED_FAILURES)
            t->failed_names[t->failed] = job->scene;
        t->failed++;
        break;
    }
}

static void summarise(const cli_context *ctx, const cli_plan *plan, const tally *t,
                      double seconds)
{
    const cli_args *a = ctx->args;
    char shard[64] = "";
    if (a->shard_count > 1)
        snprintf(shard, sizeof shard, " (shard %d/%d of %zu inputs)", a->shard_index,
                 a->shard_count, plan->total);
    char no_sky[64] = "";
    if (t->no_sky)
        snprintf(no_sky, sizeof no_sky, " (%zu without sky, left unchanged)", t->no_sky);
    cli_info("%zu succeeded%s, %zu failed, %zu skipped of %zu%s in %.1f s", t->done, no_sky,
             t->failed, t->skipped, plan->count, shard, seconds);
    for (size_t i = 0; i < t->failed && i < MAX_LISTED_FAILURES; i++)
        cli_info("failed: %s", t->failed_names[i]);
    if (t->failed > MAX_LISTED_FAILURES)
        cli_info("failed: ... and %zu more", t->failed - MAX_LISTED_FAILURES);
}

static cli_outcome run_one(cli_context *ctx, const cli_job *job, int batch)
{
    if (ctx->args->skip_existing && strcmp(job->output, "-") != 0 && cli_exists(job->output)) {
        cli_verbose("%s: skipped, %s exists", job->scene, job->output);
        return CLI_SKIPPED;
    }
    sc_timings *library = sc_timings_thread();
    *library = (sc_timings){0};
    cli_outcome outcome = job->sky ? cli_run_job(ctx, job) : cli_run_mask_job(ctx, job);
    sc_timings job_timings = *library;
    cli_timings_add(&ctx->total_timings, &job_timings);
    /* In a batch, per-file figures only with -v; the totals come at the end. */
    if (ctx->args->timings && outcome != CLI_MODEL_FAILED && (!batch || ctx->args->verbosity > 0))
        cli_print_timings(batch ? job->scene : NULL, &job_timings);
    return outcome;
}

int cli_run_plan(cli_context *ctx, const cli_plan *plan)
{
    const cli_args *a = ctx->args;
    const char *names[MAX_LISTED_FAILURES];
    tally t = {0, 0, 0, 0, names};
    cli_progress progress;
    cli_progress_start(&progress, plan->count, plan->batch && a->verbosity >= 0);
    cli_progress_show(&progress);
    double start = sc_monotonic_seconds();
    int model_failed = 0;
    if (plan->batch)
        cli_interrupt_install();
    for (size_t i = 0; i < plan->count && !model_failed && !cli_interrupted(); i++) {
        double job_start = sc_monotonic_seconds();
        ctx->last_job = i + 1 == plan->count;
        cli_outcome outcome = run_one(ctx, &plan->jobs[i], plan->batch);
        count(&t, &plan->jobs[i], outcome);
        double seconds = sc_monotonic_seconds() - job_start;
        cli_progress_file(&progress, &plan->jobs[i], outcome, seconds);
        if (!plan->batch && (outcome == CLI_DONE || outcome == CLI_DONE_NO_SKY))
            cli_verbose("%s -> %s (%.2f s)", plan->jobs[i].scene, plan->jobs[i].output, seconds);
        model_failed = outcome == CLI_MODEL_FAILED;
    }
    cli_progress_end(&progress);
    if (plan->batch) {
        if (plan->total == 0)
            cli_warn(NULL, "no pictures to process");
        else
            summarise(ctx, plan, &t, sc_monotonic_seconds() - start);
        if (model_failed)
            cli_info("stopped: the model could not be used");
        else if (cli_interrupted())
            cli_info("stopped by signal %d; run again with --skip-existing to go on",
                     cli_interrupted());
        if (a->timings)
            cli_print_timings("(all files)", &ctx->total_timings);
    }
    if (model_failed)
        return CLI_EXIT_MODEL;
    if (cli_interrupted())
        return 128 + cli_interrupted();
    return t.failed ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}
