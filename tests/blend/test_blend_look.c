/* The look controls of sc_options (sc_replace_sky), on synthetic pictures
 * whose answers are known. */
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
#include "blend/colour.h"

enum { W = 320, H = 200, HORIZON = 90, SKY_W = 400, SKY_H = 260 };

typedef struct pair {
    sc_image scene, sky;
    sc_matte scene_matte, sky_matte;
} pair;

/* Scene: a pale blue sky over grey ground with a bump; sky photo: a warm
 * gradient whose matte has sky above an uneven line (so that mirroring it
 * changes the clear rectangle). */
static pair make_pair(void)
{
    pair p = {{.width = W, .height = H, .rgb = malloc((size_t)W * H * 3)},
              {.width = SKY_W, .height = SKY_H, .rgb = malloc((size_t)SKY_W * SKY_H * 3)},
              {W, H, malloc(sizeof(float) * W * H)},
              {SKY_W, SKY_H, malloc(sizeof(float) * SKY_W * SKY_H)}};
    assert_true(p.scene.rgb && p.sky.rgb && p.scene_matte.alpha && p.sky_matte.alpha);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            size_t i = (size_t)y * W + x;
            int line = HORIZON + (x > 200 && x < 260 ? -25 : 0);
            int sky = y < line;
            uint8_t *px = p.scene.rgb + i * 3;
            px[0] = (uint8_t)(sky ? 120 : 128 + (x % 9) - 4);
            px[1] = (uint8_t)(sky ? 160 : 128 + (y % 7) - 3);
            px[2] = (uint8_t)(sky ? 220 : 128);
            p.scene_matte.alpha[i] = sky ? 1.f : 0.f;
        }
    for (int y = 0; y < SKY_H; y++)
        for (int x = 0; x < SKY_W; x++) {
            size_t i = (size_t)y * SKY_W + x;
            uint8_t *px = p.sky.rgb + i * 3;
            px[0] = (uint8_t)(200 + x * 55 / SKY_W);
            px[1] = (uint8_t)(100 + y * 80 / SKY_H);
            px[2] = (uint8_t)(40 + (x + y) % 30);
            int line = 150 + (x < 120 ? -60 : 0);
            p.sky_matte.alpha[i] = y < line ? 1.f : 0.f;
        }
    return p;
}

static void free_pair(pair *p)
{
    free(p->scene.rgb);
    free(p->sky.rgb);
    free(p->scene_matte.alpha);
    free(p->sky_matte.alpha);
}

static sc_image run(const pair *p, const sc_options *opt)
{
    sc_image out = {0};
    sc_error err = {0};
    if (sc_replace_sky(&p->scene, &p->scene_matte, &p->sky, &p->sky_matte, opt, &out, &err) !=
        SC_OK)
        fail_msg("%s", err.msg);
    return out;
}

static int same_image(const sc_image *a, const sc_image *b)
{
    return a->width == b->width && a->height == b->height &&
           memcmp(a->rgb, b->rgb, (size_t)a->width * a->height * 3) == 0;
}

static void flip_sky_equals_a_mirrored_sky_photo_and_matte(void **state)
{
    (void)state;
    pair p = make_pair(), mirrored = make_pair();
    for (int y = 0; y < SKY_H; y++)
        for (int x = 0; x < SKY_W; x++) {
            size_t to = (size_t)y * SKY_W + x, from = (size_t)y * SKY_W + (SKY_W - 1 - x);
            memcpy(mirrored.sky.rgb + to * 3, p.sky.rgb + from * 3, 3);
            mirrored.sky_matte.alpha[to] = p.sky_matte.alpha[from];
        }
    sc_options opt = sc_options_default(), plain = sc_options_default();
    opt.flip_sky = 1;
    sc_image flipped = run(&p, &opt), want = run(&mirrored, &plain), unflipped = run(&p, &plain);
    assert_true(same_image(&flipped, &want));
    assert_false(same_image(&flipped, &unflipped));
    free(flipped.rgb);
    free(want.rgb);
    free(unflipped.rgb);
    free_pair(&p);
    free_pair(&mirrored);
}

/* A grid-like gradient sky photo, its whole area as the patch, placed in a
 * box of half its size: at scale 2 the crop is 1:1 and its position is exact. */
