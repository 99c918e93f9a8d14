#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/gemm.h"
#include "ops/helper_ops.h"
#include "ops/ops.h"

static const char *const KERNEL_NAMES[] = {"avx512", "avx2", "cblas"};
#define KERNEL_COUNT (sizeof KERNEL_NAMES / sizeof KERNEL_NAMES[0])

/* Written into C around the product: a GEMM must never touch it. */
#define GUARD 1234.5f

typedef struct shape {
    int m, n, k;
} shape;

/* Edges of every register tile and cache block: 1, just under/over 6, 8, 16,
 * 32, the depth block (256) and the row/column blocks (192, 1024); the depths
 * of the networks' layers (4*9, 64*25, 512*9). */
static const shape SHAPES[] = {
    {1, 1, 1},     {1, 1, 1600}, {1, 37, 36},   {5, 1, 9},     {2, 3, 4},     {6, 16, 1},
    {7, 17, 36},   {8, 32, 256}, {9, 33, 257},  {13, 95, 300}, {16, 64, 513}, {18, 100, 162},
    {64, 448, 36}, {3, 70, 4608}, {193, 45, 20}, {10, 1030, 7}, {64, 96, 1600}, {31, 31, 31},
};

typedef struct problem {
    int m, n, k, trans_a, trans_b;
    int lda, ldb, ldc;
    float *a, *b, *c;
    double *want;
} problem;

/* Random A and B with padded leading dimensions, C filled with GUARD, and
 * the float64 product. */
static problem make_problem(shape s, int trans_a, int trans_b, int pad, unsigned seed)
{
    problem p = {s.m, s.n, s.k, trans_a, trans_b, 0, 0, 0, NULL, NULL, NULL, NULL};
    const int a_rows = trans_a ? s.k : s.m, a_cols = trans_a ? s.m : s.k;
    const int b_rows = trans_b ? s.n : s.k, b_cols = trans_b ? s.k : s.n;
    p.lda = a_cols + pad;
    p.ldb = b_cols + 2 * pad;
    p.ldc = s.n + 3 * pad;
    size_t a_size = (size_t)a_rows * (size_t)p.lda, b_size = (size_t)b_rows * (size_t)p.ldb;
    size_t c_size = (size_t)s.m * (size_t)p.ldc;
    p.a = malloc(a_size * sizeof(float));
    p.b = malloc(b_size * sizeof(float));
    p.c = malloc(c_size * sizeof(float));
    p.want = calloc((size_t)s.m * (size_t)s.n, sizeof(double));
    assert_true(p.a && p.b && p.c && p.want);
    fill_uniform(p.a, a_size, seed, -1.0f, 1.0f);
    fill_uniform(p.b, b_size, seed + 7, -1.0f, 1.0f);
    for (size_t i = 0; i < c_size; i++)
        p.c[i] = GUARD;
    for (int i = 0; i < s.m; i++) {
        for (int j = 0; j < s.n; j++) {
            double sum = 0.0;
            for (int q = 0; q < s.k; q++) {
                double x = trans_a ? p.a[(size_t)q * p.lda + i] : p.a[(size_t)i * p.lda + q];
                double y = trans_b ? p.b[(size_t)j * p.ldb + q] : p.b[(size_t)q * p.ldb + j];
                sum += x * y;
            }
            p.want[(size_t)i * s.n + j] = sum;
        }
    }
    return p;
}

static void free_problem(problem *p)
{
    free(p->a);
    free(p->b);
    free(p->c);
    free(p->want);
}

static void run_problem(problem *p)
{
    if (p->trans_a || p->trans_b)
        sc_sgemm_ex(p->trans_a, p->trans_b, p->m, p->n, p->k, p->a, p->lda, p->b, p->ldb, p->c,
                    p->ldc);
    else
        sc_sgemm(p->m, p->n, p->k, p->a, p->lda, p->b, p->ldb, p->c, p->ldc);
}

/* max |C - want| / max |want| over the product; the padding must still hold GUARD. */
static double check_problem(const problem *p, const char *kernel)
{
    double err = 0.0, scale = 0.0;
    for (int i = 0; i < p->m; i++) {
        for (int j = 0; j < p->ldc; j++) {
            float got = p->c[(size_t)i * p->ldc + j];
            if (j >= p->n) {
                if (got != GUARD)
                    fail_msg("%s %dx%dx%d: wrote outside C at (%d, %d)", kernel, p->m, p->n, p->k,
                             i, j);
                continue;
            }
            double want = p->want[(size_t)i * p->n + j];
            if (!isfinite(got))
                fail_msg("%s %dx%dx%d: C(%d, %d) = %g", kernel, p->m, p->n, p->k, i, j, got);
            err = fmax(err, fabs(got - want));
            scale = fmax(scale, fabs(want));
        }
    }
    return scale > 0.0 ? err / scale : err;
}

