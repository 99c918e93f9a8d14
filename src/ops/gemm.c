/*
 * Blocked, packed SGEMM driver. For each block of NC columns and KC depth,
 * B is copied into NR-wide panels and then, for each block of MC rows, A into
 * MR-tall panels, so the register tile (gemm_avx512.c, gemm_avx2.c) reads both
 * from contiguous memory: a B panel stays in L1 while the A block streams from
 * L2. When A has only a few row panels, B is read in place instead: copying
 * it would cost more than its strided reads (the arithmetic is the same).
 * The packing buffers belong to the calling thread (1.2 MB, allocated on its
 * first call, freed when the thread ends).
 */
#include "ops/gemm.h"

#include <cblas.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "ops/gemm_kernels.h"
#include "ops/ops.h"
#include "skychange.h"

/* Depth of one block: a KC x 32 B panel (32 KB) fits in L1. K is cut into
 * equal blocks of at most KC_MAX, a cut that depends on k alone. */
#define KC_MAX 256
/* Rows of A packed at once (rounded down to whole panels): 192 KB, in L2. */
#define MC 192
/* Columns of B packed at once (rounded down to whole panels): 1 MB. */
#define NC 1024

/* Up to this many rows of A, B is read in place rather than packed (measured:
 * 5-12% faster at 64 rows, slower from 128 on). */
#define B_IN_PLACE_MAX_ROWS 64

#define PACK_A_FLOATS ((size_t)MC * KC_MAX)
#define PACK_B_FLOATS ((size_t)KC_MAX * NC)
#define EDGE_FLOATS ((size_t)SC_SGEMM_MR_MAX * SC_SGEMM_NR_MAX)
#define WORK_BYTES ((PACK_A_FLOATS + PACK_B_FLOATS + EDGE_FLOATS) * sizeof(float))
_Static_assert(WORK_BYTES % 64 == 0, "aligned_alloc needs a multiple of the alignment");

/* Per-thread packing buffers; the key's destructor frees them at thread exit. */
static pthread_key_t g_work_key;
static pthread_once_t g_work_once = PTHREAD_ONCE_INIT;
static int g_work_key_made;

static void make_work_key(void) { g_work_key_made = pthread_key_create(&g_work_key, free) == 0; }

static float *thread_work(void)
{
    if (pthread_once(&g_work_once, make_work_key) != 0 || !g_work_key_made)
        return NULL;
    float *work = pthread_getspecific(g_work_key);
    if (!work) {
        work = aligned_alloc(64, WORK_BYTES);
        if (work && pthread_setspecific(g_work_key, work) != 0) {
            free(work);
            work = NULL;
        }
    }
    return work;
}

/* OpenBLAS's thread count is process-wide: it cannot be given per call. Our
 * callers already split the work across their own threads, so OpenBLAS runs
 * on the calling thread only. Set once, before the first cblas call, so that
 * concurrent calls never write it while another is inside OpenBLAS. */
static pthread_once_t g_openblas_once = PTHREAD_ONCE_INIT;

static void set_openblas_single_thread(void) { openblas_set_num_threads(1); }

static void pin_openblas_to_one_thread(void)
{
    /* pthread_once fails only on an invalid argument. */
    (void)pthread_once(&g_openblas_once, set_openblas_single_thread);
}

/* OpenBLAS's own fork handler, which stops its worker threads; weak, so that
 * a BLAS without it is left as it is. */
extern int blas_thread_shutdown_(void) __attribute__((weak));

int sc_stop_openblas_threads(void)
{
    if (!blas_thread_shutdown_)
        return -1;
    pin_openblas_to_one_thread();
    (void)blas_thread_shutdown_();
    return 0;
}

/* A general view of a matrix: element (i, j) at data[i*rs + j*cs]. */
typedef struct view {
    const float *data;
    long rs, cs;
} view;

/* Rows [i0, i0+mc) x depth [p0, p0+kc) of A into panels of mr rows:
 * panel q, step p, row r at dst[q*mr*kc + p*mr + r]. */
