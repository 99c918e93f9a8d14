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

static void check_u8(const char *name)
{
    char n[128];
    snprintf(n, sizeof n, "%s_src", name);
    fixture src = fixture_load(n);
    snprintf(n, sizeof n, "%s_dst", name);
    fixture want = fixture_load(n);
    uint8_t *got = malloc(want.count);
    assert_non_null(got);
    assert_int_equal(sc_cv_resize_u8(src.data, fixture_w(&src), fixture_h(&src),
                                              fixture_c(&src), got, fixture_w(&want),
                                              fixture_h(&want)),
                     0);
    assert_same_bytes(got, want.data, want.count, 1, name);
    free(got);
    fixture_free(&src);
    fixture_free(&want);
}

static void check_f32(const char *name)
{
    char n[128];
    snprintf(n, sizeof n, "%s_src", name);
    fixture src = fixture_load(n);
    snprintf(n, sizeof n, "%s_dst", name);
    fixture want = fixture_load(n);
    float *got = malloc(want.count * sizeof *got);
    assert_non_null(got);
    assert_int_equal(0, sc_cv_resize_f32(src.data, fixture_w(&src), fixture_h(&src), got,
                                         fixture_w(&want), fixture_h(&want)));
    assert_same_bytes(got, want.data, want.count, 4, name);
    free(got);
    fixture_free(&src);
    fixture_free(&want);
}

static void resize_u8_matches_opencv(void **state)
{
    (void)state;
    check_u8("resize_u8_up3");
    check_u8("resize_u8_down3");
    check_u8("resize_u8_1ch");
    check_u8("resize_u8_4ch");
}

static void resize_u8_exact_half_is_area_average(void **state)
{
    (void)state;
    check_u8("resize_u8_area2x");
}

static void resize_f32_matches_opencv(void **state)
{
    (void)state;
    check_f32("resize_f32_up");
    check_f32("resize_f32_down");
    check_f32("resize_f32_x10");
    check_f32("resize_f32_mixed");
}

static void resize_f32_exact_half_is_area_average(void **state)
{
    (void)state;
    check_f32("resize_f32_area2x");
}

static void resize_u8_roi_is_a_window_of_the_full_resize(void **state)
{
    (void)state;
    fixture src = fixture_load("resize_u8_up3_src");
    fixture want = fixture_load("resize_u8_up3_dst");
    int dw = fixture_w(&want), dh = fixture_h(&want);
    sc_rect roi = {dw - 13, 5, 13, 9}; /* reaches the right edge (scalar tail) */
    uint8_t *got = malloc((size_t)roi.w * roi.h * 3);
    assert_non_null(got);
    assert_int_equal(sc_cv_resize_u8_roi(src.data, fixture_w(&src), fixture_h(&src), 3, dw, dh,
                                         roi, got),
                     0);
    const uint8_t *full = want.data;
    for (int y = 0; y < roi.h; y++)
        assert_memory_equal(got + (size_t)y * roi.w * 3,
                            full + ((size_t)(y + roi.y) * dw + roi.x) * 3, (size_t)roi.w * 3);
    free(got);
    fixture_free(&src);
    fixture_free(&want);
}

static void resize_same_size_copies(void **state)
{
    (void)state;
    float src[6] = {1.5f, 2, 3, 4, 5, 6}, dst[6] = {0};
    assert_int_equal(0, sc_cv_resize_f32(src, 3, 2, dst, 3, 2));
    assert_memory_equal(src, dst, sizeof src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(resize_u8_matches_opencv),
        cmocka_unit_test(resize_u8_exact_half_is_area_average),
        cmocka_unit_test(resize_f32_matches_opencv),
        cmocka_unit_test(resize_f32_exact_half_is_area_average),
        cmocka_unit_test(resize_u8_roi_is_a_window_of_the_full_resize),
        cmocka_unit_test(resize_same_size_copies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
