/*
 * The --pairs list (cli_pairs_read): lines, TAB-separated fields, comments,
 * CR/LF endings, NUL bytes, relative paths joined to the list's folder; then
 * the whole-plan checks a list goes through (outputs distinct, no input
 * overwritten), which only stat paths. The list is read by path, so the
 * input goes through a memfd.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/exit_codes.h"
#include "cli/output_type.h"
#include "cli/plan.h"
#include "helper_fuzz.h"

static void check_job(const cli_job *job)
{
    if (!job->scene || !job->sky || !job->output || job->save_alpha ||
        cli_output_type_ok(CLI_MODE_REPLACE, job->output) != 1) {
        fprintf(stderr, "bad job: scene %s, sky %s, output %s\n",
                job->scene ? job->scene : "(null)", job->sky ? job->sky : "(null)",
                job->output ? job->output : "(null)");
        abort();
    }
}

int fuzz_pairs_one(const uint8_t *data, size_t size)
{
    const char *path = fuzz_input_path(data, size);
    cli_plan plan;
    memset(&plan, 0, sizeof plan);
    fuzz_quiet_begin();
    int rc = cli_pairs_read(path, &plan);
    if (rc == 0)
        rc = cli_plan_check(&plan);
    fuzz_quiet_end();
    if (rc != 0 && rc != CLI_EXIT_USAGE && rc != CLI_EXIT_FAILED) {
        fprintf(stderr, "unexpected exit status %d\n", rc);
        abort();
    }
    for (size_t i = 0; i < plan.count; i++)
        check_job(&plan.jobs[i]);
    cli_plan_free(&plan);
    return 0;
}

#ifndef FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_pairs_one(data, size);
}
#endif
