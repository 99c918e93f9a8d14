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
    /* x10 column c of block x takes mask columns x-1, x (c < 5) or x, x+1
     * (c >= 5), clamped, with weights wa, wb stored [c][x]: */
    int regular;
    float *wa, *wb;
};

static int clip(int i, int n)
{
    return i < 0 ? 0 : (i >= n ? n - 1 : i);
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
    if (!f->wa || !f->wb) {
        sc_feather_free(f);
        return NULL;
    }
    /* The pattern holds for any width below ~2^19; checked, not assumed. */
    f->regular = 1;
    for (int x = 0; x < f->w; x++)
        for (int c = 0; c < BLOCK; c++) {
            int X = x * BLOCK + c, left = c < 5 ? x - 1 : x;
            /* then the second tap is clip(left + 1) whenever its weight is not 0 */
            if (f->xs[X] != clip(left, f->w))
                f->regular = 0;
            f->wa[(size_t)c * f->w + x] = 1.f - f->xf[X];
            f->wb[(size_t)c * f->w + x] = f->xf[X];
        }
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
    free(f);
}


/* One x10 row (row index `row` of the mask) sampled at columns X0..X0+9. */
void sc_feather_use_generic_taps(sc_feather *f)
{
    f->regular = 0;
}

static float half_mix(float a, float b, float c, float d)
{
    return (a * 0.5f + b * 0.5f) * 0.5f + (c * 0.5f + d * 0.5f) * 0.5f;
}

/*
 * A row is processed in tiles of TILE scene pixels. Tile arrays are indexed
 * [x10 row][column inside the block][scene pixel], so every step is a loop
 * over contiguous scene pixels (it vectorises) and only the x10 columns that
 * matter are computed: blur at block columns 2..7, dilate/erode at 4..5.
 */
#define TILE 32
#define ROW_CACHE 4

typedef struct tile_buffers {
    int cached_row[ROW_CACHE];
    float hr[ROW_CACHE][BLOCK][TILE]; /* horizontally up-scaled mask rows */
    float big[BLOCK][BLOCK][TILE];    /* the x10 rows 10y .. 10y+9 */
    double dd[BLOCK][TILE];           /* one x10 row in double */
    double rs[BLOCK][6][TILE];        /* 5-wide row sums at block columns 2..7 */
    float bl[6][6][TILE];             /* blur at block rows 2..7, columns 2..7 */
    float hx[6][2][TILE], hn[6][2][TILE]; /* 5-wide max / min at columns 4, 5 */
} tile_buffers;

