/*
 * AVX-512F register tile: 8 rows x 32 columns, 16 accumulators. Eight rows
 * divide the usual channel counts (64 ... 512) exactly, and each rows value
 * below eight gets its own unrolled copy, so thin edges cost no wasted FMAs.
 */
#include "ops/gemm.h"
#include "ops/gemm_kernels.h"
#include "ops/ops.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define GEMM_OP(op) _mm512_##op
#include "ops/gemm_finish.h"

#define MR 8
#define NR 32
_Static_assert(MR <= SC_SGEMM_MR_MAX && NR <= SC_SGEMM_NR_MAX, "edge tile buffer too small");
_Static_assert(SC_SGEMM_ROWS_ALIGN % MR == 0, "row parts must fall on whole panels");
#define AVX512 __attribute__((target("avx512f")))

static inline __attribute__((always_inline)) AVX512 void
tile_rows(const int rows, int depth, const float *a, const float *b, long b_step, float *c,
          long ldc, int accumulate, const float *bias, int act)
{
    __m512 lo[MR], hi[MR];
#pragma GCC unroll 8
    for (int r = 0; r < rows; r++) {
        lo[r] = _mm512_setzero_ps();
        hi[r] = _mm512_setzero_ps();
    }
    for (int p = 0; p < depth; p++) {
        const __m512 b_lo = _mm512_loadu_ps(b), b_hi = _mm512_loadu_ps(b + 16);
#pragma GCC unroll 8
        for (int r = 0; r < rows; r++) {
            const __m512 a_r = _mm512_set1_ps(a[r]);
            lo[r] = _mm512_fmadd_ps(a_r, b_lo, lo[r]);
            hi[r] = _mm512_fmadd_ps(a_r, b_hi, hi[r]);
        }
        a += MR;
        b += b_step;
    }
#pragma GCC unroll 8
    for (int r = 0; r < rows; r++) {
        float *row = c + r * ldc;
        if (accumulate) {
            lo[r] = _mm512_add_ps(_mm512_loadu_ps(row), lo[r]);
            hi[r] = _mm512_add_ps(_mm512_loadu_ps(row + 16), hi[r]);
        }
        SC_GEMM_FINISH(lo[r], bias ? bias + r : NULL, act);
        SC_GEMM_FINISH(hi[r], bias ? bias + r : NULL, act);
        _mm512_storeu_ps(row, lo[r]);
        _mm512_storeu_ps(row + 16, hi[r]);
    }
}

/* bias (NULL: none) and act (an SC_ACT_*) are applied to the finished sums in
 * registers, in the order of gemm.c's finish_tile: bias, then activation. */
AVX512 static void tile_finish(int rows, int depth, const float *a, const float *b, long b_step,
                               float *c, long ldc, int accumulate, const float *bias, int act)
{
    switch (rows) {
    case 8: tile_rows(8, depth, a, b, b_step, c, ldc, accumulate, bias, act); break;
    case 7: tile_rows(7, depth, a, b, b_step, c, ldc, accumulate, bias, act); break;
    case 6: tile_rows(6, depth, a, b, b_step, c, ldc, accumulate, bias, act); break;
    case 5: tile_rows(5, depth, a, b, b_step, c, ldc, accumulate, bias, act); break;
    case 4: tile_rows(4, depth, a, b, b_step, c, ldc, accumulate, bias, act); break;
    case 3: tile_rows(3, depth, a, b, b_step, c, ldc, accumulate, bias, act); break;
    case 2: tile_rows(2, depth, a, b, b_step, c, ldc, accumulate, bias, act); break;
    case 1: tile_rows(1, depth, a, b, b_step, c, ldc, accumulate, bias, act); break;
    default: break;
    }
}

AVX512 static void tile(int rows, int depth, const float *a, const float *b, long b_step,
                        float *c, long ldc, int accumulate)
{
    tile_finish(rows, depth, a, b, b_step, c, ldc, accumulate, NULL, SC_ACT_NONE);
}

static int supported(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
}

const sc_sgemm_kernel sc_sgemm_kernel_avx512 = {"avx512", MR, NR, tile, supported, tile_finish};

#else /* not x86: never picked, sc_sgemm falls back to cblas_sgemm */

static int supported(void) { return 0; }

const sc_sgemm_kernel sc_sgemm_kernel_avx512 = {"avx512", 0, 0, NULL, supported, NULL};

#endif
