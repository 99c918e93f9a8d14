/* The default mode's ground fade (blend/ground.c) on synthetic scenes: ground
 * far from the sky keeps the scene's bytes, the hand-over has no step, and the
 * compat mode (the original's blend) keeps recolouring it. */
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

enum { W = 480, H = 320, HORIZON = 110 };

typedef struct scene {
    sc_image img, sky;
    sc_matte matte, sky_matte;
} scene;

/* A deep blue "lake" below a soft horizon (matte 1 above, a 3-row ramp, 0
 * below), with a little texture; the sky photo is a warm, all-sky gradient. */
static scene make_scene(void)
{
    scene s = {{.width = W, .height = H, .rgb = malloc((size_t)W * H * 3)},
               {.width = W, .height = H, .rgb = malloc((size_t)W * H * 3)},
               {W, H, malloc(sizeof(float) * W * H)}, {W, H, malloc(sizeof(float) * W * H)}};
    assert_true(s.img.rgb && s.sky.rgb && s.matte.alpha && s.sky_matte.alpha);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            size_t i = (size_t)y * W + x;
            uint8_t *p = s.img.rgb + i * 3, *q = s.sky.rgb + i * 3;
            int ripple = ((x / 7 + y / 5) % 3) - 1;
            p[0] = (uint8_t)(y < HORIZON ? 150 : 18 + ripple);
            p[1] = (uint8_t)(y < HORIZON ? 170 : 29 + ripple);
            p[2] = (uint8_t)(y < HORIZON ? 200 : 50 + ripple);
            q[0] = (uint8_t)(230 - y / 8), q[1] = (uint8_t)(130 + x / 16), q[2] = 60;
            float a = y < HORIZON - 1 ? 1.f : (y > HORIZON + 1 ? 0.f : (HORIZON + 2 - y) / 4.f);
            s.matte.alpha[i] = a;
            s.sky_matte.alpha[i] = 1.f;
        }
    return s;
}

static void free_scene(scene *s)
{
    free(s->img.rgb);
    free(s->sky.rgb);
    free(s->matte.alpha);
    free(s->sky_matte.alpha);
}

static sc_image replace(const scene *s, int compat)
{
    sc_options opt = sc_options_default();
    opt.compat = compat;
    sc_image out = {0};
    sc_error err;
    if (sc_replace_sky(&s->img, &s->matte, &s->sky, &s->sky_matte, &opt, &out, &err) != SC_OK)
        fail_msg("%s", err.msg);
    return out;
}

/* Rows below the lowest row with sky weight, distance in rows. The matte is
 * 0 from HORIZON + 2 on; the feathering reaches at most one row further. */
static int lowest_sky_row(void)
{
    return HORIZON + 2;
}

static void far_ground_keeps_the_scene_bytes(void **state)
{
    (void)state;
    scene s = make_scene();
    sc_image out = replace(&s, 0), orig = replace(&s, 1);
    int first_far = lowest_sky_row() + sc_ground_reach(W, H) + 1;
    assert_true(first_far < H - 20);
    size_t differ_orig = 0;
    for (int y = first_far; y < H; y++) {
        size_t row = (size_t)y * W * 3;
        if (memcmp(out.rgb + row, s.img.rgb + row, (size_t)W * 3))
            fail_msg("row %d (%d rows below the sky) is not the scene's", y, y - HORIZON);
        for (int i = 0; i < W * 3; i++)
            differ_orig += abs(orig.rgb[row + i] - s.img.rgb[row + i]) > 2;
    }
    /* the defect the fade removes: the original's blend recolours this ground */
    print_message("compat: %zu far ground values off by more than 2 levels\n", differ_orig);
    assert_true(differ_orig > (size_t)(H - first_far) * W);
    free(out.rgb);
    free(orig.rgb);
    free_scene(&s);
}

/* In the fade, the change from the blend to the scene is spread out: no row
 * steps by more than the smoothstep's steepest slope allows (plus rounding). */
