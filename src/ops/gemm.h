/*
 * Single-precision GEMM for the convolution and matmul paths (internal to ops).
 * C = A·B, row-major, beta 0, single-threaded: callers parallelise over tiles.
 *
 * The kernel is picked once per process from what the CPU supports (AVX-512F,
 * else AVX2+FMA, else OpenBLAS's cblas_sgemm). With our own kernels every
 * C[i][j] is summed in a fixed order that depends only on k: the same inputs
 * give the same bits whatever thread runs the call, where the call's tile
 * starts in C, or how the pointers are aligned.
 */
#ifndef SC_OPS_GEMM_H
#define SC_OPS_GEMM_H

#include <stddef.h>

/* C[m x n] = A[m x k] · B[k x n]; lda, ldb, ldc are row strides in floats.
 * k == 0 zeroes C; m or n <= 0 does nothing. */
void sc_sgemm(int m, int n, int k, const float *a, int lda, const float *b, int ldb, float *c,
              int ldc);

/* As sc_sgemm with op(A) = A^T when trans_a (A stored k x m, lda >= m) and
 * op(B) = B^T when trans_b (B stored n x k, ldb >= k). */
void sc_sgemm_ex(int trans_a, int trans_b, int m, int n, int k, const float *a, int lda,
                 const float *b, int ldb, float *c, int ldc);

/* A left matrix packed once into the panels of the kernel in use (at model
 * load), so that repeated products skip re-packing it. It stays tied to that
 * kernel: after sc_sgemm_force_kernel it no longer matches and is not used. */
typedef struct sc_sgemm_packed {
    const void *kernel; /* the kernel it was packed for */
    int m, k;
    const float *data;
    int row0, m_packed; /* rows row0 .. row0+m-1 of the m_packed rows packed */
} sc_sgemm_packed;

/* Floats sc_sgemm_pack writes for an m x k A; 0 when the kernel in use packs
 * nothing (cblas). */
size_t sc_sgemm_packed_floats(int m, int k);
/* Packs A (m x k, row stride lda) into dst (sc_sgemm_packed_floats floats)
 * and describes it in *out. Returns 0, or -1 when there is nothing to pack for. */
int sc_sgemm_pack(int m, int k, const float *a, int lda, float *dst, sc_sgemm_packed *out);
/* Packs rows row0 .. row0+rows-1 of an m x k A (given as a: those rows
 * only, row stride lda) into their place in dst, the sc_sgemm_packed_floats(m,
 * k) floats sc_sgemm_pack would fill for the whole A, and describes the whole
 * A in *out: so that A can be packed a few rows at a time, the same floats in
 * the same places (out is usable once every row is packed). row0 must be a
 * multiple of SC_SGEMM_ROWS_ALIGN. Returns 0, or -1 for rows out of range, a
 * misaligned row0 or a kernel that packs nothing. */
int sc_sgemm_pack_rows(int m, int k, int row0, int rows, const float *a, int lda, float *dst,
                       sc_sgemm_packed *out);

/* Rows row0 .. row0+rows-1 of a packed A as a packed A of their own, for
 * products of part of its rows: their sums are those of the whole product's
 * rows. Returns 0, or -1 when the rows are out of range or row0 is not a
 * multiple of the kernel's row panel (SC_SGEMM_ROWS_ALIGN divides by every
 * kernel's). */
int sc_sgemm_packed_rows(const sc_sgemm_packed *all, int row0, int rows, sc_sgemm_packed *out);
#define SC_SGEMM_ROWS_ALIGN 24

/* 1 when packed was made for the kernel in use. */
int sc_sgemm_packed_usable(const sc_sgemm_packed *packed);

/* C = act(A·B + bias[row]) (bias may be NULL; act an SC_ACT_* of ops.h), the
 * bias and activation applied to each register tile as it is finished, in the
 * order of a separate sweep after the product, so the bits are the same. A is
 * read from `packed` when that is usable for this m and k, else from a (which
 * may then not be NULL). The sums are those of sc_sgemm either way. */
void sc_sgemm_fused(int m, int n, int k, const float *a, int lda, const sc_sgemm_packed *packed,
                    const float *b, int ldb, float *c, int ldc, const float *bias, int act);

/* 1 when the kernel in use computes every C value the same way however the
 * product's columns and rows are cut into calls (ours; not cblas). */
int sc_sgemm_cuts_freely(void);

/* The kernel products computed now on this thread use: "avx512", "avx2" or
 * "cblas" (OpenBLAS), or in reproducible mode (core/reproducible.h)
 * "exact-avx512", "exact-avx2" or "exact-sse2", whose results are the same
 * bits. The best the CPU and SKYCHANGE_ISA (core/isa.h) allow. */
const char *sc_sgemm_kernel_name(void);

/* Makes later calls, in either mode, use the named kernel (a name above);
 * "auto" goes back to the automatic choice. Returns 0, or -1 (nothing
 * changed) when the name is unknown or the CPU lacks it. For tests and
 * benchmarks: call it while no GEMM is running. */
int sc_sgemm_force_kernel(const char *name);

#endif
