/*
 * Speed and memory of the two networks at full size (coarse 640, refine 1280
 * by default): time and GFLOP/s per section of each network, the whole mask
 * inference of one picture, and peak memory. Per convolution: time, GFLOP/s,
 * the share of the sgemm peak measured in the same run (bench_peak.h,
 * around each network) and the algorithm that ran.
 *
 *   bench_nets [--model FILE] [--threads N] [--only coarse|refine|matte]
 *              [--save-alpha FILE]   (the mask's values as raw float32, to compare builds)
 *              [--coarse-only]       (the mask is the coarse label: no refiner)
 *              [--save-model FILE]   (the random model as a model file, for other builds
 *                                     and tools/reference/fullsize_float64.py)
 *
 * Without --model a model of the original's architecture (docs/model-format.md)
 * with deterministic random weights is built in memory. The OpenBLAS kernel
 * set is printed: on CPUs it does not recognise (some virtual machines) it
 * falls back to slow generic kernels unless OPENBLAS_CORETYPE names the CPU
 * family (e.g. SkylakeX, Haswell).
 */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_peak.h"
#include "bench_stats.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/parallel.h"
#include "helper_model_file.h"
#include "helper_random_weights.h"
#include "matting/matte_canvas.h"
#include "nets/model.h"
#include "nets/netctx.h"
#include "skychange.h"

/* The original ModelScope model's architecture (tools/reference/nets.py: modelscope_config). */
static const char *const modelscope_config =
    "{\"name\": \"modelscope-cv_hrnetocr_skychange\", \"version\": \"1\","
    " \"preprocess\": {\"coarse_size\": 640, \"refine_size\": 1280,"
    "   \"mean\": [0.485, 0.456, 0.406], \"std\": [0.229, 0.224, 0.225]},"
    " \"coarse\": {\"architecture\": \"super_first\", \"class_num\": 2, \"stem_channels\": 64,"
    "   \"layer1\": {\"block\": \"BOTTLENECK\", \"blocks\": 2, \"channels\": 64},"
    "   \"stages\": ["
    "     {\"modules\": 1, \"block\": \"BASIC\", \"blocks\": [2, 2], \"channels\": [18, 36]},"
    "     {\"modules\": 3, \"block\": \"BASIC\", \"blocks\": [2, 2, 2], \"channels\": [18, 36, 72]},"
    "     {\"modules\": 2, \"block\": \"BASIC\", \"blocks\": [2, 2, 2, 2],"
    "      \"channels\": [18, 36, 72, 144]}],"
    "   \"tail\": null,"
    "   \"super\": {\"modules\": 1, \"block\": \"BASIC\", \"blocks\": [2, 2], \"channels\": [64, 128]},"
    "   \"aspp\": {\"out\": 128, \"dilations\": [1, 6, 12, 18]},"
    "   \"ocr\": {\"mid\": 512, \"key\": 256, \"scale\": 1}},"
    " \"refine\": {\"in_channels\": 4, \"widths\": [64, 128, 256, 512, 512], \"aspp\": null}}";

#define PEAK_RUNS 6

/* Each convolution's time, GFLOP/s, share of the sgemm peak of the same run
 * (threads x the one-thread rate) and algorithm; the small ones summed. */
static void print_layers(const sc_profile *p, double peak1, int threads)
{
    double total = 0.0, small_s = 0.0;
    int small = 0;
    for (int i = 0; i < p->layer_count; i++)
        total += p->layers[i].seconds;
    printf("  %-14s %-28s %-8s %9s %9s %7s\n", "layer", "shape", "algo", "ms", "GFLOP/s",
           "peak%");
    for (int i = 0; i < p->layer_count; i++) {
        const sc_layer_stat *l = &p->layers[i];
        if (l->seconds < 0.01 * total) {
            small++;
            small_s += l->seconds;
            continue;
        }
        char shape[64];
        snprintf(shape, sizeof shape, "%d->%d %dx%d s%d d%d @%dx%d", l->cin, l->cout, l->k, l->k,
                 l->stride, l->dilation, l->in_h, l->in_w);
        const double gflops = 2.0 * l->macs / l->seconds * 1e-9;
        printf("  %-14s %-28s %-8s %9.1f %9.1f %6.0f%%\n", l->section, shape, l->algorithm,
               1e3 * l->seconds, gflops, 100.0 * gflops / (threads * peak1));
    }
    printf("  %d convolutions under 1%% of the time each: %.1f ms; sgemm peak %.1f GFLOP/s per "
           "thread in this run\n",
           small, 1e3 * small_s, peak1);
}

