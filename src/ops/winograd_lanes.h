/*
 * The Winograd transforms of the input and output tiles, LANES tiles side by
 * side ("lanes"), so that the arithmetic runs on whole vectors; the patches
 * are gathered into that layout first and the outputs scattered from it.
 * Included by ops/winograd_lanes8.c and ops/winograd_lanes16.c, which choose
 * the instruction set and define before it:
 *   LANES                 8 or 16;
 *   WINOGRAD_VECTOR_ROWS  1 where gather_row and store_row (ops/winograd_rows.h)
 *                         move rows of 8 tiles side by side, 0 elsewhere;
 *   WINOGRAD_INPUT, WINOGRAD_OUTPUT  the names of the two functions made here,
 *                         with sc_winograd_input's and sc_winograd_output's
 *                         arguments (ops/winograd.h).
 * Every lane runs the same float operations in the same order whatever LANES
 * is, so both give the same bits.
 */
#include <string.h>

#include "ops/winograd.h"

#define IN_MAX SC_WINOGRAD_IN_MAX
#define OUT SC_WINOGRAD_OUT

/* B^T of the 8 points: row j holds the coefficients of M(x) / (x - a_j),
 * M(x) = prod (x - a_l) over the finite points, and the last row M(x)'s. */
static const float BT8[8][8] = {
    {-1, 0, 21.0f / 4, 0, -21.0f / 4, 0, 1, 0},
    {0, 1, 1, -17.0f / 4, -17.0f / 4, 1, 1, 0},
    {0, -1, 1, 17.0f / 4, -17.0f / 4, -1, 1, 0},
    {0, 1.0f / 2, 1.0f / 4, -5.0f / 2, -5.0f / 4, 2, 1, 0},
    {0, -1.0f / 2, 1.0f / 4, 5.0f / 2, -5.0f / 4, -2, 1, 0},
    {0, 2, 4, -5.0f / 2, -5, 1.0f / 2, 1, 0},
    {0, -2, 4, 5.0f / 2, -5, -1.0f / 2, 1, 0},
    {0, -1, 0, 21.0f / 4, 0, -21.0f / 4, 0, 1},
};

/* A^T of the 8 points: a_j^i, and the point at infinity in the last row. */
static const float AT8[4][8] = {
    {1, 1, 1, 1, 1, 1, 1, 0},
    {0, 1, -1, 2, -2, 1.0f / 2, -1.0f / 2, 0},
    {0, 1, 1, 4, 4, 1.0f / 4, 1.0f / 4, 0},
    {0, 1, -1, 8, -8, 1.0f / 8, -1.0f / 8, 1},
};

/* B^T x along one axis for 3x3 filters on 2x2 tiles: the 4 lane vectors at
 * x + k*step into y + k*step. */
static void input_1d_4(const float *restrict x, long step, float *restrict y)
{
    for (int l = 0; l < LANES; l++) {
        const float d0 = x[l], d1 = x[step + l], d2 = x[2 * step + l], d3 = x[3 * step + l];
        y[l] = d2 - d0;
        y[step + l] = d1 + d2;
        y[2 * step + l] = d2 - d1;
        y[3 * step + l] = d3 - d1;
    }
}

/* The same on 4x4 tiles: the 6 lane vectors at x + k*step
 * into y + k*step. */
static void input_1d_6(const float *restrict x, long step, float *restrict y)
{
    for (int l = 0; l < LANES; l++) {
        const float d0 = x[l], d1 = x[step + l], d2 = x[2 * step + l];
        const float d3 = x[3 * step + l], d4 = x[4 * step + l], d5 = x[5 * step + l];
        y[l] = 4.0f * d0 - 5.0f * d2 + d4;
        y[step + l] = -4.0f * (d1 + d2) + (d3 + d4);
        y[2 * step + l] = 4.0f * (d1 - d2) + (d4 - d3);
        y[3 * step + l] = 2.0f * (d3 - d1) + (d4 - d2);
        y[4 * step + l] = 2.0f * (d1 - d3) + (d4 - d2);
        y[5 * step + l] = 4.0f * d1 - 5.0f * d3 + d5;
    }
}

/* The same for 5x5 filters: 8 lane vectors, each output a fixed-order sum
 * over BT8's row. */
static void input_1d_8(const float *restrict x, long step, float *restrict y)
{
    float d[8][LANES];
    for (int j = 0; j < 8; j++)
        for (int l = 0; l < LANES; l++)
            d[j][l] = x[j * step + l];
    for (int i = 0; i < 8; i++)
        for (int l = 0; l < LANES; l++) {
            float v = 0.0f;
            for (int j = 0; j < 8; j++)
                v += BT8[i][j] * d[j][l];
            y[i * step + l] = v;
        }
}

