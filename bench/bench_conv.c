/*
 * Speed of sc_conv2d on the big layers of both networks, per algorithm, with
 * the weights prepared as a loaded model has them (ops/conv_prepare.h).
 * Against the machine's own rate in the same run (bench_peak.h), timed
 * between the layers' runs; share = GFLOP/s / (threads x that peak). GFLOP/s
 * count the direct convolution's multiply-adds for every algorithm, so they
 * compare as speed.
 *
 *   bench_conv [--threads N] [--reps R] [--quick] [--layer TEXT] [--simulate W]
 *
 * For each layer and algorithm: median ms on 1 and N threads (and the CPU ms
 * of the one-thread run, steadier on a loaded machine), GFLOP/s and share of
 * peak on N threads, the speed-up of Winograd over im2col (wall on N threads,
 * CPU on one), and the tile scheduler's statistics: the idle share of the N
 * workers (1 - busy / (N x wall)) and the idle share W workers would have
 * (--simulate, 16 unless told; at most 64),
 * replaying through the same dynamic schedule the item times of a one-thread
 * run cut as for W workers (itemsW; items in order, each to the first free
 * worker, a barrier after a shared input transform; memory contention not
 * modelled).
 * --quick divides every image side by 4; --layer runs only the layers whose
 * name contains TEXT.
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_peak.h"
#include "bench_stats.h"
#include "core/arena.h"
#include "core/clock.h"
#include "core/parallel.h"
#include "ops/conv_plan.h"
#include "ops/conv_prepare.h"
#include "ops/conv_trace.h"
#include "ops/gemm.h"
#include "ops/ops.h"

#define MAX_SIMULATED_WORKERS 64
/* --simulate */
static int g_simulated = 16;
#define ALGORITHMS 3

typedef struct layer {
    const char *name;
    int cin, cout, k, stride, pad, dilation, h, w;
} layer;

