#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "imgproc/fixture.h"
#include "imgproc/imgproc.h"

static void largest_rect_matches_reference(void **state)
{
    (void)state;
    fixture m = fixture_load("rect_mask"), want = fixture_load("rect_expected");
    const int32_t *e = want.data;
    sc_rect r;
    long area = sc_largest_valid_rect(m.data, fixture_w(&m), fixture_h(&m), 100.f, &r);
    assert_int_equal(area, e[4]);
    assert_int_equal(r.x, e[0]);
    assert_int_equal(r.y, e[1]);
    assert_int_equal(r.w, e[2]);
    assert_int_equal(r.h, e[3]);
    fixture_free(&m);
    fixture_free(&want);
}

static void largest_rect_keeps_the_first_of_equal_areas(void **state)
{
    (void)state;
    /* two disjoint 2x3 blocks: the one found first (scan order) wins */
    float m[4 * 7] = {0};
    for (int y = 0; y < 2; y++)
        for (int x = 0; x < 3; x++) {
            m[y * 7 + x] = 200;
            m[(y + 2) * 7 + x + 4] = 200;
        }
    sc_rect r;
    assert_int_equal(sc_largest_valid_rect(m, 7, 4, 100.f, &r), 6);
    assert_int_equal(r.x, 0);
    assert_int_equal(r.y, 0);
    assert_int_equal(r.w, 3);
    assert_int_equal(r.h, 2);
    /* the threshold is strict */
    float edge[4] = {100, 100, 100, 100};
    assert_int_equal(sc_largest_valid_rect(edge, 2, 2, 100.f, &r), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(largest_rect_matches_reference),
        cmocka_unit_test(largest_rect_keeps_the_first_of_equal_areas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