typedef void (*input_1d_fn)(const float *restrict x, long step, float *restrict y);
typedef void (*output_1d_fn)(const float *restrict x, long step, float *restrict y, long y_step);

/* A^T x along one axis for 3x3 filters on 2x2 tiles: 4 lane vectors at
 * x + k*step into 2 at y + k*y_step. */
static void output_1d_4(const float *restrict x, long step, float *restrict y, long y_step)
{
    for (int l = 0; l < LANES; l++) {
        const float m0 = x[l], m1 = x[step + l], m2 = x[2 * step + l], m3 = x[3 * step + l];
        y[l] = m0 + m1 + m2;
        y[y_step + l] = m1 - m2 + m3;
    }
}

/* The same on 4x4 tiles: 6 lane vectors at x + k*step into 4
 * at y + k*y_step. */
static void output_1d_6(const float *restrict x, long step, float *restrict y, long y_step)
{
    for (int l = 0; l < LANES; l++) {
        const float m0 = x[l], m1 = x[step + l], m2 = x[2 * step + l];
        const float m3 = x[3 * step + l], m4 = x[4 * step + l], m5 = x[5 * step + l];
        const float s12 = m1 + m2, d12 = m1 - m2, s34 = m3 + m4, d34 = m3 - m4;
        y[l] = m0 + s12 + s34;
        y[y_step + l] = d12 + 2.0f * d34;
        y[2 * y_step + l] = s12 + 4.0f * s34;
        y[3 * y_step + l] = d12 + 8.0f * d34 + m5;
    }
}

/* The same for 5x5 filters: 8 lane vectors into 4, over AT8's rows. */
static void output_1d_8(const float *restrict x, long step, float *restrict y, long y_step)
{
    float m[8][LANES];
    for (int j = 0; j < 8; j++)
        for (int l = 0; l < LANES; l++)
            m[j][l] = x[j * step + l];
    for (int i = 0; i < OUT; i++)
        for (int l = 0; l < LANES; l++) {
            float v = 0.0f;
            for (int j = 0; j < 8; j++)
                v += AT8[i][j] * m[j][l];
            y[i * y_step + l] = v;
        }
}

/* Where each lane's tile starts; lanes past the count are marked unused. Its
 * pixels lie `step` apart (the dilation) from there. */
typedef struct lane_tiles {
    int used, step;
    int y0[LANES], x0[LANES]; /* first input row and column of the patch, or output origin */
    int phases;               /* groups_of_phases, found once per run */
} lane_tiles;

/* Rows move through vector registers 8 tiles at a time: a group. */
#define GROUP 8
#define GROUPS (LANES / GROUP)

/* Bit g set when lanes 8g .. 8g+7 hold the tiles of 8 neighbouring phases at
 * one place of a dilated grid (locate's order): each of their patch pixels is
 * then 8 floats side by side in the input. */
static int groups_of_phases(const lane_tiles *lt)
{
    int mask = 0;
    if (lt->step == 1)
        return 0;
    for (int g = 0; g < GROUPS && (g + 1) * GROUP <= lt->used; g++) {
        const int l0 = g * GROUP;
        int side_by_side = 1;
        for (int l = l0 + 1; l < l0 + GROUP && side_by_side; l++)
            side_by_side = lt->y0[l] == lt->y0[l0] && lt->x0[l] == lt->x0[l0] + (l - l0);
        mask |= side_by_side << g;
    }
    return mask;
}

/* Tile n of a dilated grid: phase row py, then tile row, tile column, and
 * the phase column px last, so that neighbouring tiles of a run are the d
 * phases' tiles at one place, whose pixels lie side by side in memory (a
 * phase after another, each across the whole picture, read every cache line
 * d times). Undilated, simply the tiles in row-major order. */
static void locate(const sc_winograd_grid *grid, long first, int used, int shift, lane_tiles *lt)
{
    const int d = grid->dilation, side = grid->side;
    lt->used = used;
    lt->step = d;
    for (int l = 0; l < used; l++) {
        const long n = first + l, at = n / d;
        const int px = (int)(n % d), tx = (int)(at % grid->tiles_x);
        const long rows = at / grid->tiles_x;
        const int ty = (int)(rows % grid->tiles_y), py = (int)(rows / grid->tiles_y);
        lt->y0[l] = py + ty * side * d - shift;
        lt->x0[l] = px + tx * side * d - shift;
    }
    lt->phases = groups_of_phases(lt);
}