static void pack_a(view a, int i0, int mc, int p0, int kc, int mr, float *dst)
{
    for (int q = 0; q < mc; q += mr) {
        const int rows = mc - q < mr ? mc - q : mr;
        for (int r = 0; r < rows; r++) {
            const float *src = a.data + (i0 + q + r) * a.rs + p0 * a.cs;
            float *out = dst + r;
            for (int p = 0; p < kc; p++)
                out[(size_t)p * (size_t)mr] = src[p * a.cs];
        }
        dst += (size_t)mr * (size_t)kc;
    }
}

/* Depth [p0, p0+kc) x columns [j0, j0+nc) of B into panels of nr columns:
 * panel q, step p, column j at dst[q*nr*kc + p*nr + j]; the last panel is
 * padded with zeros. */
static void pack_b(view b, int p0, int kc, int j0, int nc, int nr, float *dst)
{
    for (int q = 0; q < nc; q += nr) {
        const int cols = nc - q < nr ? nc - q : nr;
        for (int p = 0; p < kc; p++) {
            const float *src = b.data + (p0 + p) * b.rs + (j0 + q) * b.cs;
            float *out = dst + (size_t)p * (size_t)nr;
            if (b.cs == 1) {
                memcpy(out, src, (size_t)cols * sizeof *out);
            } else {
                for (int j = 0; j < cols; j++)
                    out[j] = src[j * b.cs];
            }
            if (cols < nr)
                memset(out + cols, 0, (size_t)(nr - cols) * sizeof *out);
        }
        dst += (size_t)nr * (size_t)kc;
    }
}

/* C (= or +=) the edge tile, the same single add the kernels do. */
static void merge_edge(const float *edge, int nr, int rows, int cols, float *c, long ldc,
                       int accumulate)
{
    for (int r = 0; r < rows; r++) {
        float *row = c + r * ldc;
        const float *src = edge + (size_t)r * (size_t)nr;
        for (int j = 0; j < cols; j++)
            row[j] = accumulate ? row[j] + src[j] : src[j];
    }
}

/* Rows (and with them bias values) a packed A holds per depth step: whole panels. */
static int padded_rows(int m, int mr) { return (m + mr - 1) / mr * mr; }

/* Depth blocks of at most KC_MAX, cut from k alone (the sums' order depends on it). */
static int depth_step(int k)
{
    const int depth_blocks = (k + KC_MAX - 1) / KC_MAX;
    return (k + depth_blocks - 1) / depth_blocks;
}

/* The output pass of a finished tile, while it is in L1: the bias added after
 * the whole sum, then the activation (the order of a separate sweep). */
static void finish_tile(float *c, long ldc, int rows, int cols, const float *bias, int act)
{
    for (int r = 0; r < rows; r++)
        sc_add_activate(c + r * ldc, cols, bias ? bias + r : NULL, act);
}

