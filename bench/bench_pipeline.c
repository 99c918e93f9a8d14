/*
 * End-to-end figures for one scene + sky pair through the public API:
 * decode, both mattes, blend, PNG encode — the work of one `skychange` call.
 * Prints the per-stage split (median over --reps runs) and the peak RSS.
 *
 *   bench_pipeline --scene a.jpg --sky b.jpg [--model M] [--threads N] [--reps R]
 *                  [--size WxH]   (resize both inputs to WxH first, e.g. 2560x1600)
 *                  [--look]       (each rep also with every look control on, plain
 *                                  and look runs alternating; prints both and the ratio)
 *                  [--reproducible] (the same with sc_options.reproducible on; with
 *                                  --look, the second run has both)
 *                  [--keep-freed-memory] (malloc keeps freed memory for the next
 *                                  rep, as the skychange command sets it:
 *                                  sc_keep_freed_memory)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench_stats.h"
#include "core/clock.h"
#include "skychange.h"

/* Nearest-neighbour resize: only to make inputs of a given size for timing. */
static int resize_nearest(sc_image *img, int w, int h)
{
    uint8_t *dst = malloc((size_t)w * (size_t)h * 3);
    if (!dst)
        return -1;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            size_t sy = (size_t)y * (size_t)img->height / (size_t)h;
            size_t sx = (size_t)x * (size_t)img->width / (size_t)w;
            memcpy(dst + ((size_t)y * (size_t)w + (size_t)x) * 3,
                   img->rgb + (sy * (size_t)img->width + sx) * 3, 3);
        }
    free(img->rgb);
    img->rgb = dst;
    img->width = w;
    img->height = h;
    return 0;
}

/* Writes a PNG of the size a user would get, to measure the encode step. */
static int encode_png(const sc_image *img, sc_error *err)
{
    char path[] = "/tmp/bench_pipeline_XXXXXX.png";
    int fd = mkstemps(path, 4);
    if (fd < 0)
        return -1;
    close(fd);
    sc_status st = sc_image_write(path, img, 92, err);
    unlink(path);
    return st == SC_OK ? 0 : -1;
}

static int encode_and_reload(const char *in, int w, int h, const char *tmp, sc_error *err)
{
    sc_image img;
    if (sc_image_read(in, &img, err) != SC_OK)
        return -1;
    int ok = (w <= 0 || resize_nearest(&img, w, h) == 0) && sc_image_write(tmp, &img, 92, err) == SC_OK;
    sc_image_free(&img);
    return ok ? 0 : -1;
}

/* Every look control on, at a typical setting (--sky-plate aside: it skips a
 * matte, so it would make the run cheaper, not dearer). */
static void look_on(sc_options *opt)
{
    opt->harmonize = 0.5f;
    opt->sky_scale = 1.3f;
    opt->sky_offset_x = 0.3f, opt->sky_offset_y = -0.2f;
    opt->flip_sky = 1;
    opt->edge_shift = 4.f;
    opt->edge_fade = 8.f;
    opt->sky_brightness = 0.2f;
    opt->sky_temperature = 800.f;
}

enum { STAGES = 7 };

/* One pair end to end; t[k] receives the stages' times. With `last` (the last
 * pair) the model's kept workspace is unmapped after the mattes, before the
 * blend, as the skychange command does after its last job's matte. */
static int run_once(sc_model *model, const sc_options *opt, const char *scene_path,
                    const char *sky_path, int last, double t[STAGES], sc_error *err)
{
    sc_image scene = {0}, sky = {0}, out = {0};
    sc_matte ms = {0}, mk = {0};
    sc_timings *tm = sc_timings_thread();
    int status = 0;
    double t0 = sc_now();
    if (sc_image_read(scene_path, &scene, err) || sc_image_read(sky_path, &sky, err))
        status = 1;
    double t1 = sc_now();
    memset(tm, 0, sizeof *tm);
    double coarse = 0, refine = 0;
    if (!status && sc_matte_compute(model, &scene, opt, &ms, err))
        status = 1;
    coarse += tm->coarse, refine += tm->refine;
    memset(tm, 0, sizeof *tm);
    if (!status && sc_matte_compute(model, &sky, opt, &mk, err))
        status = 1;
    coarse += tm->coarse, refine += tm->refine;
    if (last)
        sc_model_trim(model);
    double t2 = sc_now();
    sc_status bs = status ? SC_OK : sc_replace_sky(&scene, &ms, &sky, &mk, opt, &out, err);
    if (bs != SC_OK && bs != SC_ERR_SCENE_NO_SKY)
        status = 1;
    double t3 = sc_now();
    if (!status && encode_png(&out, err))
        status = 1;
    double t4 = sc_now();
    t[0] = t1 - t0, t[1] = coarse, t[2] = refine, t[3] = (t2 - t1) - coarse - refine;
    t[4] = t3 - t2, t[5] = t4 - t3, t[6] = t4 - t0;
    sc_image_free(&scene), sc_image_free(&sky), sc_image_free(&out);
    sc_matte_free(&ms), sc_matte_free(&mk);
    return status;
}

static void print_stages(const char *title, double *t[STAGES], int reps)
{
    static const char *names[STAGES] = {"decode (both)", "coarse (both)", "refine (both)",
                                        "matte other", "blend", "encode png", "total"};
    printf("%s\n", title);
    for (int k = 0; k < STAGES; k++)
        printf("  %-14s median %8.3f s\n", names[k], bench_median(t[k], reps));
}