static const layer LAYERS[] = {
    {"refiner down1.conv2 3x3 64->64", 64, 64, 3, 1, 1, 1, 1280, 1280},
    {"refiner down2.conv2 3x3 128->128", 128, 128, 3, 1, 1, 1, 640, 640},
    {"refiner down3.conv2 3x3 256->256", 256, 256, 3, 1, 1, 1, 320, 320},
    {"refiner down4.conv2 3x3 512->512", 512, 512, 3, 1, 1, 1, 160, 160},
    {"refiner down5.conv2 3x3 512->512", 512, 512, 3, 1, 1, 1, 80, 80},
    {"refiner up5 5x5 512->512", 512, 512, 5, 1, 2, 1, 80, 80},
    {"refiner up4 5x5 512->256", 512, 256, 5, 1, 2, 1, 160, 160},
    {"refiner up3 5x5 256->128", 256, 128, 5, 1, 2, 1, 320, 320},
    {"refiner up2 5x5 128->64", 128, 64, 5, 1, 2, 1, 640, 640},
    {"refiner up1 5x5 64->1", 64, 1, 5, 1, 2, 1, 1280, 1280},
    {"coarse stem conv1 3x3 s2 3->64", 3, 64, 3, 2, 1, 1, 640, 640},
    {"coarse stem conv2 3x3 s2 64->64", 64, 64, 3, 2, 1, 1, 320, 320},
    {"coarse super 3x3 64->64", 64, 64, 3, 1, 1, 1, 160, 160},
    {"coarse branch0 3x3 18->18", 18, 18, 3, 1, 1, 1, 160, 160},
    {"coarse branch1 3x3 36->36", 36, 36, 3, 1, 1, 1, 80, 80},
    {"coarse branch2 3x3 72->72", 72, 72, 3, 1, 1, 1, 40, 40},
    {"coarse branch3 3x3 144->144", 144, 144, 3, 1, 1, 1, 20, 20},
    {"coarse aspp 3x3 dil 12 256->256", 256, 256, 3, 1, 12, 12, 160, 160},
    {"coarse aspp 3x3 dil 6 192->128", 192, 128, 3, 1, 6, 6, 320, 320},
    {"coarse aspp 3x3 dil 18 192->128", 192, 128, 3, 1, 18, 18, 320, 320},
    {"coarse aspp undilated 3x3 192->128", 192, 128, 3, 1, 1, 1, 320, 320},
    {"coarse ocr 1x1 1024->512", 1024, 512, 1, 1, 0, 1, 160, 160},
    {"coarse conv3x3_ocr 3x3 128->512", 128, 512, 3, 1, 1, 1, 320, 320},
    {"small refiner down1 3x3 4->8", 4, 8, 3, 1, 1, 1, 1280, 1280},
    {"small refiner down1 3x3 8->8", 8, 8, 3, 1, 1, 1, 1280, 1280},
    {"small refiner up2 5x5 16->8", 16, 8, 5, 1, 2, 1, 640, 640},
    {"small refiner up1 5x5 8->1", 8, 1, 5, 1, 2, 1, 1280, 1280},
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

/* One layer prepared for one algorithm, with its input, output and scratch. */
typedef struct workload {
    sc_conv cv;
    sc_conv_prepared prepared;
    float *weight, *bias, *packed;
    sc_tensor in, out;
    sc_arena scratch;
    sc_conv_plan plan;   /* as cut for one thread */
    sc_conv_plan plan16; /* as cut for g_simulated workers */
} workload;

static void workload_free(workload *wl)
{
    sc_arena_release(&wl->scratch);
    sc_tensor_free(&wl->out);
    free(wl->in.data);
    free(wl->weight);
    free(wl->bias);
    free(wl->packed);
}

static int workload_init(workload *wl, const layer *l, int algorithm, int side, int h, int w,
                         int threads)
{
    memset(wl, 0, sizeof *wl);
    sc_conv cv = {l->cout, l->cin, l->k, l->k, l->stride, l->pad, l->dilation, 1,
                  NULL, NULL, NULL};
    wl->cv = cv;
    wl->weight = random_floats((size_t)l->cout * (size_t)l->cin * (size_t)(l->k * l->k), 3);
    wl->bias = random_floats((size_t)l->cout, 4);
    wl->in = (sc_tensor){l->cin, h, w, random_floats((size_t)l->cin * (size_t)h * (size_t)w, 5)};
    if (!wl->weight || !wl->bias || !wl->in.data)
        return -1;
    wl->cv.weight = wl->weight;
    wl->cv.bias = wl->bias;
    const size_t floats = sc_conv_prepared_floats(&wl->cv, algorithm, side);
    if (floats) {
        wl->packed = calloc(floats, sizeof(float));
        if (!wl->packed ||
            sc_conv_prepare(&wl->cv, algorithm, side, wl->packed, &wl->prepared) != 0)
            return -1;
        wl->cv.prepared = &wl->prepared;
    }
    /* Room for the N-thread cut and for the 16-worker one replayed. */
    size_t scratch = sc_conv2d_scratch_bytes(&wl->cv, h, w, threads);
    const size_t scratch16 = sc_conv2d_scratch_bytes(&wl->cv, h, w, g_simulated);
    if (scratch16 > scratch)
        scratch = scratch16;
    if (sc_conv_plan_make(&wl->cv, h, w, &wl->plan) != 0 ||
        sc_arena_init(&wl->scratch, scratch + 64) != 0)
        return -1;
    wl->plan16 = wl->plan;
    sc_conv_plan_for_workers(&wl->cv, g_simulated, &wl->plan16);
    wl->out = sc_tensor_alloc(l->cout, wl->plan.out_h, wl->plan.out_w);
    return wl->out.data ? 0 : -1;
}

static double thread_cpu_seconds(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return sc_now();
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Seconds of one sc_conv2d on `threads` threads, or -1 on failure; with cpu,
 * also the CPU seconds of the calling thread (on one thread: the time the
 * layer took of a core, whatever else the machine runs). */
static double time_conv(workload *wl, int threads, double *cpu)
{
    sc_set_threads(threads);
    double t0 = sc_now(), c0 = thread_cpu_seconds();
    if (sc_conv2d(&wl->cv, &wl->in, &wl->out, SC_ACT_RELU, &wl->scratch) != 0)
        return -1.0;
    if (cpu)
        *cpu = thread_cpu_seconds() - c0;
    return sc_now() - t0;
}

/* Seconds `workers` take for the item times through a dynamic schedule. */
static double replay(const double *item_seconds, long items, int workers)
{
    double free_at[MAX_SIMULATED_WORKERS] = {0}, makespan = 0.0;
    for (long i = 0; i < items; i++) {
        int first = 0;
        for (int k = 1; k < workers; k++)
            if (free_at[k] < free_at[first])
                first = k;
        free_at[first] += item_seconds[i];
        if (free_at[first] > makespan)
            makespan = free_at[first];
    }
    return makespan;
}

/* Idle share of `workers` replaying the item times: the first `first_phase`
 * items, a barrier, then the rest. */
static double simulated_idle(const double *item_seconds, long items, long first_phase,
                             int workers)
{
    if (workers > MAX_SIMULATED_WORKERS)
        workers = MAX_SIMULATED_WORKERS;
    double total = 0.0;
    for (long i = 0; i < items; i++)
        total += item_seconds[i];
    const double makespan = replay(item_seconds, first_phase, workers) +
                            replay(item_seconds + first_phase, items - first_phase, workers);
    return makespan > 0.0 ? 1.0 - total / (workers * makespan) : 0.0;
}

static int parse_args(int argc, char **argv, int *threads, int *reps, int *quick,
                      const char **only)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            *threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
            *reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--quick"))
            *quick = 1;
        else if (!strcmp(argv[i], "--layer") && i + 1 < argc)
            *only = argv[++i];
        else if (!strcmp(argv[i], "--simulate") && i + 1 < argc)
            g_simulated = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: %s [--threads N] [--reps R] [--quick] [--layer TEXT] [--simulate W]\n",
                    argv[0]);
            return -1;
        }
    }
    if (*reps < 1 || *threads < 1 || *threads > SC_CONV_TRACE_WORKERS || g_simulated < 1 ||
        g_simulated > MAX_SIMULATED_WORKERS) {
        fprintf(stderr, "%s: --reps must be at least 1, --threads 1 to %d, --simulate 1 to %d\n",
                argv[0], SC_CONV_TRACE_WORKERS, MAX_SIMULATED_WORKERS);
        return -1;
    }
    return 0;
}