/* d[r][c][lane] = in_plane[y0 + r*step][x0 + c*step] for lanes l0 .. l1-1, 0
 * outside the plane or the lanes used. */
static void gather_patches(const float *plane, int h, int w, const lane_tiles *lt, int n,
                           int l0, int l1, float d[IN_MAX][IN_MAX][LANES])
{
    const int step = lt->step, reach = (n - 1) * step;
    for (int l = lt->used > l0 ? lt->used : l0; l < l1; l++)
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++)
                d[r][c][l] = 0.0f;
    for (int l = l0; l < l1 && l < lt->used; l++) {
        const int y0 = lt->y0[l], x0 = lt->x0[l];
        if (y0 >= 0 && x0 >= 0 && y0 + reach < h && x0 + reach < w) {
            const float *src = plane + (size_t)y0 * (size_t)w + (size_t)x0;
            for (int r = 0; r < n; r++, src += (size_t)step * (size_t)w)
                for (int c = 0; c < n; c++)
                    d[r][c][l] = src[c * step];
            continue;
        }
        for (int r = 0; r < n; r++) {
            const int y = y0 + r * step;
            if (y < 0 || y >= h) {
                for (int c = 0; c < n; c++)
                    d[r][c][l] = 0.0f;
                continue;
            }
            const float *row = plane + (size_t)y * (size_t)w;
            for (int c = 0; c < n; c++) {
                const int x = x0 + c * step;
                d[r][c][l] = x >= 0 && x < w ? row[x] : 0.0f;
            }
        }
    }
}

/* Bit g set when lanes 8g .. 8g+7 hold 8 undilated tiles side by side in one
 * tile row, and such rows move through vector registers here. */
static int groups_in_row(const lane_tiles *lt, int side)
{
    int mask = 0;
    if (!WINOGRAD_VECTOR_ROWS || lt->step != 1)
        return 0;
    for (int g = 0; g < GROUPS && (g + 1) * GROUP <= lt->used; g++) {
        const int l0 = g * GROUP;
        int in_row = 1;
        for (int l = l0 + 1; l < l0 + GROUP && in_row; l++)
            in_row = lt->y0[l] == lt->y0[l0] && lt->x0[l] == lt->x0[l0] + side * (l - l0);
        mask |= in_row << g;
    }
    return mask;
}

/* d as gather_patches makes it: through gather_row for the groups whose 8
 * undilated patches lie side by side inside the input (it reads whole groups
 * of 4 values, so up to 3 past the group's last patch's end), 8 floats at a
 * time for the groups of neighbouring phases, value by value for the rest. */
static void gather_lanes(const float *plane, int h, int w, const lane_tiles *lt, int in_row,
                         int side, int n, float d[IN_MAX][IN_MAX][LANES])
{
    const int read = side * (GROUP - 1) + (n + 3) / 4 * 4;
    const int phases = lt->phases, step = lt->step, reach = (n - 1) * step;
    for (int g = 0; g < GROUPS; g++) {
        const int l0 = g * GROUP;
        /* Lanes past the used ones hold no place: read only for a group in a row. */
        const int y0 = in_row >> g & 1 ? lt->y0[l0] : -1, x0 = y0 >= 0 ? lt->x0[l0] : -1;
        const int py0 = lt->y0[l0], px0 = lt->x0[l0];
        if (y0 >= 0 && y0 + n <= h && x0 >= 0 && x0 + read <= w) {
            const float *src = plane + (size_t)y0 * (size_t)w + (size_t)x0;
            for (int r = 0; r < n; r++)
                gather_row(src + (size_t)r * (size_t)w, side, n, &d[r][0][l0], LANES);
        } else if (phases >> g & 1 && py0 >= 0 && py0 + reach < h && px0 >= 0 &&
                   px0 + GROUP - 1 + reach < w) {
            const float *src = plane + (size_t)py0 * (size_t)w + (size_t)px0;
            for (int r = 0; r < n; r++)
                for (int c = 0; c < n; c++)
                    memcpy(&d[r][c][l0], src + (size_t)(r * step) * (size_t)w + (size_t)(c * step),
                           GROUP * sizeof(float));
        } else {
            gather_patches(plane, h, w, lt, n, l0, l0 + GROUP, d);
        }
    }
}

/* Of a tile's side pixels from `origin`, `step` apart, how many lie before `end`. */
static int inside(int origin, int step, int side, int end)
{
    if (origin >= end)
        return 0;
    const int n = (end - origin + step - 1) / step;
    return n < side ? n : side;
}

/* Runs of LANES tiles located at once, 256 tiles in all: the loops below
 * take one channel's tiles of the whole run after another, so that each
 * channel's plane is read along its rows (from a few places at a time, which
 * the CPU's prefetchers follow) rather than a few values of every plane per
 * run of LANES tiles. */
