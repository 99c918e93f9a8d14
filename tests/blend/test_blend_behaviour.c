/* Behaviour of sc_replace_sky: the two modes, properties, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "blend/blend.h"
#include "blend/blend_fixture.h"

static sc_status replace(const blend_case *c, int compat, int threads, sc_image *out,
                         sc_error *err)
{
    sc_options opt = sc_options_default();
    opt.compat = compat;
    opt.threads = threads;
    return sc_replace_sky(&c->scene_img, &c->scene_matte, &c->sky_img, &c->sky_matte, &opt, out,
                          err);
}

static size_t count_differences(const sc_image *a, const sc_image *b)
{
    size_t n = (size_t)a->width * a->height * 3, d = 0;
    for (size_t i = 0; i < n; i++)
        d += a->rgb[i] != b->rgb[i];
    return d;
}

static void modes_differ_only_when_sky_is_away_from_the_corner(void **state)
{
    (void)state;
    const struct {
        const char *name;
        int differs;
    } cases[] = {{"land_corner", 0}, {"wide_corner", 0}, {"port_away", 1}, {"big_sky_away", 1}};
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        blend_case c = blend_case_load(cases[k].name);
        sc_image compat = {0}, fixed = {0};
        sc_error err;
        assert_int_equal(replace(&c, 1, 0, &compat, &err), SC_OK);
        assert_int_equal(replace(&c, 0, 0, &fixed, &err), SC_OK);
        size_t d = count_differences(&compat, &fixed);
        if (cases[k].differs)
            assert_true(d > 1000);
        else
            assert_int_equal(d, 0);
        free(compat.rgb);
        free(fixed.rgb);
        blend_case_free(&c);
    }
}

static void fixed_mode_uses_the_rectangle_found(void **state)
{
    (void)state;
    blend_case c = blend_case_load("port_away");
    sc_sky_patch compat, fixed;
    sc_error err;
    assert_int_equal(sc_find_sky_patch(&c.sky_matte, 0, &fixed, &err), SC_OK);
    assert_int_equal(sc_find_sky_patch(&c.sky_matte, 1, &compat, &err), SC_OK);
    /* no reduction for this photo: the rectangle maps 1:1 */
    assert_int_equal(fixed.x0, fixed.reduced.x);
    assert_int_equal(fixed.y0, fixed.reduced.y);
    assert_int_equal(fixed.x1, fixed.reduced.x + fixed.reduced.w);
    assert_int_equal(fixed.y1, fixed.reduced.y + fixed.reduced.h);
    /* Q1: (w, h) taken as the inclusive bottom-right corner */
    assert_int_equal(compat.x1, compat.reduced.w + 1);
    assert_int_equal(compat.y1, compat.reduced.h + 1);
    blend_case_free(&c);
}

static void result_does_not_depend_on_thread_count(void **state)
{
    (void)state;
    blend_case c = blend_case_load("big_sky_away");
    sc_image one = {0}, two = {0};
    sc_error err;
    assert_int_equal(replace(&c, 1, 1, &one, &err), SC_OK);
    assert_int_equal(replace(&c, 1, 2, &two, &err), SC_OK);
    assert_int_equal(count_differences(&one, &two), 0);
    free(one.rgb);
    free(two.rgb);
    blend_case_free(&c);
}

/* The original's blender truncates toward zero when it normalises each band,
 * so even a blend of a picture with itself comes back a few levels off (up to
 * ~10, ~3 on average, in the reference). These properties are checked against
 * the reference bit for bit and against that bound. */
static void assert_close_to_scene(const uint8_t *out, const uint8_t *scene, size_t n)
{
    int worst = 0;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        int d = abs(out[i] - scene[i]);
        worst = d > worst ? d : worst;
        sum += d;
    }
    assert_true(worst <= 12);
    assert_true(sum / (double)n < 4.0);
}

static void assert_equals_reference(const uint8_t *out, const char *name, size_t n)
{
    fixture want = fixture_load(name);
    assert_int_equal(want.count, n);
    const int16_t *ref = want.data;
    for (size_t i = 0; i < n; i++)
        assert_int_equal(out[i], ref[i] < 0 ? 0 : (ref[i] > 255 ? 255 : ref[i]));
    fixture_free(&want);
}