static void print_profile(const char *title, const sc_profile *p, double wall)
{
    double total_macs = 0, conv_s = 0, other_s = 0;
    printf("\n%s: %.3f s wall\n", title, wall);
    printf("  %-14s %6s %9s %9s %9s %9s %7s\n", "section", "convs", "conv s", "other s", "GMAC",
           "GFLOP/s", "share");
    for (int i = 0; i < p->count; i++)
        total_macs += p->sections[i].macs;
    for (int i = 0; i < p->count; i++) {
        const sc_section_stat *s = &p->sections[i];
        double t = s->conv_seconds;
        printf("  %-14s %6d %9.3f %9.3f %9.2f %9.1f %6.1f%%\n", s->name, s->convs, s->conv_seconds,
               s->other_seconds, s->macs / 1e9, t > 0 ? 2.0 * s->macs / t / 1e9 : 0.0,
               total_macs > 0 ? 100.0 * s->macs / total_macs : 0.0);
        conv_s += s->conv_seconds;
        other_s += s->other_seconds;
    }
    printf("  %-14s %6s %9.3f %9.3f %9.2f %9.1f\n", "total", "", conv_s, other_s, total_macs / 1e9,
           conv_s > 0 ? 2.0 * total_macs / conv_s / 1e9 : 0.0);
}

/* A smooth, deterministic input in the range of normalised pictures. */
static void fill_input(sc_tensor *t)
{
    for (int c = 0; c < t->c; c++)
        for (int y = 0; y < t->h; y++)
            for (int x = 0; x < t->w; x++) {
                float v = (float)((x * 7 + y * 13 + c * 31) % 97) / 48.0f - 1.0f;
                if (c == 3) /* the label channel: top half "sky" */
                    v = y < t->h / 2 ? 1.0f : 0.0f;
                *sc_tensor_at(t, c, y, x) = v;
            }
}

static int run_net(sc_model *m, int which_refine, const bench_peak *peak, int threads)
{
    const int size = which_refine ? m->cfg.refine_size : m->cfg.coarse_size;
    sc_arena arena;
    if (sc_arena_init(&arena, (size_t)8 << 30) != 0) {
        fprintf(stderr, "bench_nets: cannot reserve the workspace\n");
        return 1;
    }
    sc_error err = {SC_OK, ""};
    double wall = 0.0;
    sc_profile *prof = calloc(1, sizeof *prof);
    if (!prof) {
        sc_arena_release(&arena);
        return 1;
    }
    double peaks[PEAK_RUNS];
    for (int i = 0; i < PEAK_RUNS / 2; i++)
        peaks[i] = bench_peak_gflops(peak);
    /* A first, untimed pass touches the workspace's pages, as the calls after
     * the first of a process find them (the library keeps its workspace): the
     * layers below are timed without page faults. */
    sc_net_ctx ctx = {&arena, NULL, "input", SC_OK, &err, 0};
    sc_tensor in = sc_new(&ctx, which_refine ? 4 : 3, size, size);
    if (!sc_failed(&ctx))
        fill_input(&in);
    const size_t after_input = sc_arena_mark(&arena);
    double cold = 0.0;
    for (int pass = 0; pass < 2 && !sc_failed(&ctx); pass++) {
        sc_arena_reset(&arena, after_input);
        ctx.profile = pass ? prof : NULL;
        double t0 = sc_now();
        if (which_refine)
            sc_refine_forward(&ctx, &m->refine, &in);
        else
            sc_coarse_forward(&ctx, &m->coarse, &in);
        cold = pass ? cold : sc_now() - t0;
        wall = sc_now() - t0;
    }
    for (int i = PEAK_RUNS / 2; i < PEAK_RUNS; i++)
        peaks[i] = bench_peak_gflops(peak);
    if (sc_failed(&ctx)) {
        fprintf(stderr, "bench_nets: %s\n", err.msg);
        sc_arena_release(&arena);
        free(prof);
        return 1;
    }
    char title[128];
    snprintf(title, sizeof title, "%s network at %dx%d, second pass", which_refine ? "refine" : "coarse",
             size, size);
    print_profile(title, prof, wall);
    print_layers(prof, bench_median(peaks, PEAK_RUNS), threads);
    printf("  first pass, on untouched workspace pages: %.3f s wall\n", cold);
    free(prof);
    printf("  activation workspace peak %.1f MB; process peak RSS so far %.1f MB\n",
           (double)arena.peak / 1048576.0, bench_peak_rss_mib());
    sc_arena_release(&arena);
    return 0;
}

/* --save-alpha: the matte's values as raw float32, row by row, for comparing builds. */
static const char *g_alpha_path;
/* --coarse-only: the mask is the coarse label, to tell the two networks' parts apart. */
static int g_coarse_only;

