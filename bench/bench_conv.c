/*
 * Speed of sc_conv2d on the big layers of both networks, against the plain
 * rate of the machine: one cblas_sgemm of the same M, N, K with OpenBLAS on all
 * cores. Prints per layer the median time of --reps runs, GFLOP/s of both and
 * their ratio. The two are timed alternately, so that load from other
 * processes on the machine hits both alike.
 *
 *   bench_conv [--threads N] [--reps R] [--quick]
 *
 * --quick divides every image side by 4. The reference GEMM is capped at
 * REF_MAX_B_BYTES of B (fewer columns, same M and K): its rate does not depend
 * on N once N is large, and a full-frame B would need gigabytes.
 *
 * The last two columns are the GEMM one convolution tile runs (M x tile x K,
 * B contiguous), on one thread: our sc_sgemm kernel, and cblas_sgemm. They are
 * timed in CPU time of the calling thread, so time the thread spends waiting
 * for a core taken by other processes does not count: a per-core rate.
 */
#include <cblas.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_stats.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/parallel.h"
#include "ops/conv_plan.h"
#include "ops/gemm.h"
#include "ops/ops.h"

#define REF_MAX_B_BYTES ((size_t)256 << 20)
/* Work of one timing of the one-tile GEMM: enough calls to last some ms. */
#define TILE_GEMM_FLOPS 5e8

typedef struct layer {
    const char *name;
    int cin, cout, k, stride, pad, dilation, h, w;
} layer;

static const layer LAYERS[] = {
    {"refiner down1.conv2 3x3 64->64", 64, 64, 3, 1, 1, 1, 1280, 1280},
    {"refiner down2.conv2 3x3 128->128", 128, 128, 3, 1, 1, 1, 640, 640},
    {"refiner down3.conv2 3x3 256->256", 256, 256, 3, 1, 1, 1, 320, 320},
    {"refiner down4.conv2 3x3 512->512", 512, 512, 3, 1, 1, 1, 160, 160},
    {"refiner up5 5x5 512->512", 512, 512, 5, 1, 2, 1, 80, 80},
    {"refiner up2 5x5 128->64", 128, 64, 5, 1, 2, 1, 640, 640},
    {"refiner up1 5x5 64->1", 64, 1, 5, 1, 2, 1, 1280, 1280},
    {"coarse stem conv1 3x3 s2 3->64", 3, 64, 3, 2, 1, 1, 640, 640},
    {"coarse branch0 3x3 18->18", 18, 18, 3, 1, 1, 1, 160, 160},
    {"coarse aspp 3x3 dil 12 256->256", 256, 256, 3, 1, 12, 12, 160, 160},
    {"coarse ocr 1x1 1024->512", 1024, 512, 1, 1, 0, 1, 320, 320},
    {"coarse 1x1 256->256", 256, 256, 1, 1, 0, 1, 320, 320},
};

static float *random_floats(size_t n, unsigned seed)
{
    float *x = malloc(n * sizeof *x);
    if (!x)
        return NULL;
    unsigned s = seed;
    for (size_t i = 0; i < n; i++) {
        s = s * 1664525u + 1013904223u;
        x[i] = (float)(s >> 8) * (1.0f / 8388608.0f) - 1.0f;
    }
    return x;
}

/* One layer's buffers: the convolution and the reference GEMM. */
typedef struct workload {
    sc_conv cv;
    sc_conv_plan plan;
    float *weight, *bias;
    sc_tensor in, out;
    sc_arena scratch;
    int ref_m, ref_n, ref_k;
    float *ref_a, *ref_b, *ref_c;
} workload;

static void workload_free(workload *wl)
{
    sc_arena_release(&wl->scratch);
    sc_tensor_free(&wl->out);
    free(wl->in.data);
    free(wl->weight);
    free(wl->bias);
    free(wl->ref_a);
    free(wl->ref_b);
    free(wl->ref_c);
}

