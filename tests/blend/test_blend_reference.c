/* The blend stage against the Python/OpenCV reference, bit for bit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "blend/blend.h"
#include "blend/blend_fixture.h"
#include "imgproc/compare.h"

static const char *const cases[] = {"land_corner", "port_away", "big_sky_away", "wide_corner"};
#define N_CASES (sizeof cases / sizeof *cases)

static void rectangles_match_reference(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_CASES; k++) {
        blend_case c = blend_case_load(cases[k]);
        char n[128];
        snprintf(n, sizeof n, "%s_rects", cases[k]);
        fixture rects = fixture_load(n);
        const int32_t *r = rects.data;
        sc_sky_patch p;
        sc_error err;
        assert_int_equal(sc_find_sky_patch(&c.sky_matte, 1, 0, &p, &err), SC_OK);
        assert_int_equal(p.reduced.x, r[0]);
        assert_int_equal(p.reduced.y, r[1]);
        assert_int_equal(p.reduced.w, r[2]);
        assert_int_equal(p.reduced.h, r[3]);
        fixture_free(&rects);
        blend_case_free(&c);
    }
}

static void feathered_weights_match_the_x10_detour(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_CASES; k++) {
        blend_case c = blend_case_load(cases[k]);
        char n[128];
        snprintf(n, sizeof n, "%s_sky_w", cases[k]);
        fixture sky_w = fixture_load(n);
        snprintf(n, sizeof n, "%s_scn_w", cases[k]);
        fixture scn_w = fixture_load(n);
        int w = c.scene_matte.width, h = c.scene_matte.height;
        float *got_sky = malloc(sizeof(float) * (size_t)w * h);
        float *got_scn = malloc(sizeof(float) * (size_t)w * h);
        assert_non_null(got_sky);
        assert_non_null(got_scn);
        for (int generic = 0; generic <= 1; generic++) {
            sc_feather *f = sc_feather_new(&c.scene_matte);
            assert_non_null(f);
            if (generic)
                sc_feather_use_generic_taps(f);
            for (int y = 0; y < h; y++)
                assert_int_equal(
                    sc_feather_row(f, y, got_sky + (size_t)y * w, got_scn + (size_t)y * w), 0);
            sc_feather_free(f);
            snprintf(n, sizeof n, "%s sky weight (generic taps %d)", cases[k], generic);
            assert_same_bytes(got_sky, sky_w.data, sky_w.count, 4, n);
            snprintf(n, sizeof n, "%s scene weight (generic taps %d)", cases[k], generic);
            assert_same_bytes(got_scn, scn_w.data, scn_w.count, 4, n);
        }
        free(got_sky);
        free(got_scn);
        fixture_free(&sky_w);
        fixture_free(&scn_w);
        blend_case_free(&c);
    }
}

static void check_output(const char *name, int compat)
{
    blend_case c = blend_case_load(name);
    char n[128];
    snprintf(n, sizeof n, "%s_%s_out_s16", name, compat ? "compat" : "fixed");
    fixture want = fixture_load(n);
    int16_t *s16 = malloc(want.count * sizeof *s16);
    uint8_t *u8 = malloc(want.count);
    assert_non_null(s16);
    assert_non_null(u8);
    sc_error err = {0};
    /* both references use the original's numerics; "fixed" only corrects Q1 */
    sc_status st = sc_blend_run(&c.scene_img, &c.scene_matte, &c.sky_img, &c.sky_matte, compat,
                                SC_NUMERICS_ORIGINAL, 0, NULL, s16, u8, &err);
    if (st != SC_OK)
        fail_msg("%s: %s", n, err.msg);
    assert_same_bytes(s16, want.data, want.count, 2, n);
    const int16_t *ref = want.data;
    for (size_t i = 0; i < want.count; i++)
        assert_int_equal(u8[i], ref[i] < 0 ? 0 : (ref[i] > 255 ? 255 : ref[i]));
    free(s16);
    free(u8);
    fixture_free(&want);
    blend_case_free(&c);
}

static void compat_blend_is_bit_exact(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_CASES; k++)
        check_output(cases[k], 1);
}

static void fixed_patch_with_original_numerics_matches_fixed_reference(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_CASES; k++)
        check_output(cases[k], 0);
}

static void pano_matches_reference(void **state)
{
    (void)state;
    blend_case c = blend_case_load("port_away");
    fixture want = fixture_load("port_away_pano");
    fixture rects = fixture_load("port_away_rects");
    const int32_t *r = rects.data;
    sc_rect box = {r[4], r[5], r[6], r[7]};
    sc_sky_patch p;
    sc_error err;
    assert_int_equal(sc_find_sky_patch(&c.sky_matte, 1, 0, &p, &err), SC_OK);
    size_t n = (size_t)c.scene_img.width * c.scene_img.height;
    uint8_t *placed = malloc((size_t)box.w * box.h * 3), *w8 = malloc(2 * n),
            *pano = malloc(3 * n);
    assert_non_null(placed);
    assert_non_null(w8);
    assert_non_null(pano);
    assert_int_equal(sc_place_patch(&c.sky_img, &p, box, NULL, placed, &err), SC_OK);
    assert_int_equal(sc_composite(&c.scene_img, &c.scene_matte, box, placed,
                                  SC_NUMERICS_ORIGINAL, w8, w8 + n, pano, &err),
                     SC_OK);
    assert_same_bytes(pano, want.data, want.count, 1, "pano");
    free(placed);
    free(w8);
    free(pano);
    fixture_free(&want);
    fixture_free(&rects);
    blend_case_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rectangles_match_reference),
        cmocka_unit_test(feathered_weights_match_the_x10_detour),
        cmocka_unit_test(pano_matches_reference),
        cmocka_unit_test(compat_blend_is_bit_exact),
        cmocka_unit_test(fixed_patch_with_original_numerics_matches_fixed_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
