/*
 * End-to-end figures for one scene + sky pair through the public API:
 * decode, both mattes, blend, PNG encode — the work of one `skychange` call.
 * Prints the per-stage split (median over --reps runs) and the peak RSS.
 *
 *   bench_pipeline --scene a.jpg --sky b.jpg [--model M] [--threads N] [--reps R]
 *                  [--size WxH]   (resize both inputs to WxH first, e.g. 2560x1600)
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

int main(int argc, char **argv)
{
    const char *scene_path = NULL, *sky_path = NULL, *model_path = getenv("SKYCHANGE_MODEL");
    int threads = 0, reps = 3, w = 0, h = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
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
        fprintf(stderr, "usage: bench_pipeline --scene A --sky B --model M [--threads N] [--reps R] [--size WxH]\n");
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
    sc_options opt = sc_options_default();
    opt.threads = threads;
    double *t[7];
    for (int k = 0; k < 7; k++)
        t[k] = calloc((size_t)reps, sizeof(double));
    int status = 0;
    for (int r = 0; r < reps && !status; r++) {
        sc_image scene = {0}, sky = {0}, out = {0};
        sc_matte ms = {0}, mk = {0};
        sc_timings *tm = sc_timings_thread();
        double t0 = sc_now();
        if (sc_image_read(scene_tmp, &scene, &err) || sc_image_read(sky_tmp, &sky, &err)) { status = 1; break; }
        double t1 = sc_now();
        memset(tm, 0, sizeof *tm);
        double coarse = 0, refine = 0;
        if (sc_matte_compute(model, &scene, &opt, &ms, &err)) status = 1;
        coarse += tm->coarse, refine += tm->refine;
        memset(tm, 0, sizeof *tm);
        if (!status && sc_matte_compute(model, &sky, &opt, &mk, &err)) status = 1;
        coarse += tm->coarse, refine += tm->refine;
        double t2 = sc_now();
        sc_status bs = status ? SC_OK : sc_replace_sky(&scene, &ms, &sky, &mk, &opt, &out, &err);
        if (bs != SC_OK && bs != SC_ERR_SCENE_NO_SKY) status = 1;
        double t3 = sc_now();
        if (!status && encode_png(&out, &err)) status = 1;
        double t4 = sc_now();
        t[0][r] = t1 - t0, t[1][r] = coarse, t[2][r] = refine, t[3][r] = (t2 - t1) - coarse - refine;
        t[4][r] = t3 - t2, t[5][r] = t4 - t3, t[6][r] = t4 - t0;
        sc_image_free(&scene), sc_image_free(&sky), sc_image_free(&out);
        sc_matte_free(&ms), sc_matte_free(&mk);
    }
    if (status) {
        fprintf(stderr, "bench_pipeline: %s\n", err.msg);
    } else {
        static const char *names[7] = {"decode (both)", "coarse (both)", "refine (both)",
                                       "matte other", "blend", "encode png", "total"};
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        const char *wait_policy = getenv("OMP_WAIT_POLICY");
        printf("model: %s\nsize: %dx%d  threads: %d  reps: %d  OMP_WAIT_POLICY=%s\n",
               sc_model_describe(model), w, h, threads, reps, wait_policy ? wait_policy : "(unset)");
        for (int k = 0; k < 7; k++)
            printf("%-14s median %8.3f s\n", names[k], bench_median(t[k], reps));
        printf("peak RSS      %8.1f MB\n", ru.ru_maxrss / 1024.0);
    }
    for (int k = 0; k < 7; k++)
        free(t[k]);
    sc_model_free(model);
    unlink(scene_tmp);
    unlink(sky_tmp);
    return status;
}
