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

static void close_matches_opencv_for_odd_and_even_k(void **state)
{
    (void)state;
    check_morph("close", sc_cv_close_f32);
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
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(close_matches_opencv_for_odd_and_even_k),
        cmocka_unit_test(border_index_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
