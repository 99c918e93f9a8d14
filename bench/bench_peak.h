/*
 * The machine's own GEMM rate, measured in the run that reports against it:
 * one single-threaded sc_sgemm of 512 x 1024 x 512 (our kernel, as the layers
 * use it). Benchmarks time it between their own runs, so that load from other
 * processes hits both alike, and quote the median.
 */
#ifndef SC_BENCH_PEAK_H
#define SC_BENCH_PEAK_H

#include <stdlib.h>

#include "core/clock.h"
#include "ops/gemm.h"

#define BENCH_PEAK_M 512
#define BENCH_PEAK_N 1024
#define BENCH_PEAK_K 512

typedef struct bench_peak {
    float *a, *b, *c;
} bench_peak;

/* 0, or -1 when out of memory. */
static inline int bench_peak_init(bench_peak *p)
{
    p->a = malloc((size_t)BENCH_PEAK_M * BENCH_PEAK_K * sizeof(float));
    p->b = malloc((size_t)BENCH_PEAK_K * BENCH_PEAK_N * sizeof(float));
    p->c = malloc((size_t)BENCH_PEAK_M * BENCH_PEAK_N * sizeof(float));
    if (!p->a || !p->b || !p->c)
        return -1;
    for (size_t i = 0; i < (size_t)BENCH_PEAK_M * BENCH_PEAK_K; i++)
        p->a[i] = (float)(i % 17) * 0.0625f - 0.5f;
    for (size_t i = 0; i < (size_t)BENCH_PEAK_K * BENCH_PEAK_N; i++)
        p->b[i] = (float)(i % 13) * 0.0625f - 0.375f;
    return 0;
}

static inline void bench_peak_free(bench_peak *p)
{
    free(p->a);
    free(p->b);
    free(p->c);
}

/* GFLOP/s of one product on the calling thread. */
static inline double bench_peak_gflops(const bench_peak *p)
{
    double t0 = sc_now();
    sc_sgemm(BENCH_PEAK_M, BENCH_PEAK_N, BENCH_PEAK_K, p->a, BENCH_PEAK_K, p->b, BENCH_PEAK_N,
             p->c, BENCH_PEAK_N);
    return 2.0 * BENCH_PEAK_M * (double)BENCH_PEAK_N * BENCH_PEAK_K / (sc_now() - t0) * 1e-9;
}

#endif
