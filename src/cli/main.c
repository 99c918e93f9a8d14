/* skychange: replace the sky of a photo. Parses, plans, runs, reports. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/exit_codes.h"
#include "cli/plan.h"
#include "cli/report.h"
#include "cli/run.h"
#include "cli/thread_waits.h"
#include "skychange.h"

static int show_version(const cli_args *args)
{
    printf("skychange %s\n", sc_version());
    fflush(stdout);
    cli_context ctx;
    cli_context_init(&ctx, args);
    sc_model *model = cli_context_model(&ctx);
    int rc = CLI_EXIT_MODEL;
    if (model) {
        printf("model: %s\n", sc_model_describe(model));
        rc = CLI_EXIT_OK;
    }
    cli_context_free(&ctx);
    return rc;
}

static int uses_stdout(const cli_plan *plan)
{
    return plan->count == 1 && strcmp(plan->jobs[0].output, "-") == 0;
}

int main(int argc, char **argv)
{
    /* OpenBLAS's idle workers would spin beside ours for a tenth of a second. */
    (void)sc_stop_openblas_threads();
    cli_prefer_sleeping_thread_waits(argv);
    /* Over a folder, each picture's buffers reuse the last one's pages. */
    (void)sc_keep_freed_memory();
    cli_args args;
    int rc = cli_args_parse(argc, argv, &args);
    if (rc)
        return rc;
    cli_report_set_level(args.verbosity);
    if (args.show_help) {
        cli_print_help();
        cli_args_free(&args);
        return CLI_EXIT_OK;
    }
    if (args.show_version) {
        rc = show_version(&args);
        cli_args_free(&args);
        return rc;
    }
    cli_plan plan;
    rc = cli_plan_build(&args, &plan);
    if (rc) {
        cli_args_free(&args);
        return rc;
    }
    if (uses_stdout(&plan) && isatty(STDOUT_FILENO)) {
        cli_usage_error("-o -: standard output is a terminal; redirect it to a file or pipe");
        rc = CLI_EXIT_USAGE;
    } else {
        /* --threads covers the pictures' reads and writes too. */
        (void)sc_set_default_threads(args.threads);
        cli_context ctx;
        cli_context_init(&ctx, &args);
        rc = cli_run_plan(&ctx, &plan);
        cli_context_free(&ctx);
    }
    cli_plan_free(&plan);
    cli_args_free(&args);
    return rc;
}
