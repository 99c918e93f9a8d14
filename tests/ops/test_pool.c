#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/parallel.h"
#include "ops/helper_ops.h"
#include "ops/naive.h"
#include "ops/ops.h"

static void maxpool2x2_takes_first_strictly_greater(void **state)
{
    (void)state;
    /* 3x5 plane (odd: last row and column are dropped). Windows:
     * [1 1 / 1 1] all equal -> top-left; [2 5 / 5 3] -> first 5 (top-right). */
    const float plane[15] = {1, 1, 2, 5, 9,
                             1, 1, 5, 3, 9,
                             9, 9, 9, 9, 9};
    sc_tensor in = {1, 3, 5, (float *)plane};
    float pooled[2];
    uint8_t idx[2];
    sc_tensor out = {1, 1, 2, pooled};
    sc_maxpool2x2_indices(&in, &out, idx);
    assert_true(pooled[0] == 1.0f && pooled[1] == 5.0f);
    assert_int_equal(idx[0], 0); /* top left */
    assert_int_equal(idx[1], 1); /* top right */

    /* Unpool back to 3x5: values at their places, everything else 0,
     * including the last row and column. */
    float back[15];
    sc_tensor up = {1, 3, 5, back};
    sc_maxunpool2x2(&out, idx, &up);
    const float want[15] = {1, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    assert_memory_equal(back, want, sizeof want);
}

static void maxpool2x2_and_unpool_match_naive(void **state)
{
    (void)state;
    sc_set_threads(2);
    const int sizes[][3] = {{3, 7, 9}, {4, 8, 6}, {2, 1, 5}, {64, 40, 41}, {5, 2, 2}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        const int c = sizes[i][0], h = sizes[i][1], w = sizes[i][2];
        const int oh = h / 2, ow = w / 2;
        sc_tensor in = zero_tensor(c, h, w);
        fill_levels(in.data, sc_tensor_size(&in), (unsigned)i + 3, 3); /* lots of ties */
        sc_tensor got = zero_tensor(c, oh > 0 ? oh : 1, ow > 0 ? ow : 1);
        sc_tensor want = zero_tensor(c, oh > 0 ? oh : 1, ow > 0 ? ow : 1);
        got.h = want.h = oh;
        got.w = want.w = ow;
        size_t n = sc_tensor_size(&got);
        uint8_t *gi = calloc(n + 1, sizeof *gi), *wi = calloc(n + 1, sizeof *wi);
        assert_non_null(gi);
        assert_non_null(wi);
        sc_maxpool2x2_indices(&in, &got, gi);
        sc_naive_maxpool2x2_indices(&in, &want, wi);
        assert_memory_equal(got.data, want.data, n * sizeof(float));
        assert_memory_equal(gi, wi, n * sizeof *gi);

        fill_uniform(got.data, n, (unsigned)i, -1.0f, 1.0f);
        sc_tensor up = random_tensor(c, h, w, 1), up_want = random_tensor(c, h, w, 2);
        sc_maxunpool2x2(&got, gi, &up);
        sc_naive_maxunpool2x2(&got, gi, &up_want);
        assert_memory_equal(up.data, up_want.data, sc_tensor_size(&up) * sizeof(float));
        if (h % 2) /* floor mode: the last row receives nothing */
            for (int ch = 0; ch < c; ch++)
                for (int x = 0; x < w; x++)
                    assert_true(*sc_tensor_at(&up, ch, h - 1, x) == 0.0f);
        if (w % 2)
            for (int ch = 0; ch < c; ch++)
                for (int y = 0; y < h; y++)
                    assert_true(*sc_tensor_at(&up, ch, y, w - 1) == 0.0f);
        free(gi);
        free(wi);
        sc_tensor_free(&in);
        sc_tensor_free(&got);
        sc_tensor_free(&want);
        sc_tensor_free(&up);
        sc_tensor_free(&up_want);
    }
}

static void maxunpool_drops_out_of_range_places(void **state)
{
    (void)state;
    const float values[3] = {1.0f, 2.0f, 3.0f};
    const uint8_t idx[3] = {4, 3, 255};
    sc_tensor in = {1, 1, 3, (float *)values};
    sc_tensor out = random_tensor(1, 2, 7, 4);
    sc_maxunpool2x2(&in, idx, &out);
    const float want[14] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2.0f, 0, 0, 0};
    assert_memory_equal(out.data, want, sizeof want);
    sc_tensor_free(&out);
}