#define LANE_RUNS (256 / LANES)

/* Where each run of LANES tiles of first .. first+count-1 lies; returns how many
 * runs (at most LANE_RUNS). */
static int locate_lane_runs(const sc_winograd_grid *grid, long first, int count, int shift,
                         lane_tiles lt[LANE_RUNS])
{
    int runs = 0;
    for (int t0 = 0; t0 < count && runs < LANE_RUNS; t0 += LANES, runs++)
        locate(grid, first + t0, count - t0 < LANES ? count - t0 : LANES, shift, &lt[runs]);
    return runs;
}

/* The loops below are inlined into one copy per patch side n (and output
 * tile side), each called with constants: the 1-D transforms are then inlined
 * and unrolled, their lane vectors kept in registers. */
#define SPECIALISED static inline __attribute__((always_inline))

/* The transformed patches of one channel's LANES tiles into dst[p * point_stride + lane]. */
SPECIALISED void input_lanes(const float *plane, int h, int w, const lane_tiles *lt, int in_row,
                        int side, int n, input_1d_fn input_1d, float *dst, size_t point_stride)
{
    float d[IN_MAX][IN_MAX][LANES], t[IN_MAX][IN_MAX][LANES], b[IN_MAX][IN_MAX][LANES];
    gather_lanes(plane, h, w, lt, in_row, side, n, d);
    for (int col = 0; col < n; col++)
        input_1d(&d[0][col][0], IN_MAX * LANES, &t[0][col][0]);
    for (int row = 0; row < n; row++)
        input_1d(&t[row][0][0], LANES, &b[row][0][0]);
    const int points = n * n;
    if (lt->used == LANES) {
        for (int p = 0; p < points; p++)
            memcpy(dst + (size_t)p * point_stride, b[p / n][p % n], sizeof b[0][0]);
    } else {
        for (int p = 0; p < points; p++)
            for (int l = 0; l < lt->used; l++)
                dst[(size_t)p * point_stride + (size_t)l] = b[p / n][p % n][l];
    }
}

SPECIALISED void input_tiles(const sc_tensor *in, const sc_winograd_grid *grid, long first,
                             int count, float *v, size_t row_stride, size_t point_stride,
                             int side, int n, input_1d_fn input_1d)
{
    const size_t plane = (size_t)in->h * (size_t)in->w;
    for (int t0 = 0; t0 < count; t0 += LANES * LANE_RUNS) {
        lane_tiles lt[LANE_RUNS];
        int in_row[LANE_RUNS];
        const int runs = locate_lane_runs(grid, first + t0, count - t0, grid->pad, lt);
        for (int j = 0; j < runs; j++)
            in_row[j] = groups_in_row(&lt[j], side);
        for (int c = 0; c < in->c; c++)
            for (int j = 0; j < runs; j++)
                input_lanes(in->data + (size_t)c * plane, in->h, in->w, &lt[j], in_row[j], side, n,
                            input_1d, v + (size_t)c * row_stride + (size_t)(t0 + j * LANES),
                            point_stride);
    }
}

void WINOGRAD_INPUT(const sc_tensor *in, const sc_winograd_grid *grid, long first, int count,
                    float *v, size_t row_stride, size_t point_stride)
{
    switch (sc_winograd_in(grid->side, grid->k)) {
    case 4:
        input_tiles(in, grid, first, count, v, row_stride, point_stride, 2, 4, input_1d_4);
        break;
    case 6:
        input_tiles(in, grid, first, count, v, row_stride, point_stride, 4, 6, input_1d_6);
        break;
    default:
        input_tiles(in, grid, first, count, v, row_stride, point_stride, 4, 8, input_1d_8);
    }
}

/* Lanes l0 .. l1-1 (those used) of y into the plane, value by value, cut at
 * its edges. */
static void scatter_lanes(const float y[OUT][OUT][LANES], const lane_tiles *lt, int side,
                          int step, int l0, int l1, float *dst, int h, int w)
{
    for (int l = l0; l < l1 && l < lt->used; l++) {
        const int y0 = lt->y0[l], x0 = lt->x0[l];
        const int rows = inside(y0, step, side, h);
        const int cols = inside(x0, step, side, w);
        for (int r = 0; r < rows; r++) {
            float *row = dst + (size_t)(y0 + r * step) * (size_t)w + (size_t)x0;
            for (int c = 0; c < cols; c++)
                row[c * step] = y[r][c][l];
        }
    }
}