static void offset_and_scale_move_and_zoom_the_patch(void **state)
{
    (void)state;
    int sw = 400, sh = 200;
    sc_image sky = {.width = sw, .height = sh, .rgb = malloc((size_t)sw * sh * 3)};
    assert_non_null(sky.rgb);
    for (int y = 0; y < sh; y++)
        for (int x = 0; x < sw; x++) {
            uint8_t *px = sky.rgb + ((size_t)y * sw + x) * 3;
            px[0] = (uint8_t)(x * 255 / (sw - 1));
            px[1] = (uint8_t)(y * 255 / (sh - 1));
            px[2] = (uint8_t)((x / 10 + y / 10) % 2 * 255);
        }
    sc_sky_patch whole = {{0, 0, sw, sh}, (long)sw * sh, 0, 0, sw, sh};
    sc_rect box = {0, 0, 200, 100};
    uint8_t *placed = malloc((size_t)box.w * box.h * 3);
    assert_non_null(placed);
    sc_error err;
    const struct {
        float scale, ox, oy;
        int x0, y0; /* where the crop starts in the sky photo, in its pixels */
        int span;   /* sky photo pixels per placed pixel */
    } cases[] = {
        {1.f, 0.f, 0.f, 0, 0, 2},   {2.f, 0.f, 0.f, 100, 50, 1}, {2.f, -1.f, -1.f, 0, 0, 1},
        {2.f, 1.f, 1.f, 200, 100, 1}, {2.f, 0.5f, -0.5f, 150, 25, 1}, {4.f, -1.f, 1.f, 0, 150, 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        sc_patch_view view = {0, cases[k].scale, cases[k].ox, cases[k].oy};
        assert_int_equal(sc_place_patch(&sky, &whole, box, &view, placed, &err), SC_OK);
        if (cases[k].span == 0) { /* 2x magnification: check the start only */
            int r = placed[0], g = placed[1];
            assert_in_range(r, 0, 2);
            assert_in_range(g, cases[k].y0 * 255 / (sh - 1) - 2, cases[k].y0 * 255 / (sh - 1) + 2);
            continue;
        }
        for (int y = 0; y < box.h; y += 33)
            for (int x = 0; x < box.w; x += 41) {
                int sx = cases[k].x0 + x * cases[k].span, sy = cases[k].y0 + y * cases[k].span;
                const uint8_t *got = placed + ((size_t)y * box.w + x) * 3;
                const uint8_t *want = sky.rgb + ((size_t)sy * sw + sx) * 3;
                if (abs(got[0] - want[0]) > 2 || abs(got[1] - want[1]) > 2)
                    fail_msg("scale %g offset %g,%g: placed (%d,%d) = %d,%d, sky (%d,%d) = %d,%d",
                             (double)cases[k].scale, (double)cases[k].ox, (double)cases[k].oy,
                             x, y, got[0], got[1], sx, sy, want[0], want[1]);
            }
    }
    free(placed);
    free(sky.rgb);
}

/* The 0.5 contour of a soft disc, along 16 rays from its centre. */
static void contour_radii(const sc_matte *m, float cx, float cy, float *lo, float *hi)
{
    *lo = 1e9f, *hi = -1e9f;
    for (int ray = 0; ray < 16; ray++) {
        float ang = (float)ray * 6.2831853f / 16.f, prev = 1.f, prev_r = 0.f;
        for (float r = 0.f; r < 140.f; r += 0.25f) {
            int x = (int)lroundf(cx + r * cosf(ang)), y = (int)lroundf(cy + r * sinf(ang));
            float a = m->alpha[(size_t)y * m->width + x];
            if (a < 0.5f && prev >= 0.5f) {
                float at = prev_r + (r - prev_r) * (prev - 0.5f) / (prev - a);
                *lo = fminf(*lo, at), *hi = fmaxf(*hi, at);
                break;
            }
            prev = a, prev_r = r;
        }
    }
}

static void edge_shift_moves_the_contour(void **state)
{
    (void)state;
    int w = 320, h = 320;
    float cx = 160.f, cy = 160.f, r0 = 60.f;
    sc_matte disc = {w, h, malloc(sizeof(float) * w * h)};
    assert_non_null(disc.alpha);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            float d = hypotf((float)x - cx, (float)y - cy);
            disc.alpha[(size_t)y * w + x] = fminf(fmaxf(r0 - d + 0.5f, 0.f), 1.f);
        }
    const float shifts[] = {-40.f, -12.f, -3.f, 3.f, 12.f, 40.f};
    for (size_t k = 0; k < sizeof shifts / sizeof *shifts; k++) {
        sc_matte moved;
        sc_error err;
        assert_int_equal(sc_matte_edit(&disc, shifts[k], 0.f, &moved, &err), SC_OK);
        float lo, hi;
        contour_radii(&moved, cx, cy, &lo, &hi);
        print_message("edge shift %+g: contour at %.2f..%.2f (want %.1f +- 1)\n",
                      (double)shifts[k], (double)lo, (double)hi, (double)(r0 + shifts[k]));
        assert_true(fabsf(lo - (r0 + shifts[k])) <= 1.f && fabsf(hi - (r0 + shifts[k])) <= 1.f);
        free(moved.alpha);
    }
    /* fade: the contour stays, the 0.1..0.9 ramp widens to about the fade */
    sc_matte soft;
    sc_error err;
    assert_int_equal(sc_matte_edit(&disc, 0.f, 20.f, &soft, &err), SC_OK);
    float lo, hi;
    contour_radii(&soft, cx, cy, &lo, &hi);
    assert_true(fabsf(lo - r0) <= 1.5f && fabsf(hi - r0) <= 1.5f);
    int inner = -1, outer = -1;
    for (int x = (int)cx; x < w; x++) {
        float a = soft.alpha[(size_t)160 * w + x];
        if (inner < 0 && a < 0.9f)
            inner = x;
        if (outer < 0 && a < 0.1f)
            outer = x;
    }
    print_message("edge fade 20: 0.9..0.1 over %d px\n", outer - inner);
    assert_in_range(outer - inner, 12, 30);
    free(soft.alpha);
    free(disc.alpha);
}