static int workload_init(workload *wl, const layer *l, int h, int w, int threads)
{
    memset(wl, 0, sizeof *wl);
    sc_conv cv = {l->cout, l->cin, l->k, l->k, l->stride, l->pad, l->dilation, 1, NULL, NULL};
    wl->cv = cv;
    wl->weight = random_floats((size_t)l->cout * (size_t)l->cin * (size_t)(l->k * l->k), 3);
    wl->bias = random_floats((size_t)l->cout, 4);
    wl->cv.weight = wl->weight;
    wl->cv.bias = wl->bias;
    wl->in = (sc_tensor){l->cin, h, w, random_floats((size_t)l->cin * (size_t)h * (size_t)w, 5)};
    if (!wl->weight || !wl->bias || !wl->in.data ||
        sc_conv_plan_make(&wl->cv, h, w, &wl->plan) != 0 ||
        sc_arena_init(&wl->scratch, sc_conv2d_scratch_bytes(&wl->cv, h, w, threads) + 64) != 0)
        return -1;
    wl->out = sc_tensor_alloc(l->cout, wl->plan.out_h, wl->plan.out_w);

    wl->ref_m = wl->plan.cout_g;
    wl->ref_k = wl->plan.rows;
    long n = wl->plan.columns;
    if ((size_t)n * (size_t)wl->ref_k * sizeof(float) > REF_MAX_B_BYTES)
        n = (long)(REF_MAX_B_BYTES / ((size_t)wl->ref_k * sizeof(float)));
    wl->ref_n = (int)n;
    wl->ref_a = random_floats((size_t)wl->ref_m * (size_t)wl->ref_k, 1);
    wl->ref_b = random_floats((size_t)wl->ref_k * (size_t)wl->ref_n, 2);
    wl->ref_c = malloc((size_t)wl->ref_m * (size_t)wl->ref_n * sizeof(float));
    return wl->out.data && wl->ref_a && wl->ref_b && wl->ref_c ? 0 : -1;
}

/* Seconds of one sc_conv2d, or -1 on failure. */
static double time_conv(workload *wl, int threads)
{
    sc_set_threads(threads);
    double t0 = sc_now();
    if (sc_conv2d(&wl->cv, &wl->in, &wl->out, 1, &wl->scratch) != 0)
        return -1.0;
    return sc_now() - t0;
}

static double thread_cpu_seconds(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return sc_now();
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU seconds per call of the one-tile GEMM on one thread: sc_sgemm, or cblas_sgemm. */
static double time_tile_gemm(workload *wl, int ours)
{
    const int m = wl->ref_m, k = wl->ref_k;
    const int n = wl->plan.tile < wl->ref_n ? (int)wl->plan.tile : wl->ref_n;
    double flops = 2.0 * m * (double)n * k;
    int calls = (int)(TILE_GEMM_FLOPS / flops) + 1;
    openblas_set_num_threads(1);
    double t0 = thread_cpu_seconds();
    for (int i = 0; i < calls; i++) {
        if (ours)
            sc_sgemm(m, n, k, wl->ref_a, k, wl->ref_b, n, wl->ref_c, n);
        else
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, wl->ref_a, k,
                        wl->ref_b, n, 0.0f, wl->ref_c, n);
    }
    return (thread_cpu_seconds() - t0) / calls;
}

/* Seconds of one cblas_sgemm with OpenBLAS on all cores. */
static double time_reference(workload *wl)
{
    openblas_set_num_threads(omp_get_num_procs());
    double t0 = sc_now();
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, wl->ref_m, wl->ref_n, wl->ref_k, 1.0f,
                wl->ref_a, wl->ref_k, wl->ref_b, wl->ref_n, 0.0f, wl->ref_c, wl->ref_n);
    const double seconds = sc_now() - t0;
    /* Back to one thread: sc_conv2d's tiles each run their own GEMM. */
    openblas_set_num_threads(1);
    return seconds;
}

