/*
 * The Winograd transforms on 8 lanes. Winograd runs only on filters packed for
 * the AVX2 and AVX-512 GEMM kernels (ops/conv_plan.c), which run only where
 * the CPU has AVX2: so on x86 this file is compiled for AVX2, and where 8
 * tiles lie side by side in one tile row (nearly all of them) a row of their
 * patches moves between memory and the lane layout through vector loads and
 * in-register transposes; the scalar loads and stores of the other tiles took
 * as long as the transforms' arithmetic (bench_conv). Elsewhere the plain
 * loops do it all.
 */
#if defined(__x86_64__) || defined(__i386__)
#define WINOGRAD_VECTOR_ROWS 1
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#else
#pragma GCC target("avx2")
#endif
#include "ops/winograd_rows.h"
#else
#define WINOGRAD_VECTOR_ROWS 0
/* Never called: without vector rows no group is in a row. */
static void gather_row(const float *src, int side, int n, float *dst, int stride)
{
    (void)src, (void)side, (void)n, (void)dst, (void)stride;
}

static void store_row(const float *src, int side, float *dst, int stride)
{
    (void)src, (void)side, (void)dst, (void)stride;
}
#endif

#include "ops/winograd_lanes_entry.h"

#define LANES 8
#define WINOGRAD_INPUT sc_winograd_input_lanes8
#define WINOGRAD_OUTPUT sc_winograd_output_lanes8
#include "ops/winograd_lanes.h"

#if WINOGRAD_VECTOR_ROWS && defined(__clang__)
#pragma clang attribute pop
#endif
