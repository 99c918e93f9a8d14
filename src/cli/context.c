#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/paths.h"
#include "cli/report.h"
#include "cli/run.h"

void cli_context_init(cli_context *ctx, const cli_args *args)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->args = args;
    ctx->options = args->look;
    ctx->options.threads = args->threads;
    ctx->options.compat = args->compat;
}

static void forget_sky(cli_context *ctx)
{
    free(ctx->sky_path);
    free(ctx->sky_alpha_path);
    ctx->sky_path = ctx->sky_alpha_path = NULL;
    sc_image_free(&ctx->sky);
    sc_matte_free(&ctx->sky_matte);
    memset(&ctx->sky, 0, sizeof ctx->sky);
    memset(&ctx->sky_matte, 0, sizeof ctx->sky_matte);
    ctx->sky_status = SC_OK;
    ctx->sky_message[0] = '\0';
}

void cli_context_free(cli_context *ctx)
{
    forget_sky(ctx);
    if (ctx->model)
        sc_model_free(ctx->model);
    ctx->model = NULL;
}

sc_model *cli_context_model(cli_context *ctx)
{
    if (ctx->model || ctx->model_failed)
        return ctx->model;
    sc_error err = {0};
    if (ctx->args->model) {
        snprintf(ctx->model_path, sizeof ctx->model_path, "%s", ctx->args->model);
    } else if (sc_default_model_path(ctx->model_path, sizeof ctx->model_path, &err) != SC_OK) {
        cli_error(NULL, "%s", err.msg);
        snprintf(ctx->model_path, sizeof ctx->model_path, "%s", err.msg);
        ctx->model_failed = 1;
        return NULL;
    }
    double start = sc_monotonic_seconds();
    if (sc_model_load(ctx->model_path, &ctx->model, &err) != SC_OK) {
        cli_error_sc(ctx->model_path, &err);
        ctx->model = NULL;
        ctx->model_failed = 1;
        return NULL;
    }
    cli_verbose("model %s (%s) loaded in %.3f s", ctx->model_path,
                sc_model_describe(ctx->model), sc_monotonic_seconds() - start);
    return ctx->model;
}

static int same_name(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int cli_context_has_sky(const cli_context *ctx, const char *sky_path, const char *sky_alpha)
{
    return ctx->sky_path && same_name(ctx->sky_path, sky_path) &&
           same_name(ctx->sky_alpha_path, sky_alpha);
}

sc_status cli_context_sky(cli_context *ctx, const char *sky_path, const char *sky_alpha,
                          int *model_error, int *known_failure, sc_error *err)
{
    *model_error = 0;
    *known_failure = 0;
    if (cli_context_has_sky(ctx, sky_path, sky_alpha)) {
        if (ctx->sky_status != SC_OK) {
            *known_failure = 1;
            err->status = ctx->sky_status;
            memcpy(err->msg, ctx->sky_message, sizeof err->msg);
        }
        return ctx->sky_status;
    }
    forget_sky(ctx);
    ctx->sky_path = cli_strdup(sky_path);
    ctx->sky_alpha_path = sky_alpha ? cli_strdup(sky_alpha) : NULL;
    if (!ctx->sky_path || (sky_alpha && !ctx->sky_alpha_path)) {
        forget_sky(ctx);
        return sc_error_set(err, SC_ERR_NO_MEMORY, "%s: out of memory", sky_path);
    }
    sc_status s = sc_image_read(sky_path, &ctx->sky, err);
    if (s == SC_OK && ctx->options.sky_plate)
        cli_verbose("%s: a sky plate: the whole picture is the sky, no matte computed", sky_path);
    else if (s == SC_OK)
        s = cli_get_matte(ctx, sky_path, &ctx->sky, sky_alpha, &ctx->sky_matte, model_error,
                          err);
    if (s != SC_OK && !*model_error) {
        /* Remembered, so that later jobs fail at once with the same reason. */
        ctx->sky_status = s;
        memcpy(ctx->sky_message, err->msg, sizeof ctx->sky_message);
    } else if (s != SC_OK) {
        forget_sky(ctx);
    }
    return s;
}

void cli_context_sky_unusable(cli_context *ctx, const sc_error *err)
{
    ctx->sky_status = err->status;
    memcpy(ctx->sky_message, err->msg, sizeof ctx->sky_message);
}
