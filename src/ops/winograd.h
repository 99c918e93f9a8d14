/*
 * Winograd convolutions (internal to ops), for stride-1 layers (dilated ones
 * too, phase by phase: sc_winograd_grid), on 4x4 output tiles: F(4x4, 3x3) on
 * a 6x6 input patch with the points 0, 1, -1, 2, -2 and infinity, and
 * F(4x4, 5x5) on an 8x8 patch with 1/2 and -1/2 added; or on 2x2 tiles,
 * F(2x2, 3x3) on a 4x4 patch with the points 0, 1, -1 and infinity, whose
 * transforms add and subtract only (halves in the filters' one), so its
 * rounding stays near im2col's. The input transform (B^T d B) and the n*n
 * GEMMs [cout x cin] x [cin x tiles] on the transformed filters (G g G^T,
 * made once at load) are per patch side n; the output transform is A^T m A.
 * Each output tile costs 36 multiply-adds per channel pair instead of 144
 * (F(4x4, 3x3)), 64 instead of 400 (F(4x4, 5x5)), 16 instead of 36
 * (F(2x2, 3x3)).
 */
#ifndef SC_OPS_WINOGRAD_H
#define SC_OPS_WINOGRAD_H

#include "core/tensor.h"
#include "ops/ops.h"

#define SC_WINOGRAD_IN_MAX 8      /* the largest input patch side */
#define SC_WINOGRAD_POINTS_MAX 64 /* IN_MAX * IN_MAX */
#define SC_WINOGRAD_OUT 4         /* the largest output tile side */

/* 1 for the output tile sides and filter sides with a transform here
 * (4 with 3 or 5; 2 with 3), else 0. */
int sc_winograd_supports(int side, int k);

/* The input patch side for side x side output tiles of k x k filters
 * (side + k - 1): 6 or 8, or 4 for 2x2 tiles. */
static inline int sc_winograd_in(int side, int k) { return side + k - 1; }
/* Transform points, n * n: the GEMMs a tile run takes. */
static inline int sc_winograd_points(int side, int k)
{
    return sc_winograd_in(side, k) * sc_winograd_in(side, k);
}

/* u[p][o][i] = (G g[o][i] G^T)[p], p = row * n + column (n the patch side),
 * from the k x k filters g = weight[o][i] ([cout][cin][k][k]), for output
 * tiles of `side`; computed in double.
 * Returns 0, or -1 for an unsupported side and k or when out of memory for
 * its temporary. */
int sc_winograd_filters(const float *weight, int cout, int cin, int k, int side, float *u);

/* Where a layer's tiles lie. With dilation d the output falls into d x d
 * phases (the pixels whose row is py and column px modulo d): a phase reads
 * only the input pixels of the same phase, as an undilated convolution of
 * the phase's pixels would, so each phase is cut into side x side tiles of
 * pixels d apart. Tiles are numbered phase by phase (row-major phases), then
 * row-major within the phase; d = 1 is one phase, the plain grid. */
typedef struct sc_winograd_grid {
    int k, side;      /* filter side; output tile side (4, or 2 for 3x3 filters) */
    int dilation;     /* d: the phases' pitch */
    int tiles_x, tiles_y; /* per phase, enough for its largest */
    int pad;          /* input offset of the first patch: -pad */
    int out_h, out_w;
} sc_winograd_grid;

/* Tiles of the whole grid: d * d phases of tiles_y * tiles_x. */
static inline long sc_winograd_grid_tiles(const sc_winograd_grid *g)
{
    return (long)g->dilation * g->dilation * g->tiles_y * g->tiles_x;
}

/* Floats from one transform point's matrix of `rows` x `count` to the next:
 * a cache line more than the matrix, so that the points' matrices do not all
 * fall into the same cache sets when rows * count is a power of two (64
 * channels of 128 tiles are): the transforms write or read all points of a
 * tile at once. */
#define SC_WINOGRAD_POINT_GAP 16
static inline size_t sc_winograd_point_stride(int rows, int count)
{
    return (size_t)rows * (size_t)count + SC_WINOGRAD_POINT_GAP;
}

/* v[p * point_stride + c * row_stride + t] = (B^T d B)[p] of tile first + t
 * (t < count) of every input channel c; patch values outside the input read 0.
 * A run's own buffer has row stride count and point stride
 * sc_winograd_point_stride(cin, count); one of the whole grid, the grid's. */
void sc_winograd_input(const sc_tensor *in, const sc_winograd_grid *grid, long first, int count,
                       float *v, size_t row_stride, size_t point_stride);

/* The output tiles first .. first+count-1 of every output channel from
 * m[p][o][t] (laid out as v, point stride sc_winograd_point_stride(cout,
 * count)): act(A^T m A + bias[o]), cut at the output's
 * edges. bias may be NULL. */
void sc_winograd_output(const float *m, int cout, const sc_winograd_grid *grid, long first,
                        int count, const float *bias, int act, sc_tensor *out);

#endif