static int save_alpha(const sc_matte *matte)
{
    FILE *f = fopen(g_alpha_path, "wb");
    if (!f)
        return -1;
    size_t n = (size_t)matte->width * (size_t)matte->height;
    int ok = fwrite(matte->alpha, sizeof(float), n, f) == n;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static int run_matte(sc_model *m, int threads)
{
    sc_image img = {.width = 1600, .height = 1200, .rgb = NULL};
    img.rgb = malloc((size_t)img.width * img.height * 3);
    if (!img.rgb)
        return 1;
    for (int y = 0; y < img.height; y++)
        for (int x = 0; x < img.width; x++)
            for (int c = 0; c < 3; c++)
                img.rgb[((size_t)y * img.width + x) * 3 + c] =
                    (uint8_t)(y < img.height / 2 ? 150 + c * 30 + x % 7 : 40 + (x * y + c) % 90);
    sc_options opt = sc_options_default();
    opt.threads = threads;
    sc_matte matte;
    sc_error err = {SC_OK, ""};
    sc_timings *tm = sc_timings_thread();
    memset(tm, 0, sizeof *tm);
    double t0 = sc_now();
    const sc_matte_size size = {0, g_coarse_only, 0, 0, NULL};
    sc_status s = sc_matte_compute_sized(m, &img, &opt, &size, &matte, &err);
    double wall = sc_now() - t0;
    free(img.rgb);
    if (s != SC_OK) {
        fprintf(stderr, "bench_nets: %s\n", err.msg);
        return 1;
    }
    printf("\nmask inference of a %dx%d picture: %.3f s (coarse %.3f, refine %.3f, other %.3f)\n",
           img.width, img.height, wall, tm->coarse, tm->refine, tm->matte_other);
    printf("  process peak RSS so far %.1f MB\n", bench_peak_rss_mib());
    int saved = g_alpha_path ? save_alpha(&matte) : 0;
    sc_matte_free(&matte);
    if (saved != 0)
        fprintf(stderr, "bench_nets: cannot write %s\n", g_alpha_path);
    return saved != 0;
}

int main(int argc, char **argv)
{
    const char *model_path = NULL, *only = NULL, *save_model = NULL;
    /* As the skychange command starts: OpenBLAS's idle workers stopped. */
    (void)sc_stop_openblas_threads();
    int threads = 2;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--model") == 0 && i + 1 < argc)
            model_path = argv[++i];
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (strcmp(argv[i], "--save-alpha") == 0 && i + 1 < argc)
            g_alpha_path = argv[++i];
        else if (strcmp(argv[i], "--save-model") == 0 && i + 1 < argc)
            save_model = argv[++i];
        else if (strcmp(argv[i], "--coarse-only") == 0)
            g_coarse_only = 1;
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else {
            fprintf(stderr, "usage: bench_nets [--model FILE] [--threads N] "
                            "[--only coarse|refine|matte] [--save-alpha FILE] [--coarse-only] "
                            "[--save-model FILE]\n");
            return 2;
        }
    }
    sc_set_threads(threads);
    sc_model *m = NULL;
    sc_error err = {SC_OK, ""};
    double t0 = sc_now();
    sc_status s;
    if (model_path) {
        s = sc_model_load(model_path, &m, &err);
    } else {
        random_weights rng = {0x5eed5eedULL};
        kept_tensors kept = {random_weights_read, &rng, NULL, 0, 0};
        s = save_model ? sc_model_build(modelscope_config, "random-weights", kept_tensors_read,
                                        &kept, &m, &err)
                       : sc_model_build(modelscope_config, "random-weights", random_weights_read,
                                        &rng, &m, &err);
        if (s == SC_OK && save_model && kept_tensors_write(&kept, modelscope_config, save_model)) {
            fprintf(stderr, "bench_nets: cannot write %s\n", save_model);
            s = SC_ERR_IO;
        }
        kept_tensors_free(&kept);
    }
    if (s != SC_OK) {
        fprintf(stderr, "bench_nets: %s\n", err.msg);
        return 1;
    }
    printf("model: %s\nthreads: %d; OpenBLAS kernels: %s; model ready in %.2f s; peak RSS %.1f MB\n"
           "weights %.1f MB, their packed and transformed copies %.1f MB\n",
           sc_model_describe(m), sc_get_threads(), openblas_get_corename(), sc_now() - t0,
           bench_peak_rss_mib(), (double)m->weights.floats * sizeof(float) / 1048576.0,
           (double)m->weights.packed_floats * sizeof(float) / 1048576.0);
    int rc = 0;
    bench_peak peak;
    if (bench_peak_init(&peak) != 0) {
        fprintf(stderr, "bench_nets: out of memory\n");
        sc_model_free(m);
        return 1;
    }
    if (!only || strcmp(only, "refine") == 0)
        rc |= run_net(m, 1, &peak, threads);
    if (!only || strcmp(only, "coarse") == 0)
        rc |= run_net(m, 0, &peak, threads);
    bench_peak_free(&peak);
    if (!only || strcmp(only, "matte") == 0)
        rc |= run_matte(m, threads);
    printf("\npeak RSS %.1f MB\n", bench_peak_rss_mib());
    sc_model_free(m);
    return rc;
}
