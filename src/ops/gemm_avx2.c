/*
 * AVX2+FMA register tile: 6 rows x 16 columns, 12 accumulators (of the 16
 * ymm registers, the rest hold B and the broadcast A). Each rows value below
 * six gets its own unrolled copy, so thin edges cost no wasted FMAs.
 */
#include "ops/gemm.h"
#include "ops/gemm_kernels.h"
#include "ops/ops.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define GEMM_OP(op) _mm256_##op
#include "ops/gemm_finish.h"

#define MR 6
#define NR 16
_Static_assert(MR <= SC_SGEMM_MR_MAX && NR <= SC_SGEMM_NR_MAX, "edge tile buffer too small");
_Static_assert(SC_SGEMM_ROWS_ALIGN % MR == 0, "row parts must fall on whole panels");
#define AVX2 __attribute__((target("avx2,fma")))

static inline __attribute__((always_inline)) AVX2 void
tile_rows(const int rows, int depth, const float *a, const float *b, long b_step, float *c,
          long ldc, int accumulate, const float *bias, int act)
{
    __m256 lo[MR], hi[MR];
#pragma GCC unroll 6
    for (int r = 0; r < rows; r++) {
        lo[r] = _mm256_setzero_ps();
        hi[r] = _mm256_setzero_ps();
    }
    for (int p = 0; p < depth; p++) {
        const __m256 b_lo = _mm256_loadu_ps(b), b_hi = _mm256_loadu_ps(b + 8);
#pragma GCC unroll 6
        for (int r = 0; r < rows; r++) {
            const __m256 a_r = _mm256_broadcast_ss(a + r);
            lo[r] = _mm256_fmadd_ps(a_r, b_lo, lo[r]);
            hi[r] = _mm256_fmadd_ps(a_r, b_hi, hi[r]);
        }
        a += MR;
        b += b_step;
    }
#pragma GCC unroll 6
    for (int r = 0; r < rows; r++) {
        float *row = c + r * ldc;
        if (accumulate) {
            lo[r] = _mm256_add_ps(_mm256_loadu_ps(row), lo[r]);
            hi[r] = _mm256_add_ps(_mm256_loadu_ps(row + 8), hi[r]);
        }
        SC_GEMM_FINISH(lo[r], bias ? bias + r : NULL, act);
        SC_GEMM_FINISH(hi[r], bias ? bias + r : NULL, act);
        _mm256_storeu_ps(row, lo[r]);
        _mm256_storeu_ps(row + 8, hi[r]);
    }
}

/* bias (NULL: none) and act (an SC_ACT_*) are applied to the finished sums in
 * registers, in the order of gemm.c's finish_tile: bias, then activation. */
AVX2 static void tile_finish(int rows, int depth, const float *a, const float *b, long b_step,
                             float *c, long ldc, int accumulate, const float *bias, int act)
{
    switch (rows) {
    case 6: tile_rows(6, depth, a, b, b_step, c, ldc, accumulate, bias, act); break;
    case 5: tile_rows(5, depth, a, b, b_step, c, ldc, accumulate, bias, act); break;
    case 4: tile_rows(4, depth, a, b, b_step, c, ldc, accumulate, bias, act); break;
    case 3: tile_rows(3, depth, a, b, b_step, c, ldc, accumulate, bias, act); break;
    case 2: tile_rows(2, depth, a, b, b_step, c, ldc, accumulate, bias, act); break;
    case 1: tile_rows(1, depth, a, b, b_step, c, ldc, accumulate, bias, act); break;
    default: break;
    }
}

AVX2 static void tile(int rows, int depth, const float *a, const float *b, long b_step,
                      float *c, long ldc, int accumulate)
{
    tile_finish(rows, depth, a, b, b_step, c, ldc, accumulate, NULL, SC_ACT_NONE);
}

static int supported(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

const sc_sgemm_kernel sc_sgemm_kernel_avx2 = {"avx2", MR, NR, tile, supported, tile_finish};

#else /* not x86: never picked, sc_sgemm falls back to cblas_sgemm */

static int supported(void) { return 0; }

const sc_sgemm_kernel sc_sgemm_kernel_avx2 = {"avx2", 0, 0, NULL, supported, NULL};

#endif
