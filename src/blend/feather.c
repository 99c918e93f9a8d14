/*
 * §4.4.3, quirk Q2: the original up-scales the scene mask x10, blurs it 5x5,
 * dilates (sky weight) or erodes (scene weight) it 5x5 and scales it back.
 * Scaling back by exactly 10 averages the x10 pixels at columns 10x+4, 10x+5
 * and rows 10y+4, 10y+5, and every value those depend on lies in the 10x10
 * block of the x10 image under scene pixel (x, y), which in turn depends only
 * on the 3x3 mask neighbourhood. Each scene pixel is therefore computed from
 * its own block, with the same float/double operations as OpenCV, and the
 * 100x-size images are never built.
 */
#include "blend/blend.h"

#include <stdlib.h>

#define BLOCK 10

struct sc_feather {
    const float *alpha;
    int w, h;
    int *xs, *ys;   /* x10 up-scale taps: first source column / row */
    float *xf, *yf; /* and fractions */
};

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
    free(f);
}

static int clip(int i, int n)
{
    return i < 0 ? 0 : (i >= n ? n - 1 : i);
}

static float mask_at(const sc_feather *f, int y, int x)
{
    return f->alpha[(size_t)y * f->w + x] * 255.0f;
}

/* One x10 row (row index `row` of the mask) sampled at columns X0..X0+9. */
static void upscaled_row(const sc_feather *f, int row, int X0, float *out)
{
    for (int k = 0; k < BLOCK; k++) {
        int X = X0 + k, sx = f->xs[X];
        float fx = f->xf[X], p = mask_at(f, row, sx);
        out[k] = fx == 0.f ? p : p * (1.f - fx) + mask_at(f, row, sx + 1) * fx;
    }
}

static int zero_neighbourhood(const sc_feather *f, int y, int x)
{
    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++)
            if (f->alpha[(size_t)clip(y + dy, f->h) * f->w + clip(x + dx, f->w)] != 0.f)
                return 0;
    return 1;
}

static float half_mix(float a, float b, float c, float d)
{
    return (a * 0.5f + b * 0.5f) * 0.5f + (c * 0.5f + d * 0.5f) * 0.5f;
}

static void feather_pixel(const sc_feather *f, int y, int x, float *sky_w, float *scn_w)
{
    int Y0 = y * BLOCK, X0 = x * BLOCK;
    /* horizontally up-scaled mask rows y-1, y, y+1 (clipped) over this block */
    float hr[3][BLOCK];
    for (int k = 0; k < 3; k++)
        upscaled_row(f, clip(y - 1 + k, f->h), X0, hr[k]);
    float big[BLOCK][BLOCK];
    for (int r = 0; r < BLOCK; r++) {
        int Y = Y0 + r, sy = f->ys[Y];
        float b1 = f->yf[Y], b0 = 1.f - b1;
        int ia = sy - (y - 1), ib = ia + 1;
        float rowa[BLOCK], rowb[BLOCK];
        const float *pa = hr[ia < 0 ? 0 : (ia > 2 ? 2 : ia)], *pb = hr[ib > 2 ? 2 : ib];
        if (ia < 0 || ib > 2) { /* not reached for sizes below 2^20 */
            upscaled_row(f, clip(sy, f->h), X0, rowa);
            upscaled_row(f, clip(sy + 1, f->h), X0, rowb);
            pa = rowa;
            pb = rowb;
        }
        for (int c = 0; c < BLOCK; c++)
            big[r][c] = pa[c] * b0 + pb[c] * b1;
    }
    /* 5x5 box blur (double sums) at block rows/cols 2..7 */
    double rs[BLOCK][BLOCK];
    for (int r = 0; r < BLOCK; r++)
        for (int c = 2; c <= 7; c++)
            rs[r][c] = (double)big[r][c - 2] + (double)big[r][c - 1] + (double)big[r][c] +
                       (double)big[r][c + 1] + (double)big[r][c + 2];
    float bl[BLOCK][BLOCK];
    for (int r = 2; r <= 7; r++)
        for (int c = 2; c <= 7; c++)
            bl[r][c] = (float)((rs[r - 2][c] + rs[r - 1][c] + rs[r][c] + rs[r + 1][c] +
                                rs[r + 2][c]) *
                               (1.0 / 25));
    /* 5x5 dilate / erode at block rows/cols 4..5 */
    float mx[2][2], mn[2][2];
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            float hi = bl[2 + i][2 + j], lo = hi;
            for (int r = 2 + i; r <= 6 + i; r++)
                for (int c = 2 + j; c <= 6 + j; c++) {
                    float v = bl[r][c];
                    hi = v > hi ? v : hi;
                    lo = v < lo ? v : lo;
                }
            mx[i][j] = hi;
            mn[i][j] = 255 - lo;
        }
    *sky_w = half_mix(mx[0][0], mx[0][1], mx[1][0], mx[1][1]);
    *scn_w = half_mix(mn[0][0], mn[0][1], mn[1][0], mn[1][1]);
}

void sc_feather_row(const sc_feather *f, int y, float *sky_w, float *scn_w)
{
    for (int x = 0; x < f->w; x++) {
        if (zero_neighbourhood(f, y, x)) {
            sky_w[x] = 0.f;
            scn_w[x] = 255.f;
        } else {
            feather_pixel(f, y, x, &sky_w[x], &scn_w[x]);
        }
    }
}