static int parse_args(int argc, char **argv, int *threads, int *reps, int *quick)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            *threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
            *reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--quick"))
            *quick = 1;
        else {
            fprintf(stderr, "usage: %s [--threads N] [--reps R] [--quick]\n", argv[0]);
            return -1;
        }
    }
    if (*reps < 1) {
        fprintf(stderr, "%s: --reps must be at least 1\n", argv[0]);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int threads = 0, reps = 3, quick = 0;
    if (parse_args(argc, argv, &threads, &reps, &quick) != 0)
        return 2;
    sc_set_threads(threads);
    threads = sc_get_threads();
    printf("sc_conv2d with %d threads; reference: one cblas_sgemm on %d cores; median of %d\n"
           "OpenBLAS %s, kernels for %s; sc_sgemm kernel %s\n",
           threads, omp_get_num_procs(), reps, openblas_get_config(), openblas_get_corename(),
           sc_sgemm_kernel_name());
    printf("%-36s %-14s %6s %6s %5s %8s %8s %8s %8s %6s %8s %8s\n", "layer", "input", "M", "K",
           "tile", "tiles", "ms", "GFLOP/s", "ref", "ratio", "sgemm1t", "blas1t");
    int failures = 0;
    double *conv_t = malloc((size_t)reps * sizeof *conv_t);
    double *ref_t = malloc((size_t)reps * sizeof *ref_t);
    double *ours_t = malloc((size_t)reps * sizeof *ours_t);
    double *blas_t = malloc((size_t)reps * sizeof *blas_t);
    if (!conv_t || !ref_t || !ours_t || !blas_t)
        return 1;
    for (size_t i = 0; i < sizeof LAYERS / sizeof LAYERS[0]; i++) {
        const layer *l = &LAYERS[i];
        const int h = quick ? l->h / 4 : l->h, w = quick ? l->w / 4 : l->w;
        workload wl;
        int ok = workload_init(&wl, l, h, w, threads) == 0;
        /* One untimed run of each to fault the pages in, then the two
         * alternate so that load from other processes hits both alike. */
        ok = ok && time_conv(&wl, threads) >= 0;
        if (ok)
            time_reference(&wl);
        for (int r = 0; ok && r < reps; r++) {
            conv_t[r] = time_conv(&wl, threads);
            ref_t[r] = time_reference(&wl);
            ours_t[r] = time_tile_gemm(&wl, 1);
            blas_t[r] = time_tile_gemm(&wl, 0);
            ok = conv_t[r] >= 0;
        }
        if (!ok) {
            printf("%-36s failed (out of memory or bad layer)\n", l->name);
            failures++;
            workload_free(&wl);
            continue;
        }
        const sc_conv_plan *plan = &wl.plan;
        double t = bench_median(conv_t, reps), rt = bench_median(ref_t, reps);
        double gflops = 2.0 * plan->cout_g * (double)plan->rows * (double)plan->columns / t * 1e-9;
        double ref_gflops = 2.0 * wl.ref_m * (double)wl.ref_k * (double)wl.ref_n / rt * 1e-9;
        const double tile_n = plan->tile < wl.ref_n ? (double)plan->tile : (double)wl.ref_n;
        const double tile_flops = 2.0 * wl.ref_m * (double)wl.ref_k * tile_n;
        double ours_gflops = tile_flops / bench_median(ours_t, reps) * 1e-9;
        double blas_gflops = tile_flops / bench_median(blas_t, reps) * 1e-9;
        char size[32];
        snprintf(size, sizeof size, "%dx%dx%d", l->cin, h, w);
        printf("%-36s %-14s %6d %6d %5ld %8ld %8.1f %8.1f %8.1f %5.0f%% %8.1f %8.1f\n", l->name,
               size, plan->cout_g, plan->rows, plan->tile, plan->tiles, t * 1e3, gflops, ref_gflops,
               100.0 * gflops / ref_gflops, ours_gflops, blas_gflops);
        fflush(stdout);
        workload_free(&wl);
    }
    free(conv_t);
    free(ref_t);
    free(ours_t);
    free(blas_t);
    return failures ? 1 : 0;
}
