/* One --mask job, and writing a matte anywhere (a file, or standard output). */
#include <stdio.h>
#include <string.h>

#include "cli/report.h"
#include "cli/run.h"

cli_outcome cli_write_matte(const char *path, const sc_matte *matte)
{
    sc_error err = {0};
    sc_status s = strcmp(path, "-") == 0
                      ? sc_matte_write_stream(stdout, "standard output", matte, SC_FILE_PNG, &err)
                      : sc_matte_write(path, matte, &err);
    if (s != SC_OK) {
        cli_error_sc(path, &err);
        return CLI_FAILED;
    }
    return CLI_DONE;
}

cli_outcome cli_run_mask_job(cli_context *ctx, const cli_job *job)
{
    sc_error err = {0};
    sc_image img = {0};
    sc_status s = sc_image_read(job->scene, &img, &err);
    if (s != SC_OK) {
        cli_error_sc(job->scene, &err);
        return CLI_FAILED;
    }
    sc_matte matte = {0};
    int model_error = 0;
    s = cli_get_matte(ctx, job->scene, &img, NULL, &matte, &model_error, &err);
    sc_image_free(&img);
    if (s != SC_OK) {
        if (!model_error) {
            cli_error_sc(job->scene, &err);
            return CLI_FAILED;
        }
        if (!ctx->model_failed)
            cli_error_sc(ctx->model_path, &err);
        ctx->model_failed = 1;
        return CLI_MODEL_FAILED;
    }
    cli_outcome outcome = cli_write_matte(job->output, &matte);
    sc_matte_free(&matte);
    return outcome;
}
