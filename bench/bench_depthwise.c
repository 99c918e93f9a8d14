/*
 * Speed of the 3x3 depthwise convolution (sc_depthwise3x3) on the shapes of
 * the MobileNetV2 encoder's depthwise layers at a coarse view of 320 px (the
 * shipped default model's smaller view), with ReLU6 as there.
 *
 *   bench_depthwise [--threads N] [--reps R] [--size S]
 *
 * Per layer: median ms over R runs and GB/s of the input read and output
 * written once; then the sum of the medians. Every layer runs once untimed
 * first. Two builds compare by running their copies in turn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_stats.h"
#include "core/clock.h"
#include "core/parallel.h"
#include "ops/ops.h"

typedef struct dw_shape {
    int channels, side_divisor, stride; /* input side = size / side_divisor */
} dw_shape;

/* MobileNetV2's expanded depthwise layers (t = 6 after the first): channels,
 * where they sit, and stride. */
static const dw_shape SHAPES[] = {
    {32, 2, 1},   {96, 2, 2},   {144, 4, 1},  {144, 4, 2},  {192, 8, 1},  {192, 8, 1},
    {192, 8, 2},  {384, 16, 1}, {384, 16, 1}, {384, 16, 1}, {384, 16, 1}, {576, 16, 1},
    {576, 16, 1}, {576, 16, 2}, {960, 32, 1}, {960, 32, 1}, {960, 32, 1},
};

static float *random_floats(size_t n, unsigned seed)
{
    float *v = malloc(n * sizeof *v);
    for (size_t i = 0; v && i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        v[i] = (float)(seed >> 8) / 16777216.0f * 2.0f - 1.0f;
    }
    return v;
}

/* Median ms of `reps` runs of layer s at view `size` (ReLU6 on), or -1 when
 * memory runs out or the layer is refused. */
static double time_layer(const dw_shape *s, int size, int reps, double *times, int *out_side)
{
    const int side = size / s->side_divisor, c = s->channels;
    *out_side = sc_conv_out_size(side, 3, s->stride, 1, 1);
    const size_t in_n = (size_t)c * side * side, out_n = (size_t)c * *out_side * *out_side;
    float *weight = random_floats((size_t)c * 9, 7u), *bias = random_floats((size_t)c, 11u);
    sc_tensor in = {c, side, side, random_floats(in_n, 13u)};
    sc_tensor out = {c, *out_side, *out_side, malloc(out_n * sizeof(float))};
    sc_conv cv = {c, c, 3, 3, s->stride, 1, 1, c, weight, bias, NULL};
    double ms = -1;
    if (weight && bias && in.data && out.data && sc_depthwise3x3(&cv, &in, &out, 1) == 0) {
        for (int r = 0; r < reps; r++) {
            double t0 = sc_now();
            sc_depthwise3x3(&cv, &in, &out, 1);
            times[r] = sc_now() - t0;
        }
        ms = bench_median(times, reps) * 1e3;
    }
    free(weight);
    free(bias);
    free(in.data);
    free(out.data);
    return ms;
}

int main(int argc, char **argv)
{
    int threads = 2, reps = 21, size = 320;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--reps") && i + 1 < argc) reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--size") && i + 1 < argc) size = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: bench_depthwise [--threads N] [--reps R] [--size S]\n");
            return 2;
        }
    }
    if (threads < 1 || reps < 1 || reps > 1000 || size < 32 || size > 4096) {
        fprintf(stderr, "bench_depthwise: threads >= 1, reps 1..1000, size 32..4096\n");
        return 2;
    }
    sc_set_threads(threads);
    double *times = malloc((size_t)reps * sizeof *times);
    if (!times)
        return 1;
    const size_t layers = sizeof SHAPES / sizeof SHAPES[0];
    int out_side;
    for (size_t k = 0; k < layers; k++) /* untimed: the first regions are slow on some VMs */
        time_layer(&SHAPES[k], size, 1, times, &out_side);
    printf("threads %d, view %d px, %d reps, medians\n", threads, size, reps);
    printf("  layer  channels  input     stride      ms    GB/s\n");
    double total = 0;
    for (size_t k = 0; k < layers; k++) {
        const dw_shape *s = &SHAPES[k];
        const double ms = time_layer(s, size, reps, times, &out_side);
        if (ms < 0) {
            fprintf(stderr, "bench_depthwise: layer %zu: out of memory or refused\n", k);
            free(times);
            return 1;
        }
        const int side = size / s->side_divisor;
        const double bytes = ((double)side * side + (double)out_side * out_side) * s->channels * 4.0;
        printf("  %5zu  %8d  %4dx%-4d %6d  %6.3f  %6.1f\n", k, s->channels, side, side, s->stride,
               ms, bytes / (ms * 1e-3) / 1e9);
        total += ms;
    }
    printf("sum of the medians: %.3f ms\n", total);
    free(times);
    return 0;
}
