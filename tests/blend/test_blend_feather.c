/* The truncated feathered weights with the settled-tile shortcut against the
 * full evaluation, on mattes with tiny nonzero values like a network's. */
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
#include "blend/feather_tile.h"
#include "blend/hash32.h"
#include "core/isa.h"

static float unit(uint32_t seed)
{
    return (float)(hash32(seed) >> 8) / 16777216.f;
}

static uint8_t truncated(float v)
{
    return v <= 0.f ? 0 : (v >= 255.f ? 255 : (uint8_t)v);
}

/* Bands of 8 rows, each at its own level (on the x255 scale) from 1e-9 to
 * 10, log-uniform, with relative noise; some bands exactly 0, some with
 * isolated exact zeros, a soft sky edge at the top. Straddles both ends of
 * the shortcut's range and the half-ulp of 255 (7.6e-6). */
static void make_matte(float *a, int w, int h)
{
    for (int y = 0; y < h; y++) {
        int band = y / 8;
        float level = powf(10.f, -9.f + 10.f * unit((uint32_t)band * 977u)) / 255.f;
        for (int x = 0; x < w; x++) {
            uint32_t i = (uint32_t)(y * w + x);
            float v = level * (0.5f + unit(i * 3u + 1u));
            if (band % 7 == 3)
                v = 0.f;
            if (band % 5 == 1 && hash32(i) % 97 == 0)
                v = 0.f;
            if (y < 12)
                v = 1.f - (float)y / 12.f + v;
            a[(size_t)y * w + x] = v > 1.f ? 1.f : v;
        }
    }
}

static void shortcut_gives_the_same_truncated_weights(void **state)
{
    (void)state;
    enum { W = 173, H = 8 * 40 };
    float *alpha = malloc(sizeof *alpha * W * H);
    float *sky = malloc(sizeof *sky * W), *scn = malloc(sizeof *scn * W);
    float *sky_fast = malloc(sizeof *sky_fast * W);
    uint8_t sky8[W], scn8[W];
    assert_non_null(alpha && sky && scn && sky_fast);
    make_matte(alpha, W, H);
    sc_matte m = {W, H, alpha};
    sc_feather *f = sc_feather_new(&m);
    assert_non_null(f);
    long settled_scene = 0;
    for (int y = 0; y < H; y++) {
        assert_int_equal(sc_feather_row(f, y, sky, scn), 0);
        /* floats wanted in columns 40..99 of every other row */
        int fx0 = y % 2 ? 40 : 0, fx1 = y % 2 ? 100 : 0;
        assert_int_equal(sc_feather_row_u8(f, y, fx0, fx1, sky_fast, sky8, scn8), 0);
        for (int x = 0; x < W; x++) {
            if (sky8[x] != truncated(sky[x]) || scn8[x] != truncated(scn[x]))
                fail_msg("row %d col %d: weights %d/%d, want %d/%d (%g/%g)", y, x, sky8[x],
                         scn8[x], truncated(sky[x]), truncated(scn[x]), sky[x], scn[x]);
            if (x >= fx0 && x < fx1 && memcmp(&sky_fast[x], &sky[x], sizeof *sky) != 0)
                fail_msg("row %d col %d: float sky weight %g, want %g", y, x, sky_fast[x],
                         sky[x]);
            settled_scene += scn8[x] == 254 && sky8[x] == 0;
        }
    }
    /* the matte does exercise the 254 case the shortcut produces */
    assert_true(settled_scene > W * H / 10);
    sc_feather_free(f);
    free(alpha);
    free(sky);
    free(scn);
    free(sky_fast);
}