static void all_scene_weights_give_back_the_scene(void **state)
{
    (void)state;
    fixture scene = fixture_load("prop_scene");
    int w = fixture_w(&scene), h = fixture_h(&scene);
    size_t n = (size_t)w * h;
    uint8_t *ones = malloc(n), *zeros = calloc(n, 1), *other = malloc(3 * n);
    uint8_t *a = malloc(3 * n), *b = malloc(3 * n);
    assert_non_null(ones && zeros && other && a && b);
    memset(ones, 255, n);
    for (size_t i = 0; i < 3 * n; i++)
        other[i] = (uint8_t)(i * 37);
    sc_error err;
    assert_int_equal(sc_multiband(scene.data, ones, scene.data, zeros, w, h, NULL, a, &err),
                     SC_OK);
    assert_int_equal(sc_multiband(scene.data, ones, other, zeros, w, h, NULL, b, &err), SC_OK);
    assert_memory_equal(a, b, 3 * n); /* a zero-weight feed has no influence at all */
    assert_equals_reference(a, "prop_all_scene_out_s16", 3 * n);
    assert_close_to_scene(a, scene.data, 3 * n);
    free(ones);
    free(zeros);
    free(other);
    free(a);
    free(b);
    fixture_free(&scene);
}

static void identical_scene_and_patch_give_back_the_scene(void **state)
{
    (void)state;
    /* The sky photo is the scene itself with an all-sky matte, and the scene's
     * sky box is the whole picture: the patch lands unchanged on the scene. */
    fixture scene = fixture_load("prop_scene"), alpha = fixture_load("prop_self_alpha");
    int w = fixture_w(&scene), h = fixture_h(&scene);
    size_t n = (size_t)w * h;
    float *all_sky = malloc(sizeof *all_sky * n);
    assert_non_null(all_sky);
    for (size_t i = 0; i < n; i++)
        all_sky[i] = 1.f;
    sc_image img = fixture_image(&scene), out = {0};
    sc_matte sky_matte = {w, h, all_sky}, scene_matte = fixture_matte(&alpha);
    sc_error err;
    sc_options opt = sc_options_default();
    for (opt.compat = 0; opt.compat <= 1; opt.compat++) {
        assert_int_equal(sc_replace_sky(&img, &scene_matte, &img, &sky_matte, &opt, &out, &err),
                         SC_OK);
        assert_equals_reference(out.rgb, "prop_self_out_s16", 3 * n);
        assert_close_to_scene(out.rgb, scene.data, 3 * n);
        free(out.rgb);
    }
    free(all_sky);
    fixture_free(&scene);
    fixture_free(&alpha);
}

static void sky_photo_without_sky_is_refused(void **state)
{
    (void)state;
    blend_case c = blend_case_load("land_corner");
    fixture sky = fixture_load("nosky_sky"), alpha = fixture_load("nosky_sky_alpha");
    fixture best = fixture_load("nosky_best");
    sc_image sky_img = fixture_image(&sky);
    sc_matte sky_matte = fixture_matte(&alpha);
    sc_image out = {0};
    sc_error err = {0};
    assert_int_equal(sc_replace_sky(&c.scene_img, &c.scene_matte, &sky_img, &sky_matte, NULL,
                                    &out, &err),
                     SC_ERR_NO_SKY);
    char want[200];
    snprintf(want, sizeof want,
             "sky photo has no usable sky region (largest clear sky area is %d px, need 100)",
             ((int32_t *)best.data)[0]);
    assert_string_equal(err.msg, want);
    assert_null(out.rgb);
    fixture_free(&sky);
    fixture_free(&alpha);
    fixture_free(&best);
    blend_case_free(&c);
}