/* Every available kernel on every shape, plain and with padded strides,
 * untransposed and transposed. */
static void every_kernel_matches_float64(void **state)
{
    (void)state;
    int tested = 0;
    for (size_t kn = 0; kn < KERNEL_COUNT; kn++) {
        if (sc_sgemm_force_kernel(KERNEL_NAMES[kn]) != 0) {
            printf("kernel %s: not available on this CPU\n", KERNEL_NAMES[kn]);
            continue;
        }
        assert_string_equal(sc_sgemm_kernel_name(), KERNEL_NAMES[kn]);
        tested++;
        double worst = 0.0;
        for (size_t s = 0; s < sizeof SHAPES / sizeof SHAPES[0]; s++) {
            for (int variant = 0; variant < 6; variant++) {
                const int pad = variant % 2 ? 5 : 0;
                const int trans_a = variant / 2 == 1, trans_b = variant / 2 == 2;
                problem p = make_problem(SHAPES[s], trans_a, trans_b, pad, (unsigned)(s + 1));
                run_problem(&p);
                double err = check_problem(&p, KERNEL_NAMES[kn]);
                if (err > OPS_REL_TOLERANCE)
                    fail_msg("%s %dx%dx%d trans %d%d pad %d: relative error %g", KERNEL_NAMES[kn],
                             p.m, p.n, p.k, trans_a, trans_b, pad, err);
                worst = fmax(worst, err);
                free_problem(&p);
            }
        }
        printf("kernel %s: worst relative error %.3g\n", KERNEL_NAMES[kn], worst);
    }
    assert_true(tested >= 1);
}

static void zero_depth_zeroes_c_and_empty_c_is_untouched(void **state)
{
    (void)state;
    for (size_t kn = 0; kn < KERNEL_COUNT; kn++) {
        if (sc_sgemm_force_kernel(KERNEL_NAMES[kn]) != 0)
            continue;
        float a[4] = {1, 2, 3, 4}, b[4] = {1, 2, 3, 4};
        float c[6] = {GUARD, GUARD, GUARD, GUARD, GUARD, GUARD};
        sc_sgemm(2, 2, 0, a, 1, b, 2, c, 3);
        const float want[6] = {0, 0, GUARD, 0, 0, GUARD};
        assert_memory_equal(c, want, sizeof want);
        sc_sgemm(0, 2, 2, a, 2, b, 2, c, 3);
        sc_sgemm(2, 0, 2, a, 2, b, 2, c, 3);
        assert_memory_equal(c, want, sizeof want);
    }
}

/* What the convolution relies on: a column of C gets the same bits whether it
 * is computed in one call or in a narrower call starting at another column,
 * and whatever the alignment of A, B and C. */
static void results_do_not_depend_on_tile_start_or_alignment(void **state)
{
    (void)state;
    /* More rows than sc_sgemm reads B in place for, so the whole product
     * packs B and the calls on a few rows do not. */
    const int m = 70, n = 300, k = 600;
    float *a = malloc(((size_t)m * k + 3) * sizeof(float));
    float *b = malloc(((size_t)k * n + 3) * sizeof(float));
    float *whole = malloc((size_t)m * n * sizeof(float));
    float *part = malloc(((size_t)m * n + 3) * sizeof(float));
    assert_true(a && b && whole && part);
    for (size_t kn = 0; kn < KERNEL_COUNT; kn++) {
        if (sc_sgemm_force_kernel(KERNEL_NAMES[kn]) != 0 || !strcmp(KERNEL_NAMES[kn], "cblas"))
            continue;
        fill_uniform(a, (size_t)m * k, 11, -1.0f, 1.0f);
        fill_uniform(b, (size_t)k * n, 12, -1.0f, 1.0f);
        sc_sgemm(m, n, k, a, k, b, n, whole, n);
        for (int shift = 1; shift <= 3; shift++) {
            /* The same matrices moved by `shift` floats, cut into tiles of 37 columns. */
            memmove(a + shift, a + shift - 1, (size_t)m * k * sizeof(float));
            memmove(b + shift, b + shift - 1, (size_t)k * n * sizeof(float));
            for (int first = 0; first < n; first += 37) {
                int count = n - first < 37 ? n - first : 37;
                sc_sgemm(m, count, k, a + shift, k, b + shift + first, n, part + shift + first, n);
            }
            if (memcmp(part + shift, whole, (size_t)m * n * sizeof(float)) != 0)
                fail_msg("%s: bits differ for tiles shifted by %d floats", KERNEL_NAMES[kn],
                         shift);
        }
        /* Rows: computing rows 5.. alone gives the same bits too, and so do
         * the last 1 and 3 rows alone. */
        fill_uniform(a, (size_t)m * k, 11, -1.0f, 1.0f);
        fill_uniform(b, (size_t)k * n, 12, -1.0f, 1.0f);
        const int firsts[] = {5, m - 3, m - 1};
        for (int f = 0; f < 3; f++) {
            const int first = firsts[f];
            sc_sgemm(m - first, n, k, a + (size_t)first * k, k, b, n, part, n);
            assert_memory_equal(part, whole + (size_t)first * n,
                                (size_t)(m - first) * n * sizeof(float));
        }
    }
    free(a);
    free(b);
    free(whole);
    free(part);
}