/* Medians of one layer and algorithm. */
typedef struct result {
    double ms_one, cpu_ms_one, ms_many, idle_many, idle_simulated;
    const char *algorithm;
    long items, items16;
} result;

/* Runs the layer's algorithms alternately, reps times each, on 1 and N threads. */
static int measure_layer(const layer *l, int h, int w, int threads, int reps,
                         const bench_peak *peak, double *peaks, int *peak_count,
                         result *res, int *count)
{
    workload wl[ALGORITHMS];
    int n = 0, ok = 1;
    /* im2col, then Winograd on 4x4 and on 2x2 output tiles where they run. */
    const int algorithms[ALGORITHMS] = {SC_CONV_IM2COL, SC_CONV_WINOGRAD, SC_CONV_WINOGRAD};
    const int sides[ALGORITHMS] = {0, SC_WINOGRAD_OUT, 2};
    sc_conv shape = {l->cout, l->cin, l->k, l->k, l->stride, l->pad, l->dilation, 1,
                     NULL, NULL, NULL};
    for (int a = 0; a < ALGORITHMS && ok; a++) {
        if (algorithms[a] == SC_CONV_WINOGRAD &&
            (sc_conv_choose_algorithm(&shape) != SC_CONV_WINOGRAD ||
             !sc_winograd_supports(sides[a], l->k)))
            continue;
        ok = workload_init(&wl[n], l, algorithms[a], sides[a], h, w, threads) == 0;
        n++;
    }
    double *one = malloc((size_t)(n * reps) * sizeof *one);
    double *many = malloc((size_t)(n * reps) * sizeof *many);
    double *idle = malloc((size_t)(n * reps) * sizeof *idle);
    double *cpu = malloc((size_t)(n * reps) * sizeof *cpu);
    sc_conv_trace trace;
    memset(&trace, 0, sizeof trace);
    long max_items = 0;
    for (int a = 0; a < n && ok; a++) {
        const sc_conv_plan *cuts[2] = {&wl[a].plan, &wl[a].plan16};
        for (int c = 0; c < 2; c++)
            if (cuts[c]->tiles + cuts[c]->input_items > max_items)
                max_items = cuts[c]->tiles + cuts[c]->input_items;
    }
    trace.item_seconds = calloc((size_t)(max_items > 0 ? max_items : 1), sizeof(double));
    trace.capacity = max_items;
    double **items_one = calloc((size_t)(n > 0 ? n : 1), sizeof *items_one);
    ok = ok && one && many && idle && cpu && trace.item_seconds && items_one;
    long *traced = calloc((size_t)(n > 0 ? n : 1), sizeof *traced);
    long *first_phase = calloc((size_t)(n > 0 ? n : 1), sizeof *first_phase);
    long *items_many = calloc((size_t)(n > 0 ? n : 1), sizeof *items_many);
    ok = ok && traced && first_phase && items_many;
    for (int a = 0; a < n && ok; a++) {
        items_one[a] = calloc((size_t)max_items, sizeof(double));
        /* One untimed run to fault the pages in. */
        ok = items_one[a] && time_conv(&wl[a], threads, NULL) >= 0;
    }
    sc_conv_trace_set(&trace);
    for (int r = 0; r < reps && ok; r++) {
        for (int a = 0; a < n && ok; a++) {
            one[a * reps + r] = time_conv(&wl[a], 1, &cpu[a * reps + r]);
            /* The items as g_simulated workers would have them, timed one by one. */
            trace.plan_workers = g_simulated;
            ok = time_conv(&wl[a], 1, NULL) >= 0;
            trace.plan_workers = 0;
            traced[a] = trace.items < max_items ? trace.items : max_items;
            first_phase[a] = trace.first_phase;
            memcpy(items_one[a], trace.item_seconds, (size_t)traced[a] * sizeof(double));
            many[a * reps + r] = time_conv(&wl[a], threads, NULL);
            items_many[a] = trace.items - trace.first_phase;
            double busy = 0.0;
            for (int k = 0; k < trace.workers; k++)
                busy += trace.busy[k];
            idle[a * reps + r] = trace.wall > 0 ? 1.0 - busy / (trace.workers * trace.wall) : 0;
            ok = ok && one[a * reps + r] >= 0 && many[a * reps + r] >= 0;
            if (*peak_count < 4096)
                peaks[(*peak_count)++] = bench_peak_gflops(peak);
        }
    }
    sc_conv_trace_set(NULL);
    for (int a = 0; a < n && ok; a++) {
        res[a].ms_one = 1e3 * bench_median(one + a * reps, reps);
        res[a].cpu_ms_one = 1e3 * bench_median(cpu + a * reps, reps);
        res[a].ms_many = 1e3 * bench_median(many + a * reps, reps);
        res[a].idle_many = bench_median(idle + a * reps, reps);
        res[a].idle_simulated =
            simulated_idle(items_one[a], traced[a], first_phase[a], g_simulated);
        res[a].algorithm = sc_conv_algorithm_name(&wl[a].plan);
        res[a].items = items_many[a];
        res[a].items16 = wl[a].plan16.tiles;
    }
    *count = n;
    for (int a = 0; a < n; a++) {
        workload_free(&wl[a]);
        if (items_one)
            free(items_one[a]);
    }
    free(items_one);
    free(traced);
    free(first_phase);
    free(items_many);
    free(trace.item_seconds);
    free(one);
    free(many);
    free(idle);
    free(cpu);
    return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
    int threads = 2, reps = 3, quick = 0;
    const char *only = NULL;
    if (parse_args(argc, argv, &threads, &reps, &quick, &only) != 0)
        return 2;
    bench_peak peak;
    double *peaks = malloc(4096 * sizeof *peaks);
    if (bench_peak_init(&peak) != 0 || !peaks)
        return 1;
    int peak_count = 0;
    bench_peak_gflops(&peak);
    printf("sc_conv2d, weights prepared at load; 1 and %d threads, median of %d; sgemm kernel %s; "
           "replayed for W = %d workers\n",
           threads, reps, sc_sgemm_kernel_name(), g_simulated);
    printf("%-34s %-13s %-8s %6s %8s %8s %8s %8s %6s %6s %6s %7s %6s %7s %6s\n", "layer",
           "input", "algo", "items", "ms 1t", "cpu 1t", "ms Nt", "GFLOP/s", "peak%", "scale",
           "vs i2c", "cpu i2c", "idleN", "itemsW", "idleW");
    int failures = 0;
    for (size_t i = 0; i < sizeof LAYERS / sizeof LAYERS[0]; i++) {
        const layer *l = &LAYERS[i];
        if (only && !strstr(l->name, only))
            continue;
        const int h = quick ? l->h / 4 : l->h, w = quick ? l->w / 4 : l->w;
        result res[ALGORITHMS];
        int n = 0;
        if (measure_layer(l, h, w, threads, reps, &peak, peaks, &peak_count, res, &n) != 0) {
            printf("%-34s failed (out of memory or bad layer)\n", l->name);
            failures++;
            continue;
        }
        double peak1 = bench_median(peaks, peak_count);
        const int oh = sc_conv_out_size(h, l->k, l->stride, l->pad, l->dilation);
        const int ow = sc_conv_out_size(w, l->k, l->stride, l->pad, l->dilation);
        const double flops = 2.0 * l->cout * (double)l->cin * l->k * l->k * oh * (double)ow;
        char size[32];
        snprintf(size, sizeof size, "%dx%dx%d", l->cin, h, w);
        for (int a = 0; a < n; a++) {
            const double gflops = flops / (res[a].ms_many * 1e-3) * 1e-9;
            printf("%-34s %-13s %-8s %6ld %8.1f %8.1f %8.1f %8.1f %5.0f%% %5.2fx %5.2fx %6.2fx "
                   "%5.1f%% %7ld %5.1f%%\n",
                   a == 0 ? l->name : "", a == 0 ? size : "", res[a].algorithm, res[a].items,
                   res[a].ms_one, res[a].cpu_ms_one, res[a].ms_many, gflops,
                   100.0 * gflops / (threads * peak1), res[a].ms_one / res[a].ms_many,
                   res[0].ms_many / res[a].ms_many, res[0].cpu_ms_one / res[a].cpu_ms_one,
                   100.0 * res[a].idle_many, res[a].items16, 100.0 * res[a].idle_simulated);
        }
        fflush(stdout);
    }
    printf("sgemm peak, one thread, median of %d in this run: %.1f GFLOP/s\n", peak_count,
           bench_median(peaks, peak_count));
    bench_peak_free(&peak);
    free(peaks);
    return failures ? 1 : 0;
}
