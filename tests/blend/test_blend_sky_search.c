/*
 * The sky photo's matte at the patch search's size (sc_sky_matte_compute's):
 * sc_replace_sky takes it without compat and cuts the patch it would cut
 * from the full matte reduced the same way; compat and other sizes refuse it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "blend/blend.h"
#include "imgproc/imgproc.h"
#include "skychange.h"

#define W 700
#define H 500

/* A photo with a sky over a jagged skyline, and its matte. */
static void make_sky_photo(sc_image *img, sc_matte *m)
{
    img->width = m->width = W;
    img->height = m->height = H;
    img->rgb = malloc((size_t)W * H * 3);
    m->alpha = malloc((size_t)W * H * sizeof(float));
    assert_true(img->rgb && m->alpha);
    img->exif = img->icc = NULL;
    img->exif_size = img->icc_size = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            const int skyline = 260 + (x * 37 % 90) - (x / 50 % 3) * 25;
            const float a = y < skyline ? 1.0f : (y < skyline + 6 ? (skyline + 6 - y) / 6.0f : 0.0f);
            const size_t i = (size_t)y * W + x;
            m->alpha[i] = a;
            img->rgb[i * 3] = (uint8_t)(a > 0.5f ? 90 + y / 4 : 60);
            img->rgb[i * 3 + 1] = (uint8_t)(a > 0.5f ? 140 + x % 50 : 80);
            img->rgb[i * 3 + 2] = (uint8_t)(a > 0.5f ? 230 : 50);
        }
}

static sc_matte reduce(const sc_matte *full)
{
    sc_matte r;
    double scale;
    sc_sky_search_size(full->width, full->height, &r.width, &r.height, &scale);
    r.alpha = malloc((size_t)r.width * r.height * sizeof(float));
    assert_non_null(r.alpha);
    assert_int_equal(sc_cv_resize_f32(full->alpha, full->width, full->height, r.alpha, r.width,
                                      r.height), 0);
    return r;
}

static void search_size_is_the_shorter_side_at_256(void **state)
{
    (void)state;
    int rw, rh;
    double scale;
    sc_sky_search_size(2560, 1600, &rw, &rh, &scale);
    assert_int_equal(rw, 409);
    assert_int_equal(rh, 256);
    sc_sky_search_size(200, 100, &rw, &rh, &scale);
    assert_true(rw == 200 && rh == 100 && scale == 1.0);
    /* The original scales the shorter side to 256 even upwards. */
    sc_sky_search_size(640, 184, &rw, &rh, &scale);
    assert_int_equal(rh, 256);
    assert_true(rw > 640);
}

static void a_reduced_matte_gives_the_full_mattes_patch(void **state)
{
    (void)state;
    sc_image sky;
    sc_matte full;
    make_sky_photo(&sky, &full);
    sc_matte small = reduce(&full);
    sc_error err = {0};
    for (int flip = 0; flip < 2; flip++) {
        sc_sky_patch want, got;
        assert_int_equal(sc_find_sky_patch(&full, 0, flip, &want, &err), SC_OK);
        assert_int_equal(sc_find_sky_patch_reduced(&small, W, H, flip, &got, &err), SC_OK);
        assert_memory_equal(&want, &got, sizeof want);
    }
    /* sc_replace_sky: the same result bytes from either matte. */
    sc_image scene, a = {0}, b = {0};
    sc_matte scene_matte;
    make_sky_photo(&scene, &scene_matte);
    sc_options opt = sc_options_default();
    assert_int_equal(sc_replace_sky(&scene, &scene_matte, &sky, &full, &opt, &a, &err), SC_OK);
    assert_int_equal(sc_replace_sky(&scene, &scene_matte, &sky, &small, &opt, &b, &err), SC_OK);
    assert_memory_equal(a.rgb, b.rgb, (size_t)W * H * 3);
    /* compat keeps the original's full matte; other sizes are refused. */
    opt.compat = 1;
    assert_int_equal(sc_replace_sky(&scene, &scene_matte, &sky, &small, &opt, &b, &err),
                     SC_ERR_INVALID_ARG);
    opt.compat = 0;
    small.width -= 1;
    assert_int_equal(sc_replace_sky(&scene, &scene_matte, &sky, &small, &opt, &b, &err),
                     SC_ERR_INVALID_ARG);
    assert_non_null(strstr(err.msg, "sky photo"));
    /* The blend stage has no io: free the fields (no metadata here). */
    free(a.rgb);
    free(b.rgb);
    free(scene.rgb);
    free(sky.rgb);
    free(scene_matte.alpha);
    free(full.alpha);
    free(small.alpha);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(search_size_is_the_shorter_side_at_256),
        cmocka_unit_test(a_reduced_matte_gives_the_full_mattes_patch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
