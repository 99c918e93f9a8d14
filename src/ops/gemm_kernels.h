/*
 * The micro-kernels behind sc_sgemm (internal to gemm*.c). Each lives in its
 * own file compiled for its instruction set, so the rest of the project stays
 * baseline x86-64; gemm.c only calls one after checking the CPU has it.
 */
#ifndef SC_OPS_GEMM_KERNELS_H
#define SC_OPS_GEMM_KERNELS_H

#include <stddef.h>

/* Largest register tile of any kernel: sizes the edge buffer in gemm.c. */
#define SC_SGEMM_MR_MAX 8
#define SC_SGEMM_NR_MAX 32

/*
 * One register tile: C[rows x nr] (= or +=) Apanel · Bpanel, rows <= mr.
 * a: depth steps of mr floats (row r of step p at a[p*mr + r]);
 * b: nr floats per depth step, step p at b + p*b_step (b_step = nr for a
 * packed panel, B's row stride when read in place).
 * Every sum starts from zero and runs over p in order; with accumulate the
 * finished sum is then added to C once. The result of one C value thus never
 * depends on rows, on ldc or on where C lies in memory.
 */
typedef void (*sc_sgemm_tile_fn)(int rows, int depth, const float *a, const float *b,
                                 long b_step, float *c, long ldc, int accumulate);

/* The same tile with the output pass of the last depth block done in
 * registers before the store: bias[r] added to row r (bias NULL: none), then
 * act (an SC_ACT_*), with the values of gemm.c's separate pass. */
typedef void (*sc_sgemm_tile_finish_fn)(int rows, int depth, const float *a, const float *b,
                                        long b_step, float *c, long ldc, int accumulate,
                                        const float *bias, int act);

typedef struct sc_sgemm_kernel {
    const char *name;
    int mr, nr;
    sc_sgemm_tile_fn tile; /* NULL: hand the whole call to cblas_sgemm */
    int (*supported)(void); /* NULL: every CPU */
    sc_sgemm_tile_finish_fn tile_finish; /* NULL: gemm.c makes the output pass */
} sc_sgemm_kernel;

extern const sc_sgemm_kernel sc_sgemm_kernel_avx512;
extern const sc_sgemm_kernel sc_sgemm_kernel_avx2;
/* Reproducible mode's tiles (gemm_exact.c): the same bits from each. */
extern const sc_sgemm_kernel sc_sgemm_kernel_exact_avx512;
extern const sc_sgemm_kernel sc_sgemm_kernel_exact_avx2;
extern const sc_sgemm_kernel sc_sgemm_kernel_exact_sse2;
/* No tile: the whole product goes to OpenBLAS's cblas_sgemm. */
extern const sc_sgemm_kernel sc_sgemm_kernel_cblas;

/* The kernel for a product computed now on this thread (gemm_dispatch.c):
 * one forced by sc_sgemm_force_kernel, else reproducible mode's (when
 * sc_reproducible()) or the fastest, within the CPU and SKYCHANGE_ISA. */
const sc_sgemm_kernel *sc_sgemm_pick(void);
/* 1 for the reproducible mode's kernels. */
int sc_sgemm_kernel_exact(const sc_sgemm_kernel *kern);

#endif