static void composite_weights_match_the_full_evaluation(void **state)
{
    (void)state;
    enum { W = 97, H = 8 * 12 };
    float *alpha = malloc(sizeof *alpha * W * H);
    uint8_t *rgb = malloc(3 * W * H), *placed = malloc(3 * W * H), *pano = malloc(3 * W * H);
    uint8_t *w8 = malloc(2 * W * H);
    float *sky = malloc(sizeof *sky * W), *scn = malloc(sizeof *scn * W);
    assert_non_null(alpha && rgb && placed && pano && w8 && sky && scn);
    make_matte(alpha, W, H);
    for (int i = 0; i < 3 * W * H; i++) {
        rgb[i] = (uint8_t)hash32((uint32_t)i);
        placed[i] = (uint8_t)(hash32((uint32_t)i + 5u) >> 3);
    }
    sc_image scene = {.width = W, .height = H, .rgb = rgb};
    sc_matte m = {W, H, alpha};
    sc_rect box = {0, 0, W, 12};
    sc_error err;
    assert_int_equal(sc_composite(&scene, &m, box, placed, SC_NUMERICS_ORIGINAL, w8,
                                  w8 + W * H, pano, &err),
                     SC_OK);
    sc_feather *f = sc_feather_new(&m);
    assert_non_null(f);
    for (int y = 0; y < H; y++) {
        assert_int_equal(sc_feather_row(f, y, sky, scn), 0);
        for (int x = 0; x < W; x++) {
            assert_int_equal(w8[y * W + x], truncated(sky[x]));
            assert_int_equal(w8[W * H + y * W + x], truncated(scn[x]));
        }
        if (y >= 12)
            assert_memory_equal(pano + 3 * W * y, rgb + 3 * W * y, 3 * W);
    }
    sc_feather_free(f);
    free(alpha);
    free(rgb);
    free(placed);
    free(pano);
    free(w8);
    free(sky);
    free(scn);
}

/* Every instruction set's copy of the tile against the baseline one, bit for
 * bit, on the banded matte and on a random soft one, with tiles cut short at
 * the right edge and the up-scale taps of both kinds. */
static void tile_copies_give_the_baseline_bits(void **state)
{
    (void)state;
    enum { W = 173, H = 8 * 12 };
    float *alpha = malloc(sizeof *alpha * W * H);
    float *sky = malloc(sizeof *sky * W), *scn = malloc(sizeof *scn * W);
    float *sky_isa = malloc(sizeof *sky_isa * W), *scn_isa = malloc(sizeof *scn_isa * W);
    sc_feather_tile_buffers *t = malloc(sizeof *t);
    assert_non_null(alpha && sky && scn && sky_isa && scn_isa && t);
    sc_feather_tile_fn *copies[2] = {SC_ISA_WIDE_COPY(SC_ISA_AVX2, sc_feather_tile_avx2),
                                     SC_ISA_WIDE_COPY(SC_ISA_AVX512, sc_feather_tile_avx512)};
    int compared = 0;
    for (int kind = 0; kind < 2; kind++) {
        if (kind == 0)
            make_matte(alpha, W, H);
        else
            for (int i = 0; i < W * H; i++)
                alpha[i] = unit((uint32_t)i * 7u + 3u);
        sc_matte m = {W, H, alpha};
        for (int generic = 0; generic <= 1; generic++) {
            sc_feather *f = sc_feather_new(&m);
            assert_non_null(f);
            if (generic)
                sc_feather_use_generic_taps(f);
            for (int c = 0; c < 2; c++) {
                if (!copies[c])
                    continue;
                for (int y = 0; y < H; y++)
                    for (int x0 = 0; x0 < W; x0 += SC_FEATHER_TILE) {
                        int x1 = x0 + SC_FEATHER_TILE < W ? x0 + SC_FEATHER_TILE : W;
                        sc_feather_tile_plain(f, t, y, x0, x1, sky, scn);
                        copies[c](f, t, y, x0, x1, sky_isa, scn_isa);
                        if (memcmp(sky + x0, sky_isa + x0, sizeof *sky * (size_t)(x1 - x0)) ||
                            memcmp(scn + x0, scn_isa + x0, sizeof *scn * (size_t)(x1 - x0)))
                            fail_msg("%s copy, matte %d, generic taps %d: row %d, tile at %d "
                                     "differs", c ? "AVX-512" : "AVX2", kind, generic, y, x0);
                        compared++;
                    }
            }
            sc_feather_free(f);
        }
    }
    if (!compared)
        printf("  no AVX2 on this CPU (or SKYCHANGE_ISA=sse2): nothing to compare\n");
    free(alpha);
    free(sky);
    free(scn);
    free(sky_isa);
    free(scn_isa);
    free(t);
}

/* Sky of exact ones over ground of exact zeros, with a soft edge between,
 * stray values just under 1 in the sky and a few columns of ones reaching
 * down, and a patch just under 1: the uniform-tile shortcuts against the tile evaluated in full, float
 * bits and truncated weights. One column is given an up-scale fraction that
 * loses 255, as no real width's does, to show that the shortcut leaves it. */
