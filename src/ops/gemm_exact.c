/*
 * The register tiles of reproducible mode, one per instruction set: AVX-512F
 * (8 x 32, the tile of gemm_avx512.c), AVX2 (6 x 16, gemm_avx2.c's) and SSE2,
 * the x86-64 baseline (6 x 8; plain C elsewhere). They share one body
 * (gemm_exact_tile.h) and give the same bits: see there. Without fused
 * multiply-adds they do twice the instructions of the default kernels.
 */
#include <string.h>

#include "ops/gemm_kernels.h"

#if defined(__x86_64__) || defined(__i386__)

#define EXACT_TILE tile_avx512
#define EXACT_TARGET __attribute__((target("avx512f")))
#define EXACT_FLOATS 16
#define EXACT_MR 8
#include "ops/gemm_exact_tile.h"
#undef EXACT_TILE
#undef EXACT_TARGET
#undef EXACT_FLOATS
#undef EXACT_MR

#define EXACT_TILE tile_avx2
#define EXACT_TARGET __attribute__((target("avx2")))
#define EXACT_FLOATS 8
#define EXACT_MR 6
#include "ops/gemm_exact_tile.h"
#undef EXACT_TILE
#undef EXACT_TARGET
#undef EXACT_FLOATS
#undef EXACT_MR

static int has_avx512(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
}

static int has_avx2(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
}

const sc_sgemm_kernel sc_sgemm_kernel_exact_avx512 = {"exact-avx512", 8, 32, tile_avx512,
                                                      has_avx512, NULL};
const sc_sgemm_kernel sc_sgemm_kernel_exact_avx2 = {"exact-avx2", 6, 16, tile_avx2, has_avx2, NULL};

#else /* not x86: only the baseline tile */

static int never(void) { return 0; }

const sc_sgemm_kernel sc_sgemm_kernel_exact_avx512 = {"exact-avx512", 0, 0, NULL, never, NULL};
const sc_sgemm_kernel sc_sgemm_kernel_exact_avx2 = {"exact-avx2", 0, 0, NULL, never, NULL};

#endif

#define EXACT_TILE tile_baseline
#define EXACT_TARGET
#define EXACT_FLOATS 4
#define EXACT_MR 6
#include "ops/gemm_exact_tile.h"

const sc_sgemm_kernel sc_sgemm_kernel_exact_sse2 = {"exact-sse2", 6, 8, tile_baseline, NULL, NULL};
