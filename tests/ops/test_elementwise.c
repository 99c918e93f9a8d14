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

/* Large enough to take the threaded path of every loop. */
#define BIG_C 18
#define BIG_H 80
#define BIG_W 81

static void sigmoid_matches_naive(void **state)
{
    (void)state;
    const int sizes[][3] = {{1, 1, 1}, {3, 5, 7}, {BIG_C, BIG_H, BIG_W}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        sc_tensor a = random_tensor(sizes[i][0], sizes[i][1], sizes[i][2], (unsigned)i + 1);
        sc_tensor b = random_tensor(sizes[i][0], sizes[i][1], sizes[i][2], (unsigned)i + 1);
        const size_t n = sc_tensor_size(&a);
        fill_uniform(a.data, n, (unsigned)i + 5, -30.0f, 30.0f);
        memcpy(b.data, a.data, n * sizeof(float));
        sc_sigmoid(&a);
        sc_naive_sigmoid(&b);
        for (size_t j = 0; j < n; j++) /* sigmoid is near 0 on half the range: per value */
            assert_true(fabs((double)a.data[j] - b.data[j]) <= OPS_REL_TOLERANCE * b.data[j]);
        sc_tensor_free(&a);
        sc_tensor_free(&b);
    }
}

static void sigmoid_saturates_without_nan(void **state)
{
    (void)state;
    float v[4] = {-1000.0f, 1000.0f, 0.0f, -88.0f};
    sc_tensor t = {1, 1, 4, v};
    sc_sigmoid(&t);
    assert_true(v[0] == 0.0f);
    assert_true(v[1] == 1.0f);
    assert_true(v[2] == 0.5f);
    assert_true(v[3] > 0.0f && v[3] < 1e-37f);
}

static void levels_stretch_and_clamp(void **state)
{
    (void)state;
    const float black = 0.08f, white = 0.98f;
    float v[6] = {-0.5f, 0.0f, 0.08f, 0.53f, 0.98f, 1.0f};
    sc_tensor t = {1, 1, 6, v};
    sc_levels(&t, black, white);
    assert_true(v[0] == 0.0f && v[1] == 0.0f && v[2] == 0.0f);
    assert_true(fabs(v[3] - 0.5) < 1e-6);
    assert_true(v[4] == 1.0f && v[5] == 1.0f);

    sc_tensor a = random_tensor(BIG_C, BIG_H, BIG_W, 21); /* the threaded path */
    const size_t n = sc_tensor_size(&a);
    fill_uniform(a.data, n, 22, -0.2f, 1.2f);
    float *before = malloc(n * sizeof(float));
    assert_non_null(before);
    memcpy(before, a.data, n * sizeof(float));
    sc_levels(&a, black, white);
    for (size_t j = 0; j < n; j++) {
        double want = ((double)before[j] - black) / ((double)white - black);
        want = want < 0.0 ? 0.0 : want > 1.0 ? 1.0 : want;
        assert_true(fabs(a.data[j] - want) <= 1e-6);
    }
    free(before);
    sc_tensor_free(&a);
}

static void add_matches_naive_and_may_alias(void **state)
{
    (void)state;
    for (int relu = 0; relu <= 1; relu++) {
        sc_tensor a = random_tensor(BIG_C, BIG_H, BIG_W, 11);
        sc_tensor b = random_tensor(BIG_C, BIG_H, BIG_W, 12);
        sc_tensor want = zero_tensor(BIG_C, BIG_H, BIG_W), got = zero_tensor(BIG_C, BIG_H, BIG_W);
        const size_t bytes = sc_tensor_size(&a) * sizeof(float);
        sc_naive_add(&a, &b, &want, relu);
        sc_add(&a, &b, &got, relu);
        assert_memory_equal(got.data, want.data, bytes);
        sc_add(&a, &b, &a, relu); /* out = a */
        assert_memory_equal(a.data, want.data, bytes);
        fill_uniform(a.data, sc_tensor_size(&a), 11, -1.0f, 1.0f);
        sc_add(&a, &b, &b, relu); /* out = b */
        assert_memory_equal(b.data, want.data, bytes);
        sc_tensor_free(&a);
        sc_tensor_free(&b);
        sc_tensor_free(&want);
        sc_tensor_free(&got);
    }
}

static void flip_matches_naive_and_undoes_itself(void **state)
{
    (void)state;
    /* Odd and even widths; the big one takes the threaded path. */
    const int shapes[][3] = {{1, 1, 1}, {2, 3, 5}, {3, 4, 6}, {BIG_C, BIG_H, BIG_W}};
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        sc_tensor got = random_tensor(shapes[i][0], shapes[i][1], shapes[i][2], 31 + (unsigned)i);
        sc_tensor want = random_tensor(shapes[i][0], shapes[i][1], shapes[i][2], 31 + (unsigned)i);
        sc_tensor orig = random_tensor(shapes[i][0], shapes[i][1], shapes[i][2], 31 + (unsigned)i);
        const size_t bytes = sc_tensor_size(&got) * sizeof(float);
        sc_flip_horizontal(&got);
        sc_naive_flip_horizontal(&want);
        assert_memory_equal(got.data, want.data, bytes);
        const int w = got.w;
        assert_true(*sc_tensor_at(&got, got.c - 1, got.h - 1, 0) ==
                    *sc_tensor_at(&orig, got.c - 1, got.h - 1, w - 1));
        sc_flip_horizontal(&got);
        assert_memory_equal(got.data, orig.data, bytes);
        sc_tensor_free(&got);
        sc_tensor_free(&want);
        sc_tensor_free(&orig);
    }
}

static void elementwise_is_bit_identical_for_any_thread_count(void **state)
{
    (void)state;
    sc_tensor ref = {0, 0, 0, NULL};
    for (int t = 1; t <= 3; t++) {
        sc_set_threads(t);
        sc_tensor a = random_tensor(BIG_C, BIG_H, BIG_W, 21);
        sc_tensor b = random_tensor(BIG_C, BIG_H, BIG_W, 22);
        sc_add(&a, &b, &a, 0);
        sc_sigmoid(&a);
        sc_add(&a, &b, &a, 1);
        sc_tensor_free(&b);
        if (t == 1) {
            ref = a;
            continue;
        }
        assert_memory_equal(a.data, ref.data, sc_tensor_size(&a) * sizeof(float));
        sc_tensor_free(&a);
    }
    sc_tensor_free(&ref);
    sc_set_threads(2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sigmoid_matches_naive),
        cmocka_unit_test(sigmoid_saturates_without_nan),
        cmocka_unit_test(levels_stretch_and_clamp),
        cmocka_unit_test(add_matches_naive_and_may_alias),
        cmocka_unit_test(flip_matches_naive_and_undoes_itself),
        cmocka_unit_test(elementwise_is_bit_identical_for_any_thread_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
