/*
 * §4.4.3, quirk Q2: the original up-scales the scene mask x10, blurs it 5x5,
 * dilates (sky weight) or erodes (scene weight) it 5x5 and scales it back.
 * Scaling back by exactly 10 averages the x10 pixels at columns 10x+4, 10x+5
 * and rows 10y+4, 10y+5, and every value those depend on lies in the 10x10
 * block of the x10 image under scene pixel (x, y), which in turn depends only
 * on the 3x3 mask neighbourhood. Each scene pixel is therefore computed from
 * its own block, with the same float/double operations as OpenCV, and the
 * 100x-size images are never built. The tile itself is in
 * blend/feather_tile_body.h, in a copy per instruction set.
 */
#include "blend/blend.h"

#include <stdlib.h>

#include "blend/feather_tile.h"

#define BLOCK SC_FEATHER_BLOCK
#define TILE SC_FEATHER_TILE

int sc_feather_keeps_255(const float *fractions)
{
    for (int c = 0; c < BLOCK; c++) {
        float mix = 255.0f * (1.f - fractions[c]) + 255.0f * fractions[c];
        if (mix != 255.0f)
            return 0;
    }
    return 1;
}

sc_feather *sc_feather_new(const sc_matte *scene_matte)
{
    sc_feather *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->alpha = scene_matte->alpha;
    f->w = scene_matte->width;
    f->h = scene_matte->height;
    size_t bw = (size_t)f->w * BLOCK, bh = (size_t)f->h * BLOCK;
    f->xs = malloc(sizeof *f->xs * bw);
    f->xf = malloc(sizeof *f->xf * bw);
    f->ys = malloc(sizeof *f->ys * bh);
    f->yf = malloc(sizeof *f->yf * bh);
    if (!f->xs || !f->xf || !f->ys || !f->yf) {
        sc_feather_free(f);
        return NULL;
    }
    sc_linear_axis(f->w, (int)bw, 1, f->xs, f->xf);
    sc_linear_axis(f->h, (int)bh, 0, f->ys, f->yf);
    f->wa = malloc(sizeof *f->wa * bw);
    f->wb = malloc(sizeof *f->wb * bw);
    f->ones_col = malloc((size_t)f->w);
    f->ones_row = malloc((size_t)f->h);
    if (!f->wa || !f->wb || !f->ones_col || !f->ones_row) {
        sc_feather_free(f);
        return NULL;
    }
    /* The pattern holds for any width below ~2^19; checked, not assumed. */
    f->regular = 1;
    for (int x = 0; x < f->w; x++)
        for (int c = 0; c < BLOCK; c++) {
            int X = x * BLOCK + c, left = c < 5 ? x - 1 : x;
            /* then the second tap is sc_feather_clip(left + 1) whenever its weight is not 0 */
            if (f->xs[X] != sc_feather_clip(left, f->w))
                f->regular = 0;
            f->wa[(size_t)c * f->w + x] = 1.f - f->xf[X];
            f->wb[(size_t)c * f->w + x] = f->xf[X];
        }
    for (int x = 0; x < f->w; x++)
        f->ones_col[x] = (unsigned char)sc_feather_keeps_255(f->xf + (size_t)x * BLOCK);
    for (int y = 0; y < f->h; y++)
        f->ones_row[y] = (unsigned char)sc_feather_keeps_255(f->yf + (size_t)y * BLOCK);
    return f;
}

void sc_feather_free(sc_feather *f)
{
    if (!f)
        return;
    free(f->xs);
    free(f->xf);
    free(f->ys);
    free(f->yf);
    free(f->wa);
    free(f->wb);
    free(f->ones_col);
    free(f->ones_row);
    free(f);
}

void sc_feather_use_generic_taps(sc_feather *f)
{
    f->regular = 0;
}

/*
 * A tile whose 3x3 mask neighbourhood is all exact zeros has the weights 0
 * (sky) and 255 (scene) without the detour. One of all exact ones has 255 and
 * 0 where the up-scale keeps 255 (ones_col, ones_row): the 5x5 blur of exact
 * 255s sums 6375 exactly in double and 6375 * (1.0 / 25) rounds to 255, and
 * the extremes and the final averages of equal values are that value. The
 * other steps move nothing, so these are the bits the detour gives.
 */
enum { MIXED_TILE, ZERO_TILE, ONES_TILE };

static int uniform_tile(const sc_feather *f, int y, int x0, int x1)
{
    int c0 = x0 > 0 ? x0 - 1 : 0, c1 = x1 < f->w ? x1 : f->w - 1;
    float v = f->alpha[(size_t)sc_feather_clip(y - 1, f->h) * f->w + c0];
    if (v != 0.f && v != 1.f)
        return MIXED_TILE;
    for (int dy = -1; dy <= 1; dy++) {
        const float *m = f->alpha + (size_t)sc_feather_clip(y + dy, f->h) * f->w;
        for (int x = c0; x <= c1; x++)
            if (m[x] != v)
                return MIXED_TILE;
    }
    if (v == 0.f)
        return ZERO_TILE;
    if (!f->ones_row[y])
        return MIXED_TILE;
    for (int x = x0; x < x1; x++)
        if (!f->ones_col[x])
            return MIXED_TILE;
    return ONES_TILE;
}

