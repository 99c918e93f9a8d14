/* One --mask job, and writing a matte anywhere (a file, or standard output). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/report.h"
#include "cli/run.h"
#include "core/clock.h"
#include "core/error.h"

/* Copies a finished file to stdout; the matte writer only writes to paths. */
static int copy_to_stdout(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char buf[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (fwrite(buf, 1, n, stdout) != n) {
            rc = -1;
            break;
        }
    if (ferror(f))
        rc = -1;
    fclose(f);
    if (fflush(stdout) != 0)
        rc = -1;
    return rc;
}

static sc_status write_matte_stdout(const sc_matte *matte, sc_error *err)
{
    const char *tmp = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/skychange-XXXXXX.png", tmp && tmp[0] ? tmp : "/tmp");
    int fd = mkstemps(path, 4);
    if (fd < 0) {
        return sc_fail(err, SC_ERR_IO, "%s: cannot create a temporary file: %s", path,
                       strerror(errno));
    }
    close(fd);
    sc_status s = sc_matte_write(path, matte, err);
    if (s == SC_OK && copy_to_stdout(path) != 0) {
        s = sc_fail(err, SC_ERR_IO, "standard output: write error (%s)", strerror(errno));
    }
    unlink(path);
    return s;
}

cli_outcome cli_write_matte(cli_context *ctx, const char *path, const sc_matte *matte)
{
    sc_error err = {0};
    double start = sc_now();
    sc_status s = strcmp(path, "-") == 0 ? write_matte_stdout(matte, &err)
                                         : sc_matte_write(path, matte, &err);
    ctx->job_timings.encode += sc_now() - start;
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
    double start = sc_now();
    sc_status s = sc_image_read(job->scene, &img, &err);
    ctx->job_timings.decode += sc_now() - start;
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
    cli_outcome outcome = cli_write_matte(ctx, job->output, &matte);
    sc_matte_free(&matte);
    return outcome;
}
