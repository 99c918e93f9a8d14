/*
 * Reproducible mode's GEMM kernels (gemm_exact.c): each gives, bit for bit,
 * the plain sum of the documented order (depth cut into equal blocks of at
 * most 256, each block summed from zero in depth order with every product
 * rounded on its own, the blocks then added to C in turn), so every
 * instruction set gives the same bits; and the mode picks them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/reproducible.h"
#include "ops/gemm.h"
#include "ops/helper_ops.h"

static const char *const EXACT_NAMES[] = {"exact-avx512", "exact-avx2", "exact-sse2"};
#define EXACT_COUNT (sizeof EXACT_NAMES / sizeof EXACT_NAMES[0])

typedef struct shape {
    int m, n, k;
} shape;

/* Edges of every tile (6, 8 rows; 8, 16, 32 columns), the depth block (256)
 * and the row/column blocks (192, 1024), and the networks' depths. */
static const shape SHAPES[] = {
    {1, 1, 1},   {1, 1, 1600}, {5, 9, 9},     {6, 8, 1},     {7, 17, 36},   {8, 32, 256},
    {9, 33, 257}, {13, 95, 300}, {16, 64, 513}, {3, 70, 4608}, {193, 45, 20}, {10, 1030, 7},
    {70, 300, 600},
};

/* The order every reproducible kernel follows, one value at a time. */
static void reference(int m, int n, int k, const float *a, int lda, const float *b, int ldb,
                      float *c, int ldc)
{
    const int blocks = (k + 255) / 256, step = (k + blocks - 1) / blocks;
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
            float total = 0.0f;
            for (int p0 = 0; p0 < k; p0 += step) {
                const int p1 = p0 + step < k ? p0 + step : k;
                float sum = 0.0f;
                for (int p = p0; p < p1; p++) {
                    const float product = a[(size_t)i * lda + p] * b[(size_t)p * ldb + j];
                    sum = sum + product;
                }
                total = p0 > 0 ? total + sum : sum;
            }
            c[(size_t)i * ldc + j] = total;
        }
    }
}

static void every_exact_kernel_follows_the_reference_bit_for_bit(void **state)
{
    (void)state;
    int tested = 0;
    for (size_t kn = 0; kn < EXACT_COUNT; kn++) {
        if (sc_sgemm_force_kernel(EXACT_NAMES[kn]) != 0) {
            printf("kernel %s: not available on this CPU\n", EXACT_NAMES[kn]);
            continue;
        }
        assert_string_equal(sc_sgemm_kernel_name(), EXACT_NAMES[kn]);
        tested++;
        for (size_t s = 0; s < sizeof SHAPES / sizeof SHAPES[0]; s++) {
            const shape sh = SHAPES[s];
            /* Padded strides: the kernels must read and write only the product. */
            const int lda = sh.k + 3, ldb = sh.n + 5, ldc = sh.n + 2;
            float *a = malloc((size_t)sh.m * lda * sizeof *a);
            float *b = malloc((size_t)sh.k * ldb * sizeof *b);
            float *got = malloc((size_t)sh.m * ldc * sizeof *got);
            float *want = malloc((size_t)sh.m * ldc * sizeof *want);
            assert_true(a && b && got && want);
            fill_uniform(a, (size_t)sh.m * lda, (unsigned)s + 1, -1.0f, 1.0f);
            fill_uniform(b, (size_t)sh.k * ldb, (unsigned)s + 40, -1.0f, 1.0f);
            for (size_t i = 0; i < (size_t)sh.m * ldc; i++)
                got[i] = want[i] = 1234.5f;
            sc_sgemm(sh.m, sh.n, sh.k, a, lda, b, ldb, got, ldc);
            reference(sh.m, sh.n, sh.k, a, lda, b, ldb, want, ldc);
            if (memcmp(got, want, (size_t)sh.m * ldc * sizeof *got) != 0)
                fail_msg("%s %dx%dx%d: bits differ from the reference order", EXACT_NAMES[kn],
                         sh.m, sh.n, sh.k);
            free(a);
            free(b);
            free(got);
            free(want);
        }
    }
    assert_int_equal(sc_sgemm_force_kernel("auto"), 0);
    /* The baseline kernel runs on every CPU. */
    assert_true(tested >= 1);
}

static void transposed_operands_give_the_same_bits(void **state)
{
    (void)state;
    const int m = 37, n = 45, k = 300;
    float *a = malloc((size_t)m * k * sizeof *a), *at = malloc((size_t)m * k * sizeof *at);
    float *b = malloc((size_t)k * n * sizeof *b), *bt = malloc((size_t)k * n * sizeof *bt);
    float *plain = malloc((size_t)m * n * sizeof *plain), *both = malloc((size_t)m * n * sizeof *both);
    assert_true(a && at && b && bt && plain && both);
    fill_uniform(a, (size_t)m * k, 3, -1.0f, 1.0f);
    fill_uniform(b, (size_t)k * n, 4, -1.0f, 1.0f);
    for (int i = 0; i < m; i++)
        for (int p = 0; p < k; p++)
            at[(size_t)p * m + i] = a[(size_t)i * k + p];
    for (int p = 0; p < k; p++)
        for (int j = 0; j < n; j++)
            bt[(size_t)j * k + p] = b[(size_t)p * n + j];
    for (size_t kn = 0; kn < EXACT_COUNT; kn++) {
        if (sc_sgemm_force_kernel(EXACT_NAMES[kn]) != 0)
            continue;
        sc_sgemm(m, n, k, a, k, b, n, plain, n);
        sc_sgemm_ex(1, 1, m, n, k, at, m, bt, k, both, n);
        assert_memory_equal(plain, both, (size_t)m * n * sizeof *plain);
    }
    assert_int_equal(sc_sgemm_force_kernel("auto"), 0);
    free(a);
    free(at);
    free(b);
    free(bt);
    free(plain);
    free(both);
}

static void the_calling_threads_mode_picks_the_family(void **state)
{
    (void)state;
    assert_int_equal(sc_sgemm_force_kernel("auto"), 0);
    const int before = sc_set_reproducible(1);
    assert_int_equal(strncmp(sc_sgemm_kernel_name(), "exact-", 6), 0);
    sc_set_reproducible(0);
    assert_int_not_equal(strncmp(sc_sgemm_kernel_name(), "exact-", 6), 0);
    assert_int_equal(sc_set_reproducible(before), 0);
    assert_int_equal(sc_sgemm_force_kernel("exact-nothing"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_exact_kernel_follows_the_reference_bit_for_bit),
        cmocka_unit_test(transposed_operands_give_the_same_bits),
        cmocka_unit_test(the_calling_threads_mode_picks_the_family),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