/* The weights of a uniform tile; 0 when it is not one. */
static int fill_uniform_tile(const sc_feather *f, int y, int x0, int x1, float *sky_w,
                             float *scn_w)
{
    int kind = uniform_tile(f, y, x0, x1);
    if (kind == MIXED_TILE)
        return 0;
    float sky = kind == ONES_TILE ? 255.f : 0.f;
    for (int x = x0; x < x1; x++) {
        sky_w[x] = sky;
        scn_w[x] = 255.f - sky;
    }
    return 1;
}

int sc_feather_row(const sc_feather *f, int y, float *sky_w, float *scn_w)
{
    sc_feather_tile_buffers *t = malloc(sizeof *t);
    sc_feather_tile_fn *feather_tile = sc_feather_tile_for_cpu();
    if (!t)
        return -1;
    for (int x0 = 0; x0 < f->w; x0 += TILE) {
        int x1 = x0 + TILE < f->w ? x0 + TILE : f->w;
        if (!fill_uniform_tile(f, y, x0, x1, sky_w, scn_w))
            feather_tile(f, t, y, x0, x1, sky_w, scn_w);
    }
    free(t);
    return 0;
}

/*
 * Where only the truncated weights are needed, a tile whose 3x3 mask
 * neighbourhood (x255) lies within [SETTLED_MIN, SETTLED_MAX] has known ones:
 * every step (bilinear up-scale, box blur, dilate/erode, the final averages)
 * forms a mean or an extreme of its inputs, in float arithmetic that moves
 * the value by far less than 1e-5 relative, so the sky weight and every
 * eroded value stay within (0, 1): the sky weight truncates to 0. The scene
 * weight averages values 255 - e with e >= ~2e-5 > half an ulp of 255
 * (2^-17 = 7.6e-6), each rounded to at most 255 - 2^-16 and more than 254,
 * and averaging keeps them there: it truncates to 254. Network mattes have
 * such small nonzero values over most of the ground.
 */
#define SETTLED_MIN 2e-5f
#define SETTLED_MAX 0.99f

static int settled_tile(const sc_feather *f, int y, int x0, int x1)
{
    int c0 = x0 > 0 ? x0 - 1 : 0, c1 = x1 < f->w ? x1 : f->w - 1, inside = 1;
    for (int dy = -1; dy <= 1; dy++) {
        const float *m = f->alpha + (size_t)sc_feather_clip(y + dy, f->h) * f->w;
        for (int x = c0; x <= c1; x++) {
            float v = m[x] * 255.0f; /* as the up-scale reads it */
            inside &= v >= SETTLED_MIN && v <= SETTLED_MAX;
        }
    }
    return inside;
}

/* numpy's astype(uint8) of the weights: truncation (the values lie in (-1, 256)). */
static uint8_t weight_u8(float v)
{
    return v <= 0.f ? 0 : (v >= 255.f ? 255 : (uint8_t)v);
}

int sc_feather_row_u8(const sc_feather *f, int y, int fx0, int fx1, float *sky_w,
                      uint8_t *sky_w8, uint8_t *scn_w8)
{
    sc_feather_tile_buffers *t = malloc(sizeof *t);
    sc_feather_tile_fn *feather_tile = sc_feather_tile_for_cpu();
    float *scn_w = malloc(sizeof *scn_w * (size_t)f->w);
    if (!t || !scn_w) {
        free(t);
        free(scn_w);
        return -1;
    }
    for (int x0 = 0; x0 < f->w; x0 += TILE) {
        int x1 = x0 + TILE < f->w ? x0 + TILE : f->w;
        int need_float = x0 < fx1 && fx0 < x1;
        int done = fill_uniform_tile(f, y, x0, x1, sky_w, scn_w);
        if (!done && !need_float && settled_tile(f, y, x0, x1)) {
            for (int x = x0; x < x1; x++) {
                sky_w[x] = 0.f;     /* truncates as the true value, which is in (0, 1) */
                scn_w[x] = 254.5f;  /* likewise, for a true value in [254, 255) */
            }
            done = 1;
        }
        if (!done)
            feather_tile(f, t, y, x0, x1, sky_w, scn_w);
        for (int x = x0; x < x1; x++) {
            sky_w8[x] = weight_u8(sky_w[x]);
            scn_w8[x] = weight_u8(scn_w[x]);
        }
    }
    free(t);
    free(scn_w);
    return 0;
}