static const float (*upscaled_tile_row(const sc_feather *f, tile_buffers *t, int row, int x0,
                                       int nb))[TILE]
{
    for (int k = 0; k < ROW_CACHE; k++)
        if (t->cached_row[k] == row)
            return t->hr[k];
    int k = 0;
    while (k < ROW_CACHE - 1 && t->cached_row[k] >= 0)
        k++;
    const float *m = f->alpha + (size_t)row * f->w;
    if (f->regular) {
        /* mask columns x0-1 .. x1 (clamped), times 255 as in the original */
        float e[TILE + 2];
        for (int i = -1; i <= nb; i++)
            e[i + 1] = m[clip(x0 + i, f->w)] * 255.0f;
        for (int c = 0; c < BLOCK; c++) {
            const float *wa = f->wa + (size_t)c * f->w + x0, *wb = f->wb + (size_t)c * f->w + x0;
            const float *l = c < 5 ? e : e + 1, *r = l + 1;
            for (int i = 0; i < nb; i++)
                t->hr[k][c][i] = l[i] * wa[i] + r[i] * wb[i];
        }
        t->cached_row[k] = row;
        return t->hr[k];
    }
    for (int c = 0; c < BLOCK; c++)
        for (int i = 0; i < nb; i++) {
            int X = (x0 + i) * BLOCK + c, s0 = f->xs[X], s1 = s0 + 1 < f->w ? s0 + 1 : s0;
            float fx = f->xf[X];
            /* fx == 0 at the clamped edges: p*1 + q*0 == p, as OpenCV's single tap */
            t->hr[k][c][i] = (m[s0] * 255.0f) * (1.f - fx) + (m[s1] * 255.0f) * fx;
        }
    t->cached_row[k] = row;
    return t->hr[k];
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

static float max5(float a, float b, float c, float d, float e)
{
    float m = a;
    m = b > m ? b : m;
    m = c > m ? c : m;
    m = d > m ? d : m;
    return e > m ? e : m;
}

static float min5(float a, float b, float c, float d, float e)
{
    float m = a;
    m = b < m ? b : m;
    m = c < m ? c : m;
    m = d < m ? d : m;
    return e < m ? e : m;
}

static void feather_tile(const sc_feather *f, tile_buffers *t, int y, int x0, int x1,
                         float *sky_w, float *scn_w)
{
    int nb = x1 - x0;
    for (int k = 0; k < ROW_CACHE; k++)
        t->cached_row[k] = -1;
    for (int r = 0; r < BLOCK; r++) {
        int Y = y * BLOCK + r, sy = f->ys[Y];
        float b1 = f->yf[Y], b0 = 1.f - b1;
        const float(*pa)[TILE] = upscaled_tile_row(f, t, clip(sy, f->h), x0, nb);
        const float(*pb)[TILE] = upscaled_tile_row(f, t, clip(sy + 1, f->h), x0, nb);
        for (int c = 0; c < BLOCK; c++)
            for (int i = 0; i < nb; i++)
                t->big[r][c][i] = pa[c][i] * b0 + pb[c][i] * b1;
    }
    /* 5x5 box blur with double sums (exact, so the order is free) */
    for (int r = 0; r < BLOCK; r++) {
        for (int c = 0; c < BLOCK; c++)
            for (int i = 0; i < nb; i++)
                t->dd[c][i] = (double)t->big[r][c][i];
        for (int k = 0; k < 6; k++)
            for (int i = 0; i < nb; i++)
                t->rs[r][k][i] = t->dd[k][i] + t->dd[k + 1][i] + t->dd[k + 2][i] +
                                 t->dd[k + 3][i] + t->dd[k + 4][i];
    }
    for (int r = 0; r < 6; r++)
        for (int k = 0; k < 6; k++)
            for (int i = 0; i < nb; i++)
                t->bl[r][k][i] = (float)((t->rs[r][k][i] + t->rs[r + 1][k][i] +
                                          t->rs[r + 2][k][i] + t->rs[r + 3][k][i] +
                                          t->rs[r + 4][k][i]) *
                                         (1.0 / 25));
    /* 5x5 dilate / erode at block rows and columns 4, 5 */
    for (int r = 0; r < 6; r++)
        for (int j = 0; j < 2; j++)
            for (int i = 0; i < nb; i++) {
                const float(*b)[TILE] = t->bl[r];
                t->hx[r][j][i] = max5(b[j][i], b[j + 1][i], b[j + 2][i], b[j + 3][i], b[j + 4][i]);
                t->hn[r][j][i] = min5(b[j][i], b[j + 1][i], b[j + 2][i], b[j + 3][i], b[j + 4][i]);
            }
    for (int i = 0; i < nb; i++) {
        float mx[2][2], mn[2][2];
        for (int a = 0; a < 2; a++)
            for (int j = 0; j < 2; j++) {
                mx[a][j] = max5(t->hx[a][j][i], t->hx[a + 1][j][i], t->hx[a + 2][j][i],
                                t->hx[a + 3][j][i], t->hx[a + 4][j][i]);
                mn[a][j] = 255 - min5(t->hn[a][j][i], t->hn[a + 1][j][i], t->hn[a + 2][j][i],
                                      t->hn[a + 3][j][i], t->hn[a + 4][j][i]);
            }
        sky_w[x0 + i] = half_mix(mx[0][0], mx[0][1], mx[1][0], mx[1][1]);
        scn_w[x0 + i] = half_mix(mn[0][0], mn[0][1], mn[1][0], mn[1][1]);
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
        const float *m = f->alpha + (size_t)clip(y + dy, f->h) * f->w;
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
    tile_buffers *t = malloc(sizeof *t);
    float *scn_w = malloc(sizeof *scn_w * (size_t)f->w);
    if (!t || !scn_w) {
        free(t);
        free(scn_w);
        return -1;
    }
    for (int x0 = 0; x0 < f->w; x0 += TILE) {
        int x1 = x0 + TILE < f->w ? x0 + TILE : f->w;
        int need_float = x0 < fx1 && fx0 < x1;
        if (zero_tile(f, y, x0, x1)) {
            for (int x = x0; x < x1; x++) {
                sky_w[x] = 0.f;
                scn_w[x] = 255.f;
            }
        } else if (!need_float && settled_tile(f, y, x0, x1)) {
            for (int x = x0; x < x1; x++) {
                sky_w[x] = 0.f;     /* truncates as the true value, which is in (0, 1) */
                scn_w[x] = 254.5f;  /* likewise, for a true value in [254, 255) */
            }
        } else {
            feather_tile(f, t, y, x0, x1, sky_w, scn_w);
        }
        for (int x = x0; x < x1; x++) {
            sky_w8[x] = weight_u8(sky_w[x]);
            scn_w8[x] = weight_u8(scn_w[x]);
        }
    }
    free(t);
    free(scn_w);
    return 0;
}