static void scene_without_sky_comes_back_unchanged(void **state)
{
    (void)state;
    blend_case c = blend_case_load("land_corner");
    int w = c.scene_img.width, h = c.scene_img.height;
    size_t n = (size_t)w * h;
    float *alpha = calloc(n, sizeof *alpha);
    assert_non_null(alpha);
    sc_matte none = {w, h, alpha};
    sc_image out = {0};
    sc_error err = {0};
    assert_int_equal(sc_replace_sky(&c.scene_img, &none, &c.sky_img, &c.sky_matte, NULL, &out,
                                    &err),
                     SC_ERR_SCENE_NO_SKY);
    assert_non_null(out.rgb);
    assert_memory_equal(out.rgb, c.scene_img.rgb, 3 * n);
    free(out.rgb);
    /* a sky box of 9x11 = 99 px is too small as well */
    for (int y = 0; y < 11; y++)
        for (int x = 0; x < 9; x++)
            alpha[(size_t)(y + 3) * w + x + 5] = 1.f;
    out.rgb = NULL;
    assert_int_equal(sc_replace_sky(&c.scene_img, &none, &c.sky_img, &c.sky_matte, NULL, &out,
                                    &err),
                     SC_ERR_SCENE_NO_SKY);
    assert_memory_equal(out.rgb, c.scene_img.rgb, 3 * n);
    free(out.rgb);
    free(alpha);
    blend_case_free(&c);
}

static void mismatched_or_broken_inputs_are_refused(void **state)
{
    (void)state;
    blend_case c = blend_case_load("land_corner");
    sc_image out = {0};
    sc_error err = {0};
    sc_matte wrong = c.scene_matte;
    wrong.width -= 1;
    assert_int_equal(sc_replace_sky(&c.scene_img, &wrong, &c.sky_img, &c.sky_matte, NULL, &out,
                                    &err),
                     SC_ERR_INVALID_ARG);
    assert_non_null(strstr(err.msg, "scene"));
    wrong = c.sky_matte;
    wrong.height += 1;
    assert_int_equal(sc_replace_sky(&c.scene_img, &c.scene_matte, &c.sky_img, &wrong, NULL, &out,
                                    &err),
                     SC_ERR_INVALID_ARG);
    assert_non_null(strstr(err.msg, "sky photo"));
    float saved = c.scene_matte.alpha[7];
    c.scene_matte.alpha[7] = NAN;
    assert_int_equal(sc_replace_sky(&c.scene_img, &c.scene_matte, &c.sky_img, &c.sky_matte, NULL,
                                    &out, &err),
                     SC_ERR_INVALID_ARG);
    c.scene_matte.alpha[7] = saved;
    assert_int_equal(sc_replace_sky(NULL, &c.scene_matte, &c.sky_img, &c.sky_matte, NULL, &out,
                                    &err),
                     SC_ERR_INVALID_ARG);
    assert_null(out.rgb);
    blend_case_free(&c);
}

static void compat_mode_reports_the_originals_empty_patch(void **state)
{
    (void)state;
    /* clear sky only in columns 55..69: the rectangle starts right of its own width */
    enum { W = 70, H = 50 };
    static float alpha[W * H];
    static uint8_t rgb[W * H * 3];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            alpha[y * W + x] = x >= 55 ? 1.f : 0.f;
    sc_image sky = {W, H, rgb};
    sc_matte sky_matte = {W, H, alpha};
    blend_case c = blend_case_load("land_corner");
    sc_image out = {0};
    sc_error err = {0};
    sc_options opt = sc_options_default();
    opt.compat = 1;
    assert_int_equal(sc_replace_sky(&c.scene_img, &c.scene_matte, &sky, &sky_matte, &opt, &out,
                                    &err),
                     SC_ERR_NO_SKY);
    assert_non_null(strstr(err.msg, "empty patch"));
    opt.compat = 0;
    assert_int_equal(sc_replace_sky(&c.scene_img, &c.scene_matte, &sky, &sky_matte, &opt, &out,
                                    &err),
                     SC_OK);
    free(out.rgb);
    blend_case_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(modes_differ_only_when_sky_is_away_from_the_corner),
        cmocka_unit_test(fixed_mode_uses_the_rectangle_found),
        cmocka_unit_test(result_does_not_depend_on_thread_count),
        cmocka_unit_test(all_scene_weights_give_back_the_scene),
        cmocka_unit_test(identical_scene_and_patch_give_back_the_scene),
        cmocka_unit_test(sky_photo_without_sky_is_refused),
        cmocka_unit_test(scene_without_sky_comes_back_unchanged),
        cmocka_unit_test(mismatched_or_broken_inputs_are_refused),
        cmocka_unit_test(compat_mode_reports_the_originals_empty_patch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
