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

static void blur5_matches_opencv(void **state)
{
    (void)state;
    fixture src = fixture_load("blur5_src"), want = fixture_load("blur5_dst");
    float *got = malloc(src.count * sizeof *got);
    assert_non_null(got);
    assert_int_equal(sc_cv_blur5_f32(src.data, fixture_w(&src), fixture_h(&src), got), 0);
    assert_same_bytes(got, want.data, want.count, 4, "blur5");
    free(got);
    fixture_free(&src);
    fixture_free(&want);
}

typedef int (*morph_fn)(const float *, int, int, int, float *);

static void check_morph(const char *prefix, morph_fn fn)
{
    fixture src = fixture_load("morph_src");
    float *got = malloc(src.count * sizeof *got);
    assert_non_null(got);
    for (int k = 3; k <= 7; k++) {
        char name[64];
        snprintf(name, sizeof name, "%s_k%d", prefix, k);
        fixture want = fixture_load(name);
        assert_int_equal(fn(src.data, fixture_w(&src), fixture_h(&src), k, got), 0);
        assert_same_bytes(got, want.data, want.count, 4, name);
        fixture_free(&want);
    }
    free(got);
    fixture_free(&src);
}

static void dilate_matches_opencv_for_odd_and_even_k(void **state)
{
    (void)state;
    check_morph("dilate", sc_cv_dilate_f32);
}

static void erode_matches_opencv_for_odd_and_even_k(void **state)
{
    (void)state;
    check_morph("erode", sc_cv_erode_f32);
}

static void close_matches_opencv_for_odd_and_even_k(void **state)
{
    (void)state;
    check_morph("close", sc_cv_close_f32);
}

static void make_border_matches_opencv(void **state)
{
    (void)state;
    fixture src = fixture_load("border_src");
    fixture refl = fixture_load("border_reflect"), cons = fixture_load("border_const");
    int w = fixture_w(&src), h = fixture_h(&src);
    uint8_t *got = malloc(refl.count > cons.count ? refl.count : cons.count);
    assert_non_null(got);
    /* the reflect borders are wider than the picture: repeated mirroring */
    sc_cv_make_border_u8(src.data, w, h, 3, 3, 9, 2, 16, SC_BORDER_REFLECT, got);
    assert_same_bytes(got, refl.data, refl.count, 1, "reflect");
    sc_cv_make_border_u8(src.data, w, h, 3, 1, 4, 6, 2, SC_BORDER_CONSTANT0, got);
    assert_same_bytes(got, cons.data, cons.count, 1, "constant");
    free(got);
    fixture_free(&src);
    fixture_free(&refl);
    fixture_free(&cons);
}

static void border_index_rules(void **state)
{
    (void)state;
    /* fedcba|abcdefgh|hgfedcb and gfedcb|abcdefgh|gfedcba */
    assert_int_equal(sc_reflect_index(-1, 8), 0);
    assert_int_equal(sc_reflect_index(8, 8), 7);
    assert_int_equal(sc_reflect_index(-1, 1), 0);
    assert_int_equal(sc_reflect101_index(-1, 8), 1);
    assert_int_equal(sc_reflect101_index(9, 8), 5);
    assert_int_equal(sc_reflect101_index(-2, 2), 0);
    float f[4] = {1, 2, 3, 4}, out[4 * 7];
    sc_cv_make_border_f32(f, 2, 2, 0, 0, 0, 5, SC_BORDER_REFLECT, out);
    const float want[7] = {1, 2, 2, 1, 1, 2, 2};
    assert_memory_equal(out, want, sizeof want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(blur5_matches_opencv),
        cmocka_unit_test(dilate_matches_opencv_for_odd_and_even_k),
        cmocka_unit_test(erode_matches_opencv_for_odd_and_even_k),
        cmocka_unit_test(close_matches_opencv_for_odd_and_even_k),
        cmocka_unit_test(make_border_matches_opencv),
        cmocka_unit_test(border_index_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