/* One output channel's LANES tiles from src[p * point_stride + lane]: the
 * inverse transform, bias and activation, written into the channel's plane
 * (cut at its edges); whole_row: the groups that lie in one row inside it. */
SPECIALISED void output_lanes(const float *src, size_t point_stride, const lane_tiles *lt,
                         int whole_row, int side, int n, output_1d_fn output_1d, float add,
                         int act, float *dst, int h, int w)
{
    float mm[IN_MAX][IN_MAX][LANES], s[OUT][IN_MAX][LANES], y[OUT][OUT][LANES];
    const int points = n * n;
    if (lt->used == LANES) {
        for (int p = 0; p < points; p++)
            memcpy(mm[p / n][p % n], src + (size_t)p * point_stride, sizeof mm[0][0]);
    } else {
        memset(mm, 0, sizeof mm);
        for (int p = 0; p < points; p++)
            for (int l = 0; l < lt->used; l++)
                mm[p / n][p % n][l] = src[(size_t)p * point_stride + (size_t)l];
    }
    for (int col = 0; col < n; col++)
        output_1d(&mm[0][col][0], IN_MAX * LANES, &s[0][col][0], IN_MAX * LANES);
    for (int row = 0; row < side; row++) {
        output_1d(&s[row][0][0], LANES, &y[row][0][0], LANES);
        sc_add_activate(&y[row][0][0], side * LANES, &add, act);
    }
    const int step = lt->step, phases = lt->phases, reach = (side - 1) * step;
    for (int g = 0; g < GROUPS; g++) {
        const int l0 = g * GROUP, y0 = lt->y0[l0], x0 = lt->x0[l0];
        if (whole_row >> g & 1) {
            float *row = dst + (size_t)y0 * (size_t)w + (size_t)x0;
            for (int r = 0; r < side; r++)
                store_row(&y[r][0][l0], side, row + (size_t)r * (size_t)w, LANES);
            continue;
        }
        if (phases >> g & 1 && y0 + reach < h && x0 + GROUP - 1 + reach < w) {
            /* 8 neighbouring phases: each output pixel is 8 floats side by side. */
            for (int r = 0; r < side; r++)
                for (int c = 0; c < side; c++)
                    memcpy(dst + (size_t)(y0 + r * step) * (size_t)w + (size_t)(x0 + c * step),
                           &y[r][c][l0], GROUP * sizeof(float));
            continue;
        }
        scatter_lanes(y, lt, side, step, l0, l0 + GROUP, dst, h, w);
    }
}

SPECIALISED void output_tiles(const float *m, int cout, const sc_winograd_grid *grid, long first,
                              int count, const float *bias, int act, sc_tensor *out, int side,
                              int n, output_1d_fn output_1d)
{
    const size_t plane = (size_t)out->h * (size_t)out->w;
    const size_t point_stride = sc_winograd_point_stride(cout, count);
    for (int t0 = 0; t0 < count; t0 += LANES * LANE_RUNS) {
        lane_tiles lt[LANE_RUNS];
        int whole_row[LANE_RUNS];
        const int runs = locate_lane_runs(grid, first + t0, count - t0, 0, lt);
        for (int j = 0; j < runs; j++) {
            whole_row[j] = groups_in_row(&lt[j], side);
            for (int g = 0; g < GROUPS; g++)
                if ((whole_row[j] >> g & 1) && (lt[j].y0[g * GROUP] + side > out->h ||
                                                lt[j].x0[g * GROUP] + side * GROUP > out->w))
                    whole_row[j] &= ~(1 << g);
        }
        /* No bias adds 0.0f: the same bits for every finite sum but -0.0f,
         * which compares and converts as 0. */
        for (int o = 0; o < cout; o++)
            for (int j = 0; j < runs; j++)
                output_lanes(m + (size_t)o * (size_t)count + (size_t)(t0 + j * LANES),
                             point_stride, &lt[j], whole_row[j], side, n, output_1d,
                             bias ? bias[o] : 0.0f, act, out->data + (size_t)o * plane, out->h,
                             out->w);
    }
}

void WINOGRAD_OUTPUT(const float *m, int cout, const sc_winograd_grid *grid, long first,
                     int count, const float *bias, int act, sc_tensor *out)
{
    switch (sc_winograd_in(grid->side, grid->k)) {
    case 4:
        output_tiles(m, cout, grid, first, count, bias, act, out, 2, 4, output_1d_4);
        break;
    case 6:
        output_tiles(m, cout, grid, first, count, bias, act, out, 4, 6, output_1d_6);
        break;
    default:
        output_tiles(m, cout, grid, first, count, bias, act, out, 4, 8, output_1d_8);
    }
}

