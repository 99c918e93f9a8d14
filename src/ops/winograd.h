/*
 * Winograd F(4x4, 3x3) for 3x3, stride-1, dilation-1 convolutions (internal
 * to ops). Each 4x4 block of output ("tile") comes from a 6x6 patch of input:
 * the patch is transformed (B^T d B), multiplied point by point with the
 * transformed filter (G g G^T, made once at load) summed over the input
 * channels, which is 36 GEMMs [cout x cin] x [cin x tiles], and transformed
 * back (A^T m A): 36 multiply-adds per tile and channel pair instead of 144.
 */
#ifndef SC_OPS_WINOGRAD_H
#define SC_OPS_WINOGRAD_H

#include "core/tensor.h"
#include "ops/ops.h"

#define SC_WINOGRAD_OUT 4    /* output tile side */
#define SC_WINOGRAD_IN 6     /* input patch side: OUT + 3 - 1 */
#define SC_WINOGRAD_POINTS 36 /* IN * IN */

/* u[p][o][i] = (G g[o][i] G^T)[p], p = row * 6 + column, from the 3x3 filters
 * g = weight[o][i] ([cout][cin][3][3]); computed in double. Returns 0, or -1
 * when out of memory for its temporary. */
int sc_winograd_filters(const float *weight, int cout, int cin, float *u);

/* Where a layer's tiles lie: the output cut into 4x4 tiles, row-major. */
typedef struct sc_winograd_grid {
    int tiles_x, tiles_y;
    int pad;          /* input offset of the first patch: -pad */
    int out_h, out_w;
} sc_winograd_grid;

/* v[p][c][t] (row stride count, plane stride cin*count) = (B^T d B)[p] of
 * tiles first .. first+count-1 of every input channel c; patch values outside
 * the input read 0. */
void sc_winograd_input(const sc_tensor *in, const sc_winograd_grid *grid, long first, int count,
                       float *v);

/* The output tiles first .. first+count-1 of every output channel from
 * m[p][o][t] (laid out as v): act(A^T m A + bias[o]), cut at the output's
 * edges. bias may be NULL. */
void sc_winograd_output(const float *m, int cout, const sc_winograd_grid *grid, long first,
                        int count, const float *bias, int act, sc_tensor *out);

#endif