/* What the Winograd parts and their preparation rely on: A packed a few rows
 * at a time is A packed at once, and rows of a packed A, at multiples of
 * SC_SGEMM_ROWS_ALIGN, multiply to the same bits as those rows of the whole
 * product, with the bias and activation of their own rows; other starts are
 * refused. */
static void packed_row_parts_give_the_whole_products_bits(void **state)
{
    (void)state;
    const int m = 3 * SC_SGEMM_ROWS_ALIGN + 11, n = 70, k = 520;
    float *a = malloc((size_t)m * k * sizeof(float));
    float *b = malloc((size_t)k * n * sizeof(float));
    float *bias = malloc((size_t)m * sizeof(float));
    float *whole = malloc((size_t)m * n * sizeof(float));
    float *part = malloc((size_t)m * n * sizeof(float));
    assert_true(a && b && bias && whole && part);
    fill_uniform(a, (size_t)m * k, 21, -1.0f, 1.0f);
    fill_uniform(b, (size_t)k * n, 22, -1.0f, 1.0f);
    fill_uniform(bias, (size_t)m, 23, -1.0f, 1.0f);
    int tested = 0;
    for (size_t kn = 0; kn < KERNEL_COUNT; kn++) {
        if (sc_sgemm_force_kernel(KERNEL_NAMES[kn]) != 0 || !strcmp(KERNEL_NAMES[kn], "cblas"))
            continue;
        const size_t floats = sc_sgemm_packed_floats(m, k);
        float *packed = calloc(floats, sizeof(float)), *by_rows = calloc(floats, sizeof(float));
        assert_true(packed && by_rows);
        sc_sgemm_packed all, rows, all_by_rows;
        assert_int_equal(sc_sgemm_pack(m, k, a, k, packed, &all), 0);
        /* Packed a part of the rows at a time: the same floats in the same places. */
        for (int row0 = 0; row0 < m; row0 += SC_SGEMM_ROWS_ALIGN) {
            const int count = m - row0 < SC_SGEMM_ROWS_ALIGN ? m - row0 : SC_SGEMM_ROWS_ALIGN;
            assert_int_equal(sc_sgemm_pack_rows(m, k, row0, count, a + (size_t)row0 * k, k,
                                                by_rows, &all_by_rows), 0);
        }
        assert_memory_equal(packed, by_rows, floats * sizeof(float));
        assert_true(all_by_rows.kernel == all.kernel && all_by_rows.m == m &&
                    all_by_rows.k == k && all_by_rows.data == by_rows && all_by_rows.row0 == 0 &&
                    all_by_rows.m_packed == m);
        assert_int_equal(sc_sgemm_pack_rows(m, k, 1, 8, a, k, by_rows, &all_by_rows), -1);
        sc_sgemm_fused(m, n, k, NULL, k, &all, b, n, whole, n, bias, SC_ACT_RELU);
        for (int row0 = 0; row0 < m; row0 += SC_SGEMM_ROWS_ALIGN) {
            const int count = m - row0 < 2 * SC_SGEMM_ROWS_ALIGN ? m - row0 : 2 * SC_SGEMM_ROWS_ALIGN;
            assert_int_equal(sc_sgemm_packed_rows(&all, row0, count, &rows), 0);
            sc_sgemm_fused(count, n, k, NULL, k, &rows, b, n, part, n, bias + row0, SC_ACT_RELU);
            if (memcmp(part, whole + (size_t)row0 * n, (size_t)count * n * sizeof(float)) != 0)
                fail_msg("%s: rows %d.. differ from the whole product's", KERNEL_NAMES[kn], row0);
        }
        assert_int_equal(sc_sgemm_packed_rows(&all, 1, 8, &rows), -1);
        assert_int_equal(sc_sgemm_packed_rows(&all, 0, m + 1, &rows), -1);
        assert_int_equal(sc_sgemm_packed_rows(&all, SC_SGEMM_ROWS_ALIGN, 0, &rows), -1);
        free(packed);
        free(by_rows);
        tested++;
    }
    assert_true(tested >= 1);
    assert_int_equal(sc_sgemm_force_kernel("auto"), 0);
    free(a);
    free(b);
    free(bias);
    free(whole);
    free(part);
}

