/* One scene: sky photo (cached), scene matte, blend, write. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "cli/paths.h"
#include "cli/report.h"
#include "cli/run.h"

/* Reports err unless it is a model failure that was already reported. */
static cli_outcome fail(cli_context *ctx, const char *file, const sc_error *err, int model_error)
{
    if (model_error) {
        if (!ctx->model_failed)
            cli_error_sc(ctx->model_path, err);
        ctx->model_failed = 1;
        return CLI_MODEL_FAILED;
    }
    cli_error_sc(file, err);
    return CLI_FAILED;
}

static sc_status write_picture(cli_context *ctx, const char *path, const sc_image *img,
                               sc_error *err)
{
    if (strcmp(path, "-") == 0)
        return sc_image_write_stream(stdout, "standard output", img, SC_FILE_PNG, 0, err);
    return sc_image_write(path, img, ctx->args->quality, err);
}

static cli_outcome blend_and_write(cli_context *ctx, const cli_job *job, const sc_image *scene,
                                   const sc_matte *scene_matte)
{
    sc_error err = {0};
    sc_image out = {0};
    const sc_matte *sky_matte = ctx->sky_matte.alpha ? &ctx->sky_matte : NULL; /* sky plate */
    sc_status s = sc_replace_sky(scene, scene_matte, &ctx->sky, sky_matte, &ctx->options, &out,
                                 &err);
    cli_outcome outcome = CLI_DONE;
    if (s == SC_ERR_SCENE_NO_SKY) {
        cli_warn(job->scene, "the scene has no sky; written unchanged");
        outcome = CLI_DONE_NO_SKY;
    } else if (s == SC_ERR_NO_SKY) {
        cli_context_sky_unusable(ctx, &err);
        return fail(ctx, job->sky, &err, 0);
    } else if (s != SC_OK) {
        return fail(ctx, job->scene, &err, 0);
    }
    /* The result is the scene's photo: its camera, date and colour profile. */
    s = sc_image_copy_metadata(&out, scene, &err);
    if (s == SC_OK)
        s = write_picture(ctx, job->output, &out, &err);
    sc_image_free(&out);
    if (s != SC_OK)
        return fail(ctx, job->output, &err, 0);
    if (job->save_alpha && cli_write_matte(job->save_alpha, scene_matte) != CLI_DONE)
        return CLI_FAILED;
    return outcome;
}

/* The scene's picture, read on a thread of its own while the main thread
 * reads the sky photo: each decoder runs on one core, and a pair's two
 * decodes take the time of one. */
typedef struct scene_read {
    const char *path;
    int threads; /* --threads */
    sc_image img;
    sc_error err;
    sc_status status;
    double decode_s; /* the reading thread's decode time */
} scene_read;

static void *read_scene(void *arg)
{
    scene_read *r = arg;
    (void)sc_set_default_threads(r->threads);
    r->status = sc_image_read(r->path, &r->img, &r->err);
    r->decode_s = sc_timings_thread()->decode;
    return NULL;
}

cli_outcome cli_run_job(cli_context *ctx, const cli_job *job)
{
    sc_error err = {0};
    int model_error = 0, known_failure = 0;
    scene_read early = {.path = job->scene, .threads = ctx->args->threads};
    pthread_t reader;
    /* --threads 1 asks for one core: then one picture after the other. */
    const int beside = ctx->args->threads != 1 &&
                       !cli_context_has_sky(ctx, job->sky, job->sky_alpha) &&
                       pthread_create(&reader, NULL, read_scene, &early) == 0;
    sc_status s = cli_context_sky(ctx, job->sky, job->sky_alpha, &model_error, &known_failure,
                                  &err);
    if (beside) {
        /* pthread_join fails only on a thread that cannot be joined. */
        (void)pthread_join(reader, NULL);
        sc_timings_thread()->decode += early.decode_s;
    }
    if (s != SC_OK) {
        sc_image_free(&early.img);
        if (model_error)
            return fail(ctx, job->sky, &err, 1);
        /* The sky's problem was reported with the first scene; later lines
         * name their own scene, so the list of missing results stays complete. */
        if (known_failure) {
            char reason[sizeof err.msg];
            memcpy(reason, err.msg, sizeof reason);
            sc_error_set(&err, err.status, "%s: not done: %s", job->scene, reason);
        }
        return fail(ctx, job->sky, &err, 0);
    }
    sc_image scene = {0};
    if (beside) {
        scene = early.img;
        s = early.status;
        err = early.err;
    } else {
        s = sc_image_read(job->scene, &scene, &err);
    }
    if (s != SC_OK)
        return fail(ctx, job->scene, &err, 0);
    sc_matte scene_matte = {0};
    s = cli_get_matte(ctx, job->scene, &scene, job->scene_alpha, &scene_matte, &model_error,
                      &err);
    /* The model's kept workspace would only sit beside the blend's buffers. */
    if (ctx->last_job && ctx->model)
        sc_model_trim(ctx->model);
    cli_outcome outcome;
    if (s != SC_OK)
        outcome = fail(ctx, job->scene_alpha ? job->scene_alpha : job->scene, &err,
                       model_error);
    else
        outcome = blend_and_write(ctx, job, &scene, &scene_matte);
    sc_matte_free(&scene_matte);
    sc_image_free(&scene);
    return outcome;
}