/* packed_a: A already in panels (sc_sgemm_pack for this kernel), or NULL. */
static void blocked(const sc_sgemm_kernel *kern, float *work, int m, int n, int k, view a,
                    const sc_sgemm_packed *packed_a, view b, float *c, long ldc,
                    const float *bias, int act)
{
    const int mr = kern->mr, nr = kern->nr;
    /* Whole panels per block, so the packed blocks fit their buffers. */
    const int mc_block = MC / mr * mr, nc_block = NC / nr * nr;
    float *packed_b = work + PACK_A_FLOATS;
    float *edge = packed_b + PACK_B_FLOATS;
    const int b_in_place = m <= B_IN_PLACE_MAX_ROWS && b.cs == 1;
    const int kc_step = depth_step(k);
    const size_t m_padded = packed_a ? (size_t)padded_rows(packed_a->m_packed, mr) : 0;
    const int row0 = packed_a ? packed_a->row0 : 0;
    const int finish = bias || act != SC_ACT_NONE;
    for (int j0 = 0; j0 < n; j0 += nc_block) {
        const int nc = n - j0 < nc_block ? n - j0 : nc_block;
        for (int p0 = 0; p0 < k; p0 += kc_step) {
            const int kc = k - p0 < kc_step ? k - p0 : kc_step;
            const int accumulate = p0 > 0;
            if (!b_in_place)
                pack_b(b, p0, kc, j0, nc, nr, packed_b);
            for (int i0 = 0; i0 < m; i0 += mc_block) {
                const int mc = m - i0 < mc_block ? m - i0 : mc_block;
                const float *block_a = packed_a ? packed_a->data + (size_t)p0 * m_padded +
                                                      (size_t)(row0 + i0) * (size_t)kc
                                                : work;
                if (!packed_a)
                    pack_a(a, i0, mc, p0, kc, mr, work);
                for (int jq = 0; jq < nc; jq += nr) {
                    const int cols = nc - jq < nr ? nc - jq : nr;
                    const float *panel_b = packed_b + (size_t)jq * (size_t)kc;
                    long b_step = nr;
                    if (b_in_place && cols == nr) {
                        panel_b = b.data + p0 * b.rs + j0 + jq;
                        b_step = b.rs;
                    } else if (b_in_place) {
                        /* The last, narrower panel: packed, so no read runs past B. */
                        pack_b(b, p0, kc, j0 + jq, cols, nr, packed_b);
                        panel_b = packed_b;
                    }
                    for (int iq = 0; iq < mc; iq += mr) {
                        const int rows = mc - iq < mr ? mc - iq : mr;
                        const float *panel_a = block_a + (size_t)iq * (size_t)kc;
                        float *ct = c + (i0 + iq) * ldc + j0 + jq;
                        const int last = finish && p0 + kc == k;
                        const float *tile_bias = bias ? bias + i0 + iq : NULL;
                        if (cols == nr && last && kern->tile_finish) {
                            kern->tile_finish(rows, kc, panel_a, panel_b, b_step, ct, ldc,
                                              accumulate, tile_bias, act);
                            continue;
                        }
                        if (cols == nr) {
                            kern->tile(rows, kc, panel_a, panel_b, b_step, ct, ldc, accumulate);
                        } else {
                            kern->tile(rows, kc, panel_a, panel_b, b_step, edge, nr, 0);
                            merge_edge(edge, nr, rows, cols, ct, ldc, accumulate);
                        }
                        if (last)
                            finish_tile(ct, ldc, rows, cols, tile_bias, act);
                    }
                }
            }
        }
    }
}

/* Reproducible mode without packing buffers: the tiles' arithmetic, value by
 * value (the same depth blocks, each summed from zero and then added to C). */
static void exact_unpacked(int m, int n, int k, view a, view b, float *c, long ldc)
{
    const int kc_step = depth_step(k);
    for (int p0 = 0; p0 < k; p0 += kc_step) {
        const int p1 = k - p0 < kc_step ? k : p0 + kc_step;
        for (int i = 0; i < m; i++) {
            float *row = c + i * ldc;
            for (int j = 0; j < n; j++) {
                float sum = 0.0f;
                for (int p = p0; p < p1; p++) {
                    const float product = a.data[i * a.rs + p * a.cs] * b.data[p * b.rs + j * b.cs];
                    sum = sum + product;
                }
                row[j] = p0 > 0 ? row[j] + sum : sum;
            }
        }
    }
}