static double mean_b_star(const sc_image *img, int y0, int y1)
{
    double sum = 0;
    size_t n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = 0; x < img->width; x++) {
            const uint8_t *px = img->rgb + ((size_t)y * img->width + x) * 3;
            float rgb[3] = {px[0], px[1], px[2]}, lab[3];
            sc_rgb_to_lab(rgb, lab);
            sum += lab[2];
            n++;
        }
    return sum / (double)n;
}

static void harmonize_moves_the_ground_towards_the_sky(void **state)
{
    (void)state;
    pair p = make_pair();
    sc_options opt = sc_options_default();
    sc_image plain = run(&p, &opt);
    opt.harmonize = 0.f;
    sc_image zero = run(&p, &opt);
    assert_true(same_image(&plain, &zero)); /* S = 0 is today's output */
    double before = mean_b_star(&p.scene, H - 60, H), last = before;
    const float strengths[] = {0.25f, 0.5f, 1.f};
    for (size_t k = 0; k < 3; k++) {
        opt.harmonize = strengths[k];
        sc_image out = run(&p, &opt);
        double b = mean_b_star(&out, H - 60, H);
        print_message("harmonize %.2f: ground b* %.2f (scene %.2f)\n", (double)strengths[k], b,
                      before);
        assert_true(b > last + 0.5); /* the warm sky pulls b* up, more with S */
        last = b;
        free(out.rgb);
    }
    /* the relit scene keeps its sky pixels (alpha 1) exactly */
    size_t n = (size_t)W * H;
    uint8_t *relit = malloc(n * 3), *placed = malloc(n * 3);
    assert_true(relit && placed);
    memset(placed, 200, n * 3);
    sc_rect box = {0, 0, W, HORIZON};
    sc_error err;
    assert_int_equal(sc_harmonize(&p.scene, &p.scene_matte, placed, box, 1.f, relit, &err),
                     SC_OK);
    for (size_t i = 0; i < n; i++)
        if (p.scene_matte.alpha[i] == 1.f)
            assert_memory_equal(relit + i * 3, p.scene.rgb + i * 3, 3);
    free(relit);
    free(placed);
    free(plain.rgb);
    free(zero.rgb);
    free_pair(&p);
}

static double mean_channel(const sc_image *img, int c, int y0, int y1)
{
    double sum = 0;
    for (int y = y0; y < y1; y++)
        for (int x = 0; x < img->width; x++)
            sum += img->rgb[((size_t)y * img->width + x) * 3 + c];
    return sum / ((double)(y1 - y0) * img->width);
}