int main(int argc, char **argv)
{
    const char *scene_path = NULL, *sky_path = NULL, *model_path = getenv("SKYCHANGE_MODEL");
    /* As the skychange command starts: OpenBLAS's idle workers stopped. */
    (void)sc_stop_openblas_threads();
    int threads = 0, reps = 3, w = 0, h = 0, with_look = 0, reproducible = 0, keep_freed = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--look")) { with_look = 1; continue; }
        if (!strcmp(a, "--reproducible")) { reproducible = 1; continue; }
        if (!strcmp(a, "--keep-freed-memory")) { keep_freed = 1; continue; }
        if (!v)
            break;
        if (!strcmp(a, "--scene")) scene_path = v, i++;
        else if (!strcmp(a, "--sky")) sky_path = v, i++;
        else if (!strcmp(a, "--model")) model_path = v, i++;
        else if (!strcmp(a, "--threads")) threads = atoi(v), i++;
        else if (!strcmp(a, "--reps")) reps = atoi(v), i++;
        else if (!strcmp(a, "--size")) { if (sscanf(v, "%dx%d", &w, &h) != 2) w = h = 0; i++; }
    }
    if (!scene_path || !sky_path || !model_path || reps < 1 || reps > 100) {
        fprintf(stderr, "usage: bench_pipeline --scene A --sky B --model M [--threads N] [--reps R] [--size WxH] [--look] [--reproducible] [--keep-freed-memory]\n");
        return 2;
    }
    if (keep_freed && sc_keep_freed_memory() != 0) {
        fprintf(stderr, "bench_pipeline: this C library cannot keep freed memory\n");
        return 2;
    }
    sc_error err = {0};
    /* Inputs of the requested size, as files: decoding is part of what is timed. */
    char scene_tmp[] = "/tmp/bench_scene_XXXXXX.jpg", sky_tmp[] = "/tmp/bench_sky_XXXXXX.jpg";
    int fd1 = mkstemps(scene_tmp, 4), fd2 = mkstemps(sky_tmp, 4);
    if (fd1 < 0 || fd2 < 0)
        return 1;
    close(fd1);
    close(fd2);
    if (encode_and_reload(scene_path, w, h, scene_tmp, &err) || encode_and_reload(sky_path, w, h, sky_tmp, &err)) {
        fprintf(stderr, "bench_pipeline: %s\n", err.msg);
        return 1;
    }
    sc_model *model = NULL;
    if (sc_model_load(model_path, &model, &err) != SC_OK) {
        fprintf(stderr, "bench_pipeline: %s\n", err.msg);
        return 3;
    }
    sc_options plain = sc_options_default(), look = sc_options_default();
    plain.threads = look.threads = threads;
    if (with_look)
        look_on(&look);
    look.reproducible = reproducible;
    const int second = with_look || reproducible;
    double *t[STAGES], *tl[STAGES], stage[STAGES];
    for (int k = 0; k < STAGES; k++) {
        t[k] = calloc((size_t)reps, sizeof(double));
        tl[k] = calloc((size_t)reps, sizeof(double));
    }
    int status = 0;
    for (int r = 0; r < reps && !status; r++) {
        const int last = r == reps - 1;
        status = run_once(model, &plain, scene_tmp, sky_tmp, last && !second, stage, &err);
        for (int k = 0; k < STAGES; k++)
            t[k][r] = stage[k];
        if (!status && second) {
            status = run_once(model, &look, scene_tmp, sky_tmp, last, stage, &err);
            for (int k = 0; k < STAGES; k++)
                tl[k][r] = stage[k];
        }
    }
    if (status) {
        fprintf(stderr, "bench_pipeline: %s\n", err.msg);
    } else {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        const char *wait_policy = getenv("OMP_WAIT_POLICY");
        printf("model: %s\nsize: %dx%d  threads: %d  reps: %d  OMP_WAIT_POLICY=%s  freed memory: %s\n",
               sc_model_describe(model), w, h, threads, reps, wait_policy ? wait_policy : "(unset)",
               keep_freed ? "kept" : "returned (malloc's default)");
        print_stages(second ? "plain (default options):" : "stages:", t, reps);
        if (second) {
            char title[200];
            snprintf(title, sizeof title, "%s%s%s:", with_look ? "every look control on "
                     "(harmonize 0.5, scale 1.3, offset 0.3,-0.2, flip, edge shift 4, fade 8, "
                     "brightness 0.2, temperature 800)" : "",
                     with_look && reproducible ? ", " : "", reproducible ? "reproducible" : "");
            print_stages(title, tl, reps);
            double a = bench_median(t[STAGES - 1], reps), b = bench_median(tl[STAGES - 1], reps);
            printf("%s%s / plain, total: %.3f (%+.1f %%)\n", with_look ? "look" : "",
                   reproducible ? (with_look ? "+reproducible" : "reproducible") : "", b / a,
                   100.0 * (b / a - 1.0));
        }
        printf("peak RSS      %8.1f MB\n", ru.ru_maxrss / 1024.0);
    }
    for (int k = 0; k < STAGES; k++) {
        free(t[k]);
        free(tl[k]);
    }
    sc_model_free(model);
    unlink(scene_tmp);
    unlink(sky_tmp);
    return status;
}
