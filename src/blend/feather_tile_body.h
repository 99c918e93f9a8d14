/*
 * The body of a feathered-weights tile (blend/feather_tile.h), compiled once
 * per instruction set: define FEATHER_TILE as the function's name first.
 */
#include "blend/feather_tile.h"

static float half_mix(float a, float b, float c, float d)
{
    return (a * 0.5f + b * 0.5f) * 0.5f + (c * 0.5f + d * 0.5f) * 0.5f;
}

/* The x10 rows' horizontal up-scale of mask row `row` at the tile's block
 * columns, from the tile's cache or made into it. */
static const float (*upscaled_tile_row(const sc_feather *f, sc_feather_tile_buffers *t, int row,
                                       int x0, int nb))[SC_FEATHER_TILE]
{
    for (int k = 0; k < SC_FEATHER_ROW_CACHE; k++)
        if (t->cached_row[k] == row)
            return t->hr[k];
    int k = 0;
    while (k < SC_FEATHER_ROW_CACHE - 1 && t->cached_row[k] >= 0)
        k++;
    const float *m = f->alpha + (size_t)row * f->w;
    if (f->regular) {
        /* mask columns x0-1 .. x1 (clamped), times 255 as in the original */
        float e[SC_FEATHER_TILE + 2];
        for (int i = -1; i <= nb; i++)
            e[i + 1] = m[sc_feather_clip(x0 + i, f->w)] * 255.0f;
        for (int c = 0; c < SC_FEATHER_BLOCK; c++) {
            const float *wa = f->wa + (size_t)c * f->w + x0, *wb = f->wb + (size_t)c * f->w + x0;
            const float *l = c < 5 ? e : e + 1, *r = l + 1;
            for (int i = 0; i < nb; i++)
                t->hr[k][c][i] = l[i] * wa[i] + r[i] * wb[i];
        }
        t->cached_row[k] = row;
        return t->hr[k];
    }
    for (int c = 0; c < SC_FEATHER_BLOCK; c++)
        for (int i = 0; i < nb; i++) {
            int X = (x0 + i) * SC_FEATHER_BLOCK + c, s0 = f->xs[X], s1 = s0 + 1 < f->w ? s0 + 1 : s0;
            float fx = f->xf[X];
            /* fx == 0 at the clamped edges: p*1 + q*0 == p, as OpenCV's single tap */
            t->hr[k][c][i] = (m[s0] * 255.0f) * (1.f - fx) + (m[s1] * 255.0f) * fx;
        }
    t->cached_row[k] = row;
    return t->hr[k];
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

void FEATHER_TILE(const sc_feather *f, sc_feather_tile_buffers *t, int y, int x0, int x1,
                  float *sky_w, float *scn_w)
{
    int nb = x1 - x0;
    for (int k = 0; k < SC_FEATHER_ROW_CACHE; k++)
        t->cached_row[k] = -1;
    for (int r = 0; r < SC_FEATHER_BLOCK; r++) {
        int Y = y * SC_FEATHER_BLOCK + r, sy = f->ys[Y];
        float b1 = f->yf[Y], b0 = 1.f - b1;
        const float(*pa)[SC_FEATHER_TILE] =
            upscaled_tile_row(f, t, sc_feather_clip(sy, f->h), x0, nb);
        const float(*pb)[SC_FEATHER_TILE] =
            upscaled_tile_row(f, t, sc_feather_clip(sy + 1, f->h), x0, nb);
        for (int c = 0; c < SC_FEATHER_BLOCK; c++)
            for (int i = 0; i < nb; i++)
                t->big[r][c][i] = pa[c][i] * b0 + pb[c][i] * b1;
    }
    /* 5x5 box blur with double sums (exact, so the order is free) */
    for (int r = 0; r < SC_FEATHER_BLOCK; r++) {
        for (int c = 0; c < SC_FEATHER_BLOCK; c++)
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
                const float(*b)[SC_FEATHER_TILE] = t->bl[r];
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

