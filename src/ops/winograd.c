/*
 * The transforms of F(4x4, 3x3) (points 0, 1, -1, 2, -2 and infinity),
 * F(4x4, 5x5) (1/2 and -1/2 added) and F(2x2, 3x3) (points 0, 1, -1 and
 * infinity), made once at load; the loops that transform the input and
 * output tiles are in ops/winograd_lanes.h (on 8 or 16 lanes, picked here).
 */
#include "ops/winograd.h"

#include <stdlib.h>
#include <string.h>

#include "core/isa.h"
#include "ops/winograd_lanes_entry.h"

/* G[j][c] = a_j^c / prod_{l != j} (a_j - a_l) for the finite points a_j; the
 * point at infinity picks the last filter tap. Points 0, 1, -1, infinity: */
static const double G2x3[4][3] = {
    {-1, 0, 0},
    {1.0 / 2, 1.0 / 2, 1.0 / 2},
    {1.0 / 2, -1.0 / 2, 1.0 / 2},
    {0, 0, 1},
};

/* Points 0, 1, -1, 2, -2, infinity. */
static const double G3[6][3] = {
    {1.0 / 4, 0, 0},
    {-1.0 / 6, -1.0 / 6, -1.0 / 6},
    {-1.0 / 6, 1.0 / 6, -1.0 / 6},
    {1.0 / 24, 1.0 / 12, 1.0 / 6},
    {1.0 / 24, -1.0 / 12, 1.0 / 6},
    {0, 0, 1},
};

/* Points 0, 1, -1, 2, -2, 1/2, -1/2, infinity. */
static const double G5[8][5] = {
    {-1, 0, 0, 0, 0},
    {-2.0 / 9, -2.0 / 9, -2.0 / 9, -2.0 / 9, -2.0 / 9},
    {-2.0 / 9, 2.0 / 9, -2.0 / 9, 2.0 / 9, -2.0 / 9},
    {1.0 / 90, 1.0 / 45, 2.0 / 45, 4.0 / 45, 8.0 / 45},
    {1.0 / 90, -1.0 / 45, 2.0 / 45, -4.0 / 45, 8.0 / 45},
    {32.0 / 45, 16.0 / 45, 8.0 / 45, 4.0 / 45, 2.0 / 45},
    {32.0 / 45, -16.0 / 45, 8.0 / 45, -4.0 / 45, 2.0 / 45},
    {0, 0, 0, 0, 1},
};

int sc_winograd_supports(int side, int k)
{
    return (side == SC_WINOGRAD_OUT && (k == 3 || k == 5)) || (side == 2 && k == 3);
}

/* G g G^T of the cin filters g[i] (k x k each, one output channel's) into
 * rows[p * cin + i], p < n * n, in double; inlined once per (n, k) below, with
 * G the matching table, so that the loops unroll. The filters are the inner
 * loop (they vectorise); each sum runs over t in order from 0.0, for every
 * filter alike. scratch: (k * k + n * k + 1) * cin doubles. */
static inline __attribute__((always_inline)) void transform_filters(const double *G, int n, int k,
                                                                    const float *g, int cin,
                                                                    float *rows, double *scratch)
{
    const size_t taps = (size_t)k * (size_t)k, m = (size_t)cin;
    double *tap = scratch;          /* [t][i]: the filters' taps, filter by filter */
    double *gg = tap + taps * m;    /* [r * k + c][i] = (G g)[r][c] */
    double *sum = gg + (size_t)n * (size_t)k * m;
    for (size_t t = 0; t < taps; t++)
        for (size_t i = 0; i < m; i++)
            tap[t * m + i] = g[i * taps + t];
    for (int r = 0; r < n; r++)
        for (int c = 0; c < k; c++) {
            double *v = gg + (size_t)(r * k + c) * m;
            for (size_t i = 0; i < m; i++)
                v[i] = 0.0;
            for (int t = 0; t < k; t++) {
                const double a = G[r * k + t];
                const double *b = tap + (size_t)(t * k + c) * m;
                for (size_t i = 0; i < m; i++)
                    v[i] += a * b[i];
            }
        }
    for (int r = 0; r < n; r++)
        for (int c = 0; c < n; c++) {
            for (size_t i = 0; i < m; i++)
                sum[i] = 0.0;
            for (int t = 0; t < k; t++) {
                const double *a = gg + (size_t)(r * k + t) * m;
                const double b = G[c * k + t];
                for (size_t i = 0; i < m; i++)
                    sum[i] += a[i] * b;
            }
            float *out = rows + (size_t)(r * n + c) * m;
            for (size_t i = 0; i < m; i++)
                out[i] = (float)sum[i];
        }
}

int sc_winograd_filters(const float *weight, int cout, int cin, int k, int side, float *u)
{
    if (!sc_winograd_supports(side, k))
        return -1;
    const int n = sc_winograd_in(side, k), points = n * n;
    const size_t plane = (size_t)cout * (size_t)cin;
    const size_t taps = (size_t)k * (size_t)k;
    /* One output channel's n*n rows at a time, so that u is written in order. */
    float *rows = malloc((size_t)points * (size_t)cin * sizeof *rows);
    double *scratch = malloc((taps + (size_t)n * (size_t)k + 1) * (size_t)cin * sizeof *scratch);
    if (!rows || !scratch) {
        free(rows);
        free(scratch);
        return -1;
    }
    for (int o = 0; o < cout; o++) {
        const float *g = weight + (size_t)o * (size_t)cin * taps;
        if (n == 4)
            transform_filters(&G2x3[0][0], 4, 3, g, cin, rows, scratch);
        else if (n == 6)
            transform_filters(&G3[0][0], 6, 3, g, cin, rows, scratch);
        else
            transform_filters(&G5[0][0], 8, 5, g, cin, rows, scratch);
        for (int p = 0; p < points; p++)
            memcpy(u + (size_t)p * plane + (size_t)o * (size_t)cin, rows + (size_t)p * (size_t)cin,
                   (size_t)cin * sizeof *rows);
    }
    free(rows);
    free(scratch);
    return 0;
}

/* Lanes of 16 where AVX-512 may run: the same bits in half the instructions. */
#if defined(__x86_64__) || defined(__i386__)
#define SIXTEEN_LANES() (sc_isa_allowed() >= SC_ISA_AVX512)
#else
#define SIXTEEN_LANES() 0
#define sc_winograd_input_lanes16 sc_winograd_input_lanes8
#define sc_winograd_output_lanes16 sc_winograd_output_lanes8
#endif

void sc_winograd_input(const sc_tensor *in, const sc_winograd_grid *grid, long first, int count,
                       float *v, size_t row_stride, size_t point_stride)
{
    if (SIXTEEN_LANES())
        sc_winograd_input_lanes16(in, grid, first, count, v, row_stride, point_stride);
    else
        sc_winograd_input_lanes8(in, grid, first, count, v, row_stride, point_stride);
}

void sc_winograd_output(const float *m, int cout, const sc_winograd_grid *grid, long first,
                        int count, const float *bias, int act, sc_tensor *out)
{
    if (SIXTEEN_LANES())
        sc_winograd_output_lanes16(m, cout, grid, first, count, bias, act, out);
    else
        sc_winograd_output_lanes8(m, cout, grid, first, count, bias, act, out);
}
