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

/* One x10 row (row index `row` of the mask) sampled at columns X0..X0+9. */
static float half_mix(float a, float b, float c, float d)
{
    return (a * 0.5f + b * 0.5f) * 0.5f + (c * 0.5f + d * 0.5f) * 0.5f;
}

/*
 * A row is processed in tiles of TILE scene pixels (10*TILE x10 columns), so
 * that the intermediate rows stay in cache; the per-tile loops run over
 * contiguous arrays and vectorise.
 */
#define TILE 32
#define TW (TILE * BLOCK)
#define ROW_CACHE 4

typedef struct tile_buffers {
    int cached_row[ROW_CACHE];
    float hr[ROW_CACHE][TW];  /* horizontally up-scaled mask rows */
    float big[BLOCK][TW];     /* the x10 rows 10y .. 10y+9 */
    double rs[BLOCK][TW];     /* 5-wide row sums */
    double d[TW], pair[TW];   /* a row in double, sums of neighbouring pairs */
    float bl[6][TW];          /* blurred rows 10y+2 .. 10y+7 */
} tile_buffers;

static const float *upscaled_tile_row(const sc_feather *f, tile_buffers *t, int row, int X0,
                                      int n)
{
    for (int k = 0; k < ROW_CACHE; k++)
        if (t->cached_row[k] == row)
            return t->hr[k];
    int k = 0;
    while (k < ROW_CACHE - 1 && t->cached_row[k] >= 0)
        k++;
    const float *m = f->alpha + (size_t)row * f->w;
    float *out = t->hr[k];
    for (int i = 0; i < n; i++) {
        int X = X0 + i, s0 = f->xs[X], s1 = s0 + 1 < f->w ? s0 + 1 : s0;
        float fx = f->xf[X];
        /* fx == 0 at the clamped edges: p*1 + q*0 == p, as OpenCV's single tap */
        out[i] = (m[s0] * 255.0f) * (1.f - fx) + (m[s1] * 255.0f) * fx;
    }
    t->cached_row[k] = row;
    return out;
}

static int zero_tile(const sc_feather *f, int y, int x0, int x1)
{
    int c0 = x0 > 0 ? x0 - 1 : 0, c1 = x1 < f->w ? x1 : f->w - 1;
    for (int dy = -1; dy <= 1; dy++) {
        const float *m = f->alpha + (size_t)clip(y + dy, f->h) * f->w;
        for (int x = c0; x <= c1; x++)
            if (m[x] != 0.f)
                return 0;
    }
    return 1;
}

static void feather_tile(const sc_feather *f, tile_buffers *t, int y, int x0, int x1,
                         float *sky_w, float *scn_w)
{
    int n = (x1 - x0) * BLOCK, X0 = x0 * BLOCK;
    for (int k = 0; k < ROW_CACHE; k++)
        t->cached_row[k] = -1;
    for (int r = 0; r < BLOCK; r++) {
        int Y = y * BLOCK + r, sy = f->ys[Y];
        float b1 = f->yf[Y], b0 = 1.f - b1;
        const float *pa = upscaled_tile_row(f, t, clip(sy, f->h), X0, n);
        const float *pb = upscaled_tile_row(f, t, clip(sy + 1, f->h), X0, n);
        float *big = t->big[r];
        for (int i = 0; i < n; i++)
            big[i] = pa[i] * b0 + pb[i] * b1;
    }
    /* 5x5 box blur, sums in double, at x10 rows 2..7 of the block */
    /* the sums are exact in double, so their order is free: (b0+b1) + (b2+b3) + b4 */
    for (int r = 0; r < BLOCK; r++) {
        const float *b = t->big[r];
        double *rs = t->rs[r], *d = t->d, *pair = t->pair;
        for (int i = 0; i < n; i++)
            d[i] = (double)b[i];
        for (int i = 0; i < n - 1; i++)
            pair[i] = d[i] + d[i + 1];
        for (int i = 2; i < n - 2; i++)
            rs[i] = (pair[i - 2] + pair[i]) + d[i + 2];
    }
    for (int r = 2; r <= 7; r++) {
        const double *a = t->rs[r - 2], *b = t->rs[r - 1], *c = t->rs[r], *d = t->rs[r + 1],
                     *e = t->rs[r + 2];
        float *bl = t->bl[r - 2];
        for (int i = 2; i < n - 2; i++)
            bl[i] = (float)((a[i] + b[i] + c[i] + d[i] + e[i]) * (1.0 / 25));
    }
    /* 5x5 dilate / erode at x10 rows and columns 4, 5 of each block */
    for (int x = x0; x < x1; x++) {
        int i0 = (x - x0) * BLOCK + 4;
        float hx[6][2], hn[6][2];
        for (int r = 0; r < 6; r++)
            for (int j = 0; j < 2; j++) {
                const float *p = t->bl[r] + i0 + j - 2;
                float hi = p[0], lo = p[0];
                for (int k = 1; k < 5; k++) {
                    hi = p[k] > hi ? p[k] : hi;
                    lo = p[k] < lo ? p[k] : lo;
                }
                hx[r][j] = hi;
                hn[r][j] = lo;
            }
        float mx[2][2], mn[2][2];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++) {
                float hi = hx[i][j], lo = hn[i][j];
                for (int r = i + 1; r < i + 5; r++) {
                    hi = hx[r][j] > hi ? hx[r][j] : hi;
                    lo = hn[r][j] < lo ? hn[r][j] : lo;
                }
                mx[i][j] = hi;
                mn[i][j] = 255 - lo;
            }
        sky_w[x] = half_mix(mx[0][0], mx[0][1], mx[1][0], mx[1][1]);
        scn_w[x] = half_mix(mn[0][0], mn[0][1], mn[1][0], mn[1][1]);
    }
}

int sc_feather_row(const sc_feather *f, int y, float *sky_w, float *scn_w)
{
    tile_buffers *t = malloc(sizeof *t);
    if (!t)
        return -1;
    for (int x0 = 0; x0 < f->w; x0 += TILE) {
        int x1 = x0 + TILE < f->w ? x0 + TILE : f->w;
        if (zero_tile(f, y, x0, x1)) {
            for (int x = x0; x < x1; x++) {
                sky_w[x] = 0.f;
                scn_w[x] = 255.f;
            }
        } else {
            feather_tile(f, t, y, x0, x1, sky_w, scn_w);
        }
    }
    free(t);
    return 0;
}
