#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/parallel.h"
#include "ops/helper_ops.h"
#include "ops/naive.h"
#include "ops/ops.h"

static float *random_floats(size_t n, unsigned seed, float lo, float hi)
{
    float *x = malloc(n * sizeof *x);
    assert_non_null(x);
    fill_uniform(x, n, seed, lo, hi);
    return x;
}

static void softmax_matches_naive(void **state)
{
    (void)state;
    /* OCR shapes: 2 classes over a whole map, and many pixels over 2 classes. */
    const int shapes[][2] = {{1, 1}, {3, 7}, {2, 25600}, {25600, 2}, {19, 1000}};
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        const size_t n = (size_t)shapes[i][0] * (size_t)shapes[i][1];
        float *got = random_floats(n, (unsigned)i + 1, -20.0f, 20.0f);
        float *want = malloc(n * sizeof *want);
        assert_non_null(want);
        memcpy(want, got, n * sizeof *want);
        sc_softmax_rows(got, shapes[i][0], shapes[i][1]);
        sc_naive_softmax_rows(want, shapes[i][0], shapes[i][1]);
        for (int r = 0; r < shapes[i][0]; r++) {
            const size_t row = (size_t)r * (size_t)shapes[i][1];
            double err = max_rel_error(got + row, want + row, (size_t)shapes[i][1]);
            if (err > OPS_REL_TOLERANCE)
                fail_msg("%dx%d row %d: relative error %g", shapes[i][0], shapes[i][1], r, err);
        }
        free(got);
        free(want);
    }
}

static void softmax_survives_large_logits(void **state)
{
    (void)state;
    float x[3] = {1000.0f, 1000.0f, -1000.0f};
    sc_softmax_rows(x, 1, 3);
    assert_true(x[0] == 0.5f && x[1] == 0.5f && x[2] == 0.0f);
}

static void softmax_channels_matches_naive(void **state)
{
    (void)state;
    /* The coarse label's shapes: 2 classes over a refine canvas; more classes too. */
    const int shapes[][3] = {{2, 1, 1}, {2, 300, 301}, {5, 17, 9}, {1, 4, 4}};
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        sc_tensor got = zero_tensor(shapes[i][0], shapes[i][1], shapes[i][2]);
        sc_tensor want = zero_tensor(shapes[i][0], shapes[i][1], shapes[i][2]);
        const size_t n = sc_tensor_size(&got);
        fill_uniform(got.data, n, 40 + (unsigned)i, -30.0f, 30.0f);
        memcpy(want.data, got.data, n * sizeof(float));
        sc_softmax_channels(&got);
        sc_naive_softmax_channels(&want);
        double err = max_rel_error(got.data, want.data, n);
        if (err > OPS_REL_TOLERANCE)
            fail_msg("%dx%dx%d: relative error %g", shapes[i][0], shapes[i][1], shapes[i][2], err);
        const size_t plane = (size_t)got.h * (size_t)got.w;
        for (size_t p = 0; p < plane; p++) {
            double sum = 0.0;
            for (int c = 0; c < got.c; c++)
                sum += got.data[(size_t)c * plane + p];
            assert_true(fabs(sum - 1.0) < 1e-5);
        }
        sc_tensor_free(&got);
        sc_tensor_free(&want);
    }
    float big[2] = {1000.0f, -1000.0f};
    sc_tensor t = {2, 1, 1, big};
    sc_softmax_channels(&t);
    assert_true(big[0] == 1.0f && big[1] == 0.0f);
}

static void matmul_matches_naive(void **state)
{
    (void)state;
    sc_set_threads(2);
    /* m > 512 so that several row blocks are used. */
    const int shapes[][3] = {{1, 1, 1}, {5, 7, 3}, {2, 256, 1600}, {1600, 2, 256}, {1100, 33, 17}};
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        const int m = shapes[i][0], n = shapes[i][1], k = shapes[i][2];
        float *a = random_floats((size_t)m * (size_t)k, (unsigned)i + 1, -1.0f, 1.0f);
        float *b = random_floats((size_t)k * (size_t)n, (unsigned)i + 2, -1.0f, 1.0f);
        float *got = malloc((size_t)m * (size_t)n * sizeof *got);
        float *want = malloc((size_t)m * (size_t)n * sizeof *want);
        assert_non_null(got);
        assert_non_null(want);
        for (int ta = 0; ta <= 1; ta++) {
            for (int tb = 0; tb <= 1; tb++) {
                sc_matmul(a, ta, b, tb, got, m, n, k);
                sc_naive_matmul(a, ta, b, tb, want, m, n, k);
                double err = max_rel_error(got, want, (size_t)m * (size_t)n);
                if (err > OPS_REL_TOLERANCE)
                    fail_msg("%dx%dx%d trans %d%d: relative error %g", m, n, k, ta, tb, err);
            }
        }
        free(a);
        free(b);
        free(got);
        free(want);
    }
}

static void matmul_and_softmax_are_bit_identical_for_any_thread_count(void **state)
{
    (void)state;
    const int m = 2000, n = 3, k = 64;
    float *a = random_floats((size_t)m * k, 5, -1.0f, 1.0f);
    float *b = random_floats((size_t)k * n, 6, -1.0f, 1.0f);
    float *out[3];
    for (int t = 0; t < 3; t++) {
        sc_set_threads(t + 1);
        out[t] = malloc((size_t)m * n * sizeof(float));
        assert_non_null(out[t]);
        sc_matmul(a, 1, b, 0, out[t], m / 2, n, k); /* a read as k x (m/2), transposed */
        sc_matmul(a, 0, b, 0, out[t], m, n, k);
        sc_softmax_rows(out[t], m, n);
    }
    assert_memory_equal(out[0], out[1], (size_t)m * n * sizeof(float));
    assert_memory_equal(out[0], out[2], (size_t)m * n * sizeof(float));
    for (int t = 0; t < 3; t++)
        free(out[t]);
    free(a);
    free(b);
    sc_set_threads(2);
}

static void argmax_takes_first_of_ties(void **state)
{
    (void)state;
    /* 3 channels x 4 pixels. */
    const float v[12] = {1, 5, 2, 0,
                         1, 5, 3, 0,
                         0, 9, 3, 0};
    sc_tensor t = {3, 2, 2, (float *)v};
    float out[4];
    sc_argmax_channels(&t, out);
    const float want[4] = {0, 2, 1, 0};
    assert_memory_equal(out, want, sizeof want);

    sc_tensor big = zero_tensor(4, 70, 90);
    fill_levels(big.data, sc_tensor_size(&big), 3, 3);
    float *got = calloc(70 * 90, sizeof *got), *expect = calloc(70 * 90, sizeof *expect);
    assert_non_null(got);
    assert_non_null(expect);
    sc_argmax_channels(&big, got);
    sc_naive_argmax_channels(&big, expect);
    assert_memory_equal(got, expect, 70 * 90 * sizeof *got);
    free(got);
    free(expect);
    sc_tensor_free(&big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(softmax_matches_naive),
        cmocka_unit_test(softmax_survives_large_logits),
        cmocka_unit_test(matmul_matches_naive),
        cmocka_unit_test(matmul_and_softmax_are_bit_identical_for_any_thread_count),
        cmocka_unit_test(softmax_channels_matches_naive),
        cmocka_unit_test(argmax_takes_first_of_ties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
