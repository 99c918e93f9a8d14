#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "imgproc/compare.h"
#include "imgproc/fixture.h"
#include "imgproc/imgproc.h"

static const int down_sizes[][2] = {{37, 29}, {1, 5}, {2, 3}, {3, 4}, {5, 7},
                                    {9, 2},   {16, 16}, {33, 11}, {70, 9}};
static const int up_sizes[][2] = {{19, 13}, {1, 1}, {1, 4}, {6, 1}, {8, 8}};

static void pyrdown_u8_matches_opencv(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof down_sizes / sizeof *down_sizes; i++) {
        char n[64];
        snprintf(n, sizeof n, "pyrdown_u8_%dx%d_src", down_sizes[i][0], down_sizes[i][1]);
        fixture src = fixture_load(n);
        snprintf(n, sizeof n, "pyrdown_u8_%dx%d_dst", down_sizes[i][0], down_sizes[i][1]);
        fixture want = fixture_load(n);
        uint8_t *got = malloc(want.count);
        assert_non_null(got);
        assert_int_equal(sc_cv_pyrdown_u8(src.data, fixture_w(&src), fixture_h(&src), 3, got), 0);
        assert_same_bytes(got, want.data, want.count, 1, n);
        free(got);
        fixture_free(&src);
        fixture_free(&want);
    }
}

static void pyrdown_f32_matches_opencv_evaluation_order(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof down_sizes / sizeof *down_sizes; i++) {
        char n[64];
        snprintf(n, sizeof n, "pyrdown_f32_%dx%d_src", down_sizes[i][0], down_sizes[i][1]);
        fixture src = fixture_load(n);
        snprintf(n, sizeof n, "pyrdown_f32_%dx%d_dst", down_sizes[i][0], down_sizes[i][1]);
        fixture want = fixture_load(n);
        float *got = malloc(want.count * sizeof *got);
        assert_non_null(got);
        assert_int_equal(sc_cv_pyrdown_f32(src.data, fixture_w(&src), fixture_h(&src), got), 0);
        assert_same_bytes(got, want.data, want.count, 4, n);
        free(got);
        fixture_free(&src);
        fixture_free(&want);
    }
}

static void pyrup_u8_and_s16_match_opencv(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof up_sizes / sizeof *up_sizes; i++) {
        int w = up_sizes[i][0], h = up_sizes[i][1];
        char n[64];
        snprintf(n, sizeof n, "pyrup_u8_%dx%d_src", w, h);
        fixture src = fixture_load(n);
        snprintf(n, sizeof n, "pyrup_u8_%dx%d_dst", w, h);
        fixture want = fixture_load(n);
        uint8_t *got = malloc(want.count);
        assert_non_null(got);
        assert_int_equal(sc_cv_pyrup_u8(src.data, w, h, 3, got), 0);
        assert_same_bytes(got, want.data, want.count, 1, n);
        free(got);
        fixture_free(&src);
        fixture_free(&want);

        snprintf(n, sizeof n, "pyrup_s16_%dx%d_src", w, h);
        src = fixture_load(n);
        snprintf(n, sizeof n, "pyrup_s16_%dx%d_dst", w, h);
        want = fixture_load(n);
        int16_t *got16 = malloc(want.count * sizeof *got16);
        assert_non_null(got16);
        assert_int_equal(sc_cv_pyrup_s16(src.data, w, h, 3, got16), 0);
        assert_same_bytes(got16, want.data, want.count, 2, n);
        free(got16);
        fixture_free(&src);
        fixture_free(&want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pyrdown_u8_matches_opencv),
        cmocka_unit_test(pyrdown_f32_matches_opencv_evaluation_order),
        cmocka_unit_test(pyrup_u8_and_s16_match_opencv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