static void the_fade_has_no_step(void **state)
{
    (void)state;
    scene s = make_scene();
    sc_image out = replace(&s, 0);
    int reach = sc_ground_reach(W, H);
    int y0 = lowest_sky_row(), y1 = y0 + reach + 1;
    int worst_change = 0, worst_step = 0;
    for (int x = 0; x < W; x++)
        for (int c = 0; c < 3; c++) {
            for (int y = y0; y <= y1; y++) {
                size_t i = ((size_t)y * W + x) * 3 + c;
                int change = out.rgb[i] - s.img.rgb[i];
                int below = out.rgb[i + (size_t)W * 3] - s.img.rgb[i + (size_t)W * 3];
                worst_change = abs(change) > worst_change ? abs(change) : worst_change;
                worst_step = abs(change - below) > worst_step ? abs(change - below) : worst_step;
            }
        }
    /* the sky share changes by 1/(2 reach + 1) a row; smoothstep's slope is at most 1.5 */
    float allowed = 1.5f / SC_GROUND_FULL_SKY_SHARE / (float)(2 * reach + 1) * (float)worst_change
                    + 2.f;
    print_message("fade over %d px: largest change %d, largest row step %d (allowed %.1f)\n",
                  reach, worst_change, worst_step, allowed);
    assert_true(worst_change > 4); /* there is something to fade */
    assert_true((float)worst_step <= allowed);
    free(out.rgb);
    free_scene(&s);
}

/* Where the matte is 1 the fade changes nothing: the sky is the blend's. */
static void the_sky_is_untouched_by_the_fade(void **state)
{
    (void)state;
    scene s = make_scene();
    sc_image out = replace(&s, 0);
    size_t n = (size_t)W * H * 3;
    uint8_t *blend = malloc(n);
    assert_non_null(blend);
    sc_error err;
    assert_int_equal(sc_blend_run(&s.img, &s.matte, &s.sky, &s.sky_matte, 0, SC_NUMERICS_EXACT, 0,
                                  NULL, NULL, blend, &err),
                     SC_OK);
    assert_memory_equal(out.rgb, blend, (size_t)(HORIZON - 2) * W * 3);
    free(blend);
    free(out.rgb);
    free_scene(&s);
}

/* A few stray sky pixels far down the ground (a false speck of the matte)
 * pull no tinted halo: around them the ground stays within a few levels. */
static void a_stray_speck_has_no_halo(void **state)
{
    (void)state;
    scene s = make_scene();
    int cx = W / 2, cy = H - 40;
    for (int y = cy - 1; y <= cy + 1; y++)
        for (int x = cx - 1; x <= cx + 1; x++)
            s.matte.alpha[(size_t)y * W + x] = 1.f;
    sc_image out = replace(&s, 0), orig = replace(&s, 1);
    double sum = 0, sum_orig = 0;
    int count = 0;
    for (int y = cy - 12; y <= cy + 12; y++)
        for (int x = cx - 12; x <= cx + 12; x++) {
            if (abs(x - cx) <= 4 && abs(y - cy) <= 4)
                continue; /* the speck and its feathered edge */
            for (int c = 0; c < 3; c++) {
                size_t i = ((size_t)y * W + x) * 3 + c;
                sum += abs(out.rgb[i] - s.img.rgb[i]);
                sum_orig += abs(orig.rgb[i] - s.img.rgb[i]);
                count++;
            }
        }
    print_message("around the speck: mean change %.2f levels (compat %.2f)\n", sum / count,
                  sum_orig / count);
    assert_true(sum / count <= 1.0);
    assert_true(sum_orig / count > 4.0);
    free(out.rgb);
    free(orig.rgb);
    free_scene(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(far_ground_keeps_the_scene_bytes),
        cmocka_unit_test(the_fade_has_no_step),
        cmocka_unit_test(the_sky_is_untouched_by_the_fade),
        cmocka_unit_test(a_stray_speck_has_no_halo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
