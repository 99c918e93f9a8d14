#include "core/parallel.h"
#include "core/reproducible.h"
#include "ops/gemm.h"
#include "ops/ops.h"

/* Rows of C per GEMM call: a fixed cut, so results do not depend on --threads;
 * small enough that the OCR head's 512- and 256-row products split among the
 * workers (with 512 one worker did each alone). */
#define MATMUL_BLOCK_ROWS 64

void sc_matmul(const float *a, int trans_a, const float *b, int trans_b, float *c,
               int m, int n, int k)
{
    if (m <= 0 || n <= 0 || k <= 0)
        return;
    const int blocks = (m + MATMUL_BLOCK_ROWS - 1) / MATMUL_BLOCK_ROWS;
    const int lda = trans_a ? m : k, ldb = trans_b ? k : n;
    /* The workers run this call's GEMMs in this call's mode. */
    const int reproducible = sc_reproducible();
#pragma omp parallel for num_threads(sc_get_threads()) if (blocks > 1) schedule(dynamic, 1)
    for (int blk = 0; blk < blocks; blk++) {
        sc_set_reproducible(reproducible);
        const int first = blk * MATMUL_BLOCK_ROWS;
        const int rows = m - first < MATMUL_BLOCK_ROWS ? m - first : MATMUL_BLOCK_ROWS;
        /* Row `first` of op(A) starts at row `first` of A, or column `first` of A^T. */
        const float *a_rows = a + (trans_a ? (size_t)first : (size_t)first * (size_t)k);
        sc_sgemm_ex(trans_a, trans_b, rows, n, k, a_rows, lda, b, ldb,
                    c + (size_t)first * (size_t)n, n);
    }
}
