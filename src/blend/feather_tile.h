/*
 * The feathered weights of one tile of scene pixels (internal to
 * blend/feather*.c): the x10 detour of blend/feather.c evaluated block by
 * block. The same code is compiled for each instruction set
 * (feather_tile_body.h); every copy gives the same bits.
 */
#ifndef SC_BLEND_FEATHER_TILE_H
#define SC_BLEND_FEATHER_TILE_H

#include "blend/blend.h"

#define SC_FEATHER_BLOCK 10
/* scene pixels of a tile: every step is a loop over them, which vectorises */
#define SC_FEATHER_TILE 32
#define SC_FEATHER_ROW_CACHE 4

struct sc_feather {
    const float *alpha;
    int w, h;
    int *xs, *ys;   /* x10 up-scale taps: first source column / row */
    float *xf, *yf; /* and fractions */
    /* x10 column c of block x takes mask columns x-1, x (c < 5) or x, x+1
     * (c >= 5), clamped, with weights wa, wb stored [c][x]: */
    int regular;
    float *wa, *wb;
    /* 1 where a neighbourhood of exact ones keeps 255 through the up-scale
     * (sc_feather_keeps_255 of the block's x10 columns or rows) */
    unsigned char *ones_col, *ones_row;
};

/* Indexed [x10 row][column inside the block][scene pixel]; only the x10
 * columns that matter are computed: blur at block columns 2..7,
 * dilate/erode at 4..5. */
typedef struct sc_feather_tile_buffers {
    int cached_row[SC_FEATHER_ROW_CACHE];
    float hr[SC_FEATHER_ROW_CACHE][SC_FEATHER_BLOCK][SC_FEATHER_TILE]; /* up-scaled mask rows */
    float big[SC_FEATHER_BLOCK][SC_FEATHER_BLOCK][SC_FEATHER_TILE];    /* x10 rows 10y..10y+9 */
    double dd[SC_FEATHER_BLOCK][SC_FEATHER_TILE];                      /* one x10 row in double */
    double rs[SC_FEATHER_BLOCK][6][SC_FEATHER_TILE]; /* 5-wide row sums at columns 2..7 */
    float bl[6][6][SC_FEATHER_TILE];                 /* blur at rows 2..7, columns 2..7 */
    float hx[6][2][SC_FEATHER_TILE], hn[6][2][SC_FEATHER_TILE]; /* 5-wide max / min at 4, 5 */
} sc_feather_tile_buffers;

/* Sky and scene weights of scene pixels x0 .. x1-1 (at most SC_FEATHER_TILE)
 * of row y, into sky_w[x0..x1) and scn_w[x0..x1). */
typedef void sc_feather_tile_fn(const sc_feather *f, sc_feather_tile_buffers *t, int y, int x0,
                                int x1, float *sky_w, float *scn_w);

sc_feather_tile_fn sc_feather_tile_plain;
#if defined(__x86_64__) || defined(__i386__)
sc_feather_tile_fn sc_feather_tile_avx2;
sc_feather_tile_fn sc_feather_tile_avx512;
#endif

/* 1 when the up-scale's mix of two exact 255s, as the tile computes it
 * (a * (1 - f) + b * f, no fused multiply-add), gives 255 at each of a
 * block's SC_FEATHER_BLOCK fractions. Some fractions in [0, 1) do not (0.3
 * + 3 ulp gives 254.99998); those of the x10 up-scale did at every width
 * tried, but it is checked, not assumed. */
int sc_feather_keeps_255(const float *fractions);

/* The copy for the instruction sets allowed (core/isa.h). */
sc_feather_tile_fn *sc_feather_tile_for_cpu(void);

static inline int sc_feather_clip(int i, int n)
{
    return i < 0 ? 0 : (i >= n ? n - 1 : i);
}

#endif