/* The product with a plain or packed A; a kernel-less CPU hands it to cblas. */
static void product(int trans_a, int trans_b, int m, int n, int k, const float *a, int lda,
                    const sc_sgemm_packed *packed, const float *b, int ldb, float *c, int ldc,
                    const float *bias, int act)
{
    if (m <= 0 || n <= 0)
        return;
    if (k <= 0) {
        for (int i = 0; i < m; i++)
            memset(c + (size_t)i * (size_t)ldc, 0, (size_t)n * sizeof *c);
        finish_tile(c, ldc, m, n, bias, act);
        return;
    }
    const sc_sgemm_kernel *kern = sc_sgemm_pick();
    float *work = kern->tile ? thread_work() : NULL;
    if (!work && sc_sgemm_kernel_exact(kern)) {
        /* No memory for packing in reproducible mode: OpenBLAS would round
         * differently, so the tiles' arithmetic runs unpacked. */
        exact_unpacked(m, n, k, trans_a ? (view){a, 1, lda} : (view){a, lda, 1},
                       trans_b ? (view){b, 1, ldb} : (view){b, ldb, 1}, c, ldc);
        finish_tile(c, ldc, m, n, bias, act);
        return;
    }
    if (!work) {
        /* No kernel of ours for this CPU (or no memory for packing). */
        pin_openblas_to_one_thread();
        cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                    trans_b ? CblasTrans : CblasNoTrans, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c,
                    ldc);
        finish_tile(c, ldc, m, n, bias, act);
        return;
    }
    const view va = trans_a ? (view){a, 1, lda} : (view){a, lda, 1};
    const view vb = trans_b ? (view){b, 1, ldb} : (view){b, ldb, 1};
    const sc_sgemm_packed *packed_a =
        packed && packed->kernel == kern && packed->m == m && packed->k == k ? packed : NULL;
    blocked(kern, work, m, n, k, va, packed_a, vb, c, ldc, bias, act);
}

void sc_sgemm_ex(int trans_a, int trans_b, int m, int n, int k, const float *a, int lda,
                 const float *b, int ldb, float *c, int ldc)
{
    product(trans_a, trans_b, m, n, k, a, lda, NULL, b, ldb, c, ldc, NULL, SC_ACT_NONE);
}

void sc_sgemm(int m, int n, int k, const float *a, int lda, const float *b, int ldb, float *c,
              int ldc)
{
    sc_sgemm_ex(0, 0, m, n, k, a, lda, b, ldb, c, ldc);
}

void sc_sgemm_fused(int m, int n, int k, const float *a, int lda, const sc_sgemm_packed *packed,
                    const float *b, int ldb, float *c, int ldc, const float *bias, int act)
{
    product(0, 0, m, n, k, a, lda, packed, b, ldb, c, ldc, bias, act);
}

size_t sc_sgemm_packed_floats(int m, int k)
{
    const sc_sgemm_kernel *kern = sc_sgemm_pick();
    if (!kern->tile || m <= 0 || k <= 0)
        return 0;
    return (size_t)padded_rows(m, kern->mr) * (size_t)k;
}

int sc_sgemm_pack_rows(int m, int k, int row0, int rows, const float *a, int lda, float *dst,
                       sc_sgemm_packed *out)
{
    const sc_sgemm_kernel *kern = sc_sgemm_pick();
    if (!kern->tile || m <= 0 || k <= 0 || !a || !dst || !out || row0 < 0 || rows <= 0 ||
        row0 + rows > m || row0 % kern->mr)
        return -1;
    const size_t m_padded = (size_t)padded_rows(m, kern->mr);
    const int kc_step = depth_step(k);
    for (int p0 = 0; p0 < k; p0 += kc_step) {
        const int kc = k - p0 < kc_step ? k - p0 : kc_step;
        pack_a((view){a, lda, 1}, 0, rows, p0, kc, kern->mr,
               dst + (size_t)p0 * m_padded + (size_t)row0 * (size_t)kc);
    }
    *out = (sc_sgemm_packed){kern, m, k, dst, 0, m};
    return 0;
}

int sc_sgemm_pack(int m, int k, const float *a, int lda, float *dst, sc_sgemm_packed *out)
{
    return sc_sgemm_pack_rows(m, k, 0, m, a, lda, dst, out);
}

int sc_sgemm_packed_rows(const sc_sgemm_packed *all, int row0, int rows, sc_sgemm_packed *out)
{
    const sc_sgemm_kernel *kern = all ? (const sc_sgemm_kernel *)all->kernel : NULL;
    if (!kern || !out || row0 < 0 || rows <= 0 || row0 + rows > all->m || row0 % kern->mr)
        return -1;
    *out = *all;
    out->row0 = all->row0 + row0;
    out->m = rows;
    return 0;
}

int sc_sgemm_cuts_freely(void) { return sc_sgemm_pick()->tile != NULL; }

int sc_sgemm_packed_usable(const sc_sgemm_packed *packed)
{
    return packed && packed->kernel == (const void *)sc_sgemm_pick();
}