static void uniform_tiles_give_the_full_evaluation(void **state)
{
    (void)state;
    enum { W = 2560, H = 48 };
    float *alpha = malloc(sizeof *alpha * W * H);
    float *sky = malloc(sizeof *sky * W), *scn = malloc(sizeof *scn * W);
    float *want_sky = malloc(sizeof *want_sky * W), *want_scn = malloc(sizeof *want_scn * W);
    uint8_t *sky8 = malloc(W), *scn8 = malloc(W);
    sc_feather_tile_buffers *t = malloc(sizeof *t);
    assert_non_null(alpha && sky && scn && want_sky && want_scn && sky8 && scn8 && t);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            uint32_t i = (uint32_t)(y * W + x);
            float v = y < 20 ? 1.f : (y < 26 ? 1.f - (float)(y - 19) / 7.f : 0.f);
            if (y < 20 && hash32(i) % 211 == 0)
                v = nextafterf(1.f, 0.f);
            if (y >= 6 && y < 14 && x >= 700 && x < 800)
                v = 0.9999f;
            if (x % 300 < 40 && y < 36)
                v = 1.f;
            alpha[i] = v;
        }
    sc_matte m = {W, H, alpha};
    sc_feather *f = sc_feather_new(&m);
    assert_non_null(f);
    enum { LOSING_COL = 100 };
    float losing = 0x1.333506p-2f; /* 255 * (1 - f) + 255 * f = 254.99998 */
    assert_true(f->regular);
    for (int c = 0; c < SC_FEATHER_BLOCK; c++) {
        f->xf[LOSING_COL * SC_FEATHER_BLOCK + c] = losing;
        f->wa[c * W + LOSING_COL] = 1.f - losing;
        f->wb[c * W + LOSING_COL] = losing;
    }
    f->ones_col[LOSING_COL] =
        (unsigned char)sc_feather_keeps_255(f->xf + LOSING_COL * SC_FEATHER_BLOCK);
    assert_int_equal(f->ones_col[LOSING_COL], 0);
    int cols_kept = 0, rows_kept = 0;
    for (int x = 0; x < W; x++)
        cols_kept += f->ones_col[x];
    for (int y = 0; y < H; y++)
        rows_kept += f->ones_row[y];
    assert_int_equal(cols_kept, W - 1);
    assert_int_equal(rows_kept, H);
    for (int y = 0; y < H; y++) {
        for (int x0 = 0; x0 < W; x0 += SC_FEATHER_TILE) {
            int x1 = x0 + SC_FEATHER_TILE < W ? x0 + SC_FEATHER_TILE : W;
            sc_feather_tile_plain(f, t, y, x0, x1, want_sky, want_scn);
        }
        if (y == 2) /* in the sky, the changed fractions do lose 255 */
            assert_true(want_sky[LOSING_COL] < 255.f && want_sky[LOSING_COL + 40] == 255.f);
        assert_int_equal(sc_feather_row(f, y, sky, scn), 0);
        if (memcmp(sky, want_sky, sizeof *sky * W) || memcmp(scn, want_scn, sizeof *scn * W))
            fail_msg("row %d: sc_feather_row differs from the full evaluation", y);
        assert_int_equal(sc_feather_row_u8(f, y, 0, W, sky, sky8, scn8), 0);
        for (int x = 0; x < W; x++) {
            if (memcmp(&sky[x], &want_sky[x], sizeof *sky) != 0)
                fail_msg("row %d col %d: float sky weight %.9g, want %.9g", y, x, sky[x],
                         want_sky[x]);
            if (sky8[x] != truncated(want_sky[x]) || scn8[x] != truncated(want_scn[x]))
                fail_msg("row %d col %d: weights %d/%d, want %d/%d", y, x, sky8[x], scn8[x],
                         truncated(want_sky[x]), truncated(want_scn[x]));
        }
    }
    sc_feather_free(f);
    free(alpha);
    free(sky);
    free(scn);
    free(want_sky);
    free(want_scn);
    free(sky8);
    free(scn8);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shortcut_gives_the_same_truncated_weights),
        cmocka_unit_test(composite_weights_match_the_full_evaluation),
        cmocka_unit_test(tile_copies_give_the_baseline_bits),
        cmocka_unit_test(uniform_tiles_give_the_full_evaluation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