/* The output pass (bias, then the activation) made in the kernels' registers
 * gives the bits of the separate pass over C, for every kernel, activation and
 * edge: tiles cut short in rows and columns, several depth blocks, A packed
 * or not. The bias reaches past 6 both ways, so ReLU6 clamps at both ends. */
static void fused_output_pass_gives_the_separate_passs_bits(void **state)
{
    (void)state;
    static const shape shapes[] = {{8, 32, 36}, {13, 95, 300}, {7, 17, 520}, {30, 64, 9}};
    const int acts[] = {SC_ACT_NONE, SC_ACT_RELU, SC_ACT_RELU6};
    int tested = 0;
    for (size_t kn = 0; kn < KERNEL_COUNT; kn++) {
        if (sc_sgemm_force_kernel(KERNEL_NAMES[kn]) != 0)
            continue;
        for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
            const int m = shapes[s].m, n = shapes[s].n, k = shapes[s].k;
            float *a = malloc((size_t)m * k * sizeof(float));
            float *b = malloc((size_t)k * n * sizeof(float));
            float *bias = malloc((size_t)m * sizeof(float));
            float *fused = malloc((size_t)m * n * sizeof(float));
            float *separate = malloc((size_t)m * n * sizeof(float));
            float *packed = calloc(sc_sgemm_packed_floats(m, k), sizeof(float));
            assert_true(a && b && bias && fused && separate && packed);
            fill_uniform(a, (size_t)m * k, 31 + (unsigned)s, -1.0f, 1.0f);
            fill_uniform(b, (size_t)k * n, 41 + (unsigned)s, -1.0f, 1.0f);
            fill_uniform(bias, (size_t)m, 51 + (unsigned)s, -8.0f, 8.0f);
            sc_sgemm_packed pa;
            const int have_packed = sc_sgemm_pack(m, k, a, k, packed, &pa) == 0;
            for (int use_packed = 0; use_packed <= have_packed; use_packed++)
                for (int with_bias = 0; with_bias <= 1; with_bias++)
                    for (size_t ai = 0; ai < sizeof acts / sizeof acts[0]; ai++) {
                        const float *add = with_bias ? bias : NULL;
                        sc_sgemm_fused(m, n, k, use_packed ? NULL : a, k,
                                       use_packed ? &pa : NULL, b, n, fused, n, add, acts[ai]);
                        sc_sgemm(m, n, k, a, k, b, n, separate, n);
                        for (int i = 0; i < m; i++)
                            sc_add_activate(separate + (size_t)i * n, n, add ? add + i : NULL,
                                            acts[ai]);
                        if (memcmp(fused, separate, (size_t)m * n * sizeof(float)) != 0)
                            fail_msg("%s %dx%dx%d, packed %d, bias %d, act %d: the fused "
                                     "output pass differs", KERNEL_NAMES[kn], m, n, k,
                                     use_packed, with_bias, acts[ai]);
                        tested++;
                    }
            free(a);
            free(b);
            free(bias);
            free(fused);
            free(separate);
            free(packed);
        }
    }
    assert_true(tested > 0);
    assert_int_equal(sc_sgemm_force_kernel("auto"), 0);
}

static void unknown_kernel_is_refused(void **state)
{
    (void)state;
    assert_int_equal(sc_sgemm_force_kernel("cblas"), 0);
    assert_int_equal(sc_sgemm_force_kernel("sse9"), -1);
    assert_int_equal(sc_sgemm_force_kernel(NULL), -1);
    assert_string_equal(sc_sgemm_kernel_name(), "cblas");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_kernel_matches_float64),
        cmocka_unit_test(zero_depth_zeroes_c_and_empty_c_is_untouched),
        cmocka_unit_test(results_do_not_depend_on_tile_start_or_alignment),
        cmocka_unit_test(packed_row_parts_give_the_whole_products_bits),
        cmocka_unit_test(fused_output_pass_gives_the_separate_passs_bits),
        cmocka_unit_test(unknown_kernel_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