static void brightness_and_temperature_change_the_sky(void **state)
{
    (void)state;
    pair p = make_pair();
    sc_options opt = sc_options_default();
    sc_image plain = run(&p, &opt);
    opt.sky_brightness = 1.f;
    sc_image bright = run(&p, &opt);
    opt.sky_brightness = -1.f;
    sc_image dark = run(&p, &opt);
    opt.sky_brightness = 0.f;
    opt.sky_temperature = -2000.f;
    sc_image cool = run(&p, &opt);
    double g = mean_channel(&plain, 1, 5, 40);
    assert_true(mean_channel(&bright, 1, 5, 40) > g + 20);
    assert_true(mean_channel(&dark, 1, 5, 40) < g - 20);
    double warmth = mean_channel(&plain, 0, 5, 40) - mean_channel(&plain, 2, 5, 40);
    double cooler = mean_channel(&cool, 0, 5, 40) - mean_channel(&cool, 2, 5, 40);
    print_message("sky red - blue: %.1f, at -2000 K %.1f\n", warmth, cooler);
    assert_true(cooler < warmth - 10);
    /* the ground far below keeps the scene's pixels whatever the sky's tone */
    assert_memory_equal(bright.rgb + (size_t)(H - 10) * W * 3, p.scene.rgb + (size_t)(H - 10) * W * 3,
                        (size_t)10 * W * 3);
    free(plain.rgb);
    free(bright.rgb);
    free(dark.rgb);
    free(cool.rgb);
    free_pair(&p);
}

/* A sky plate: the whole photo is the patch, whatever (or without) its matte;
 * the same as a matte that calls all of it sky. */
static void sky_plate_uses_the_whole_photo(void **state)
{
    (void)state;
    pair p = make_pair();
    sc_options opt = sc_options_default();
    for (size_t i = 0; i < (size_t)SKY_W * SKY_H; i++)
        p.sky_matte.alpha[i] = 1.f;
    sc_image all_sky = run(&p, &opt);
    opt.sky_plate = 1;
    sc_image out = {0};
    sc_error err;
    assert_int_equal(sc_replace_sky(&p.scene, &p.scene_matte, &p.sky, NULL, &opt, &out, &err),
                     SC_OK);
    assert_true(same_image(&out, &all_sky));
    free(out.rgb);
    for (size_t i = 0; i < (size_t)SKY_W * SKY_H; i++)
        p.sky_matte.alpha[i] = 0.f; /* no sky at all: ignored with sky_plate */
    out = run(&p, &opt);
    assert_true(same_image(&out, &all_sky));
    free(out.rgb);
    free(all_sky.rgb);
    free_pair(&p);
}

static void out_of_range_and_compat_are_refused(void **state)
{
    (void)state;
    pair p = make_pair();
    const struct {
        const char *field;
        size_t offset;
        float bad;
    } cases[] = {
        {"harmonize", offsetof(sc_options, harmonize), 1.5f},
        {"harmonize", offsetof(sc_options, harmonize), -0.1f},
        {"sky_scale", offsetof(sc_options, sky_scale), 0.5f},
        {"sky_offset_x", offsetof(sc_options, sky_offset_x), 1.2f},
        {"sky_offset_y", offsetof(sc_options, sky_offset_y), NAN},
        {"edge_shift", offsetof(sc_options, edge_shift), 900.f},
        {"edge_fade", offsetof(sc_options, edge_fade), -1.f},
        {"sky_brightness", offsetof(sc_options, sky_brightness), -2.f},
        {"sky_temperature", offsetof(sc_options, sky_temperature), 5000.f},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        sc_options opt = sc_options_default();
        *(float *)((char *)&opt + cases[k].offset) = cases[k].bad;
        sc_image out = {0};
        sc_error err = {0};
        assert_int_equal(sc_replace_sky(&p.scene, &p.scene_matte, &p.sky, &p.sky_matte, &opt,
                                        &out, &err),
                         SC_ERR_INVALID_ARG);
        assert_non_null(strstr(err.msg, cases[k].field));
        assert_null(out.rgb);
    }
    sc_options opt = sc_options_default();
    opt.compat = 1;
    opt.flip_sky = 1;
    sc_image out = {0};
    sc_error err = {0};
    assert_int_equal(sc_replace_sky(&p.scene, &p.scene_matte, &p.sky, &p.sky_matte, &opt, &out,
                                    &err),
                     SC_ERR_INVALID_ARG);
    assert_non_null(strstr(err.msg, "compat"));
    free_pair(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(flip_sky_equals_a_mirrored_sky_photo_and_matte),
        cmocka_unit_test(offset_and_scale_move_and_zoom_the_patch),
        cmocka_unit_test(edge_shift_moves_the_contour),
        cmocka_unit_test(harmonize_moves_the_ground_towards_the_sky),
        cmocka_unit_test(brightness_and_temperature_change_the_sky),
        cmocka_unit_test(sky_plate_uses_the_whole_photo),
        cmocka_unit_test(out_of_range_and_compat_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