static void maxpool_k_matches_naive(void **state)
{
    (void)state;
    const int cases[][4] = {{3, 10, 9, 2}, {2, 11, 13, 3}, {512, 40, 40, 2}, {4, 7, 7, 7},
                            {1, 5, 8, 1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const int c = cases[i][0], h = cases[i][1], w = cases[i][2], k = cases[i][3];
        sc_tensor in = random_tensor(c, h, w, (unsigned)i + 20);
        sc_tensor got = zero_tensor(c, h / k, w / k), want = zero_tensor(c, h / k, w / k);
        sc_maxpool(&in, k, &got);
        sc_naive_maxpool(&in, k, &want);
        assert_memory_equal(got.data, want.data, sc_tensor_size(&got) * sizeof(float));
        sc_tensor_free(&in);
        sc_tensor_free(&got);
        sc_tensor_free(&want);
    }
}

static void global_avg_pool_matches_naive(void **state)
{
    (void)state;
    const int sizes[][3] = {{5, 1, 1}, {7, 13, 11}, {256, 160, 160}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        sc_tensor in = random_tensor(sizes[i][0], sizes[i][1], sizes[i][2], (unsigned)i + 30);
        for (size_t j = 0; j < sc_tensor_size(&in); j++)
            in.data[j] += 0.25f; /* a mean well away from zero */
        float *got = calloc((size_t)in.c, sizeof *got), *want = calloc((size_t)in.c, sizeof *want);
        assert_non_null(got);
        assert_non_null(want);
        sc_global_avg_pool(&in, got);
        sc_naive_global_avg_pool(&in, want);
        assert_true(max_rel_error(got, want, (size_t)in.c) <= OPS_REL_TOLERANCE);
        free(got);
        free(want);
        sc_tensor_free(&in);
    }
}

static void pools_are_bit_identical_for_any_thread_count(void **state)
{
    (void)state;
    sc_tensor in = random_tensor(64, 81, 67, 40);
    const size_t pooled = 64 * 40 * 33;
    float *ref = NULL;
    uint8_t *ref_idx = NULL;
    float ref_mean[64];
    for (int t = 1; t <= 3; t++) {
        sc_set_threads(t);
        sc_tensor out = zero_tensor(64, 40, 33);
        uint8_t *idx = calloc(pooled, sizeof *idx);
        float mean[64];
        assert_non_null(idx);
        sc_maxpool2x2_indices(&in, &out, idx);
        sc_global_avg_pool(&in, mean);
        if (t == 1) {
            ref = out.data;
            ref_idx = idx;
            memcpy(ref_mean, mean, sizeof mean);
            continue;
        }
        assert_memory_equal(out.data, ref, pooled * sizeof(float));
        assert_memory_equal(idx, ref_idx, pooled * sizeof *idx);
        assert_memory_equal(mean, ref_mean, sizeof mean);
        sc_tensor_free(&out);
        free(idx);
    }
    free(ref);
    free(ref_idx);
    sc_tensor_free(&in);
    sc_set_threads(2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(maxpool2x2_takes_first_strictly_greater),
        cmocka_unit_test(maxpool2x2_and_unpool_match_naive),
        cmocka_unit_test(maxunpool_drops_out_of_range_places),
        cmocka_unit_test(maxpool_k_matches_naive),
        cmocka_unit_test(global_avg_pool_matches_naive),
        cmocka_unit_test(pools_are_bit_identical_for_any_thread_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
