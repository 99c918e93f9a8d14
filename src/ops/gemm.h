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

/* C[m x n] = A[m x k] · B[k x n]; lda, ldb, ldc are row strides in floats.
 * k == 0 zeroes C; m or n <= 0 does nothing. */
void sc_sgemm(int m, int n, int k, const float *a, int lda, const float *b, int ldb, float *c,
              int ldc);

/* As sc_sgemm with op(A) = A^T when trans_a (A stored k x m, lda >= m) and
 * op(B) = B^T when trans_b (B stored n x k, ldb >= k). */
void sc_sgemm_ex(int trans_a, int trans_b, int m, int n, int k, const float *a, int lda,
                 const float *b, int ldb, float *c, int ldc);

/* "avx512", "avx2" or "cblas": the kernel calls use now. */
const char *sc_sgemm_kernel_name(void);

/* Makes later calls use the named kernel ("avx512", "avx2", "cblas"). Returns
 * 0, or -1 (nothing changed) when the name is unknown or the CPU lacks it.
 * For tests and benchmarks: call it while no GEMM is running. */
int sc_sgemm_force_kernel(const char *name);

#endif
