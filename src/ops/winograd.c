/*
 * The transforms of F(4x4, 3x3) (points 0, 1, -1, 2, -2 and infinity) and
 * F(4x4, 5x5) (1/2 and -1/2 added). Eight tiles are transformed side by side
 * ("lanes"), so that the arithmetic runs on whole vectors; the patches are
 * gathered into that layout first.
 */
#include "ops/winograd.h"

#include <stdlib.h>
#include <string.h>

#define LANES 8
#define IN_MAX SC_WINOGRAD_IN_MAX
#define OUT SC_WINOGRAD_OUT
#define K_MAX 5

/* G[j][c] = a_j^c / prod_{l != j} (a_j - a_l) for the finite points a_j; the
 * point at infinity picks the last filter tap. */
static const double G3[6][3] = {
    {1.0 / 4, 0, 0},
    {-1.0 / 6, -1.0 / 6, -1.0 / 6},
    {-1.0 / 6, 1.0 / 6, -1.0 / 6},
    {1.0 / 24, 1.0 / 12, 1.0 / 6},
    {1.0 / 24, -1.0 / 12, 1.0 / 6},
    {0, 0, 1},
};

/* Points 0, 1, -1, 2, -2, 1/2, -1/2, infinity. */
static const double G5[8][5] = {
    {-1, 0, 0, 0, 0},
    {-2.0 / 9, -2.0 / 9, -2.0 / 9, -2.0 / 9, -2.0 / 9},
    {-2.0 / 9, 2.0 / 9, -2.0 / 9, 2.0 / 9, -2.0 / 9},
    {1.0 / 90, 1.0 / 45, 2.0 / 45, 4.0 / 45, 8.0 / 45},
    {1.0 / 90, -1.0 / 45, 2.0 / 45, -4.0 / 45, 8.0 / 45},
    {32.0 / 45, 16.0 / 45, 8.0 / 45, 4.0 / 45, 2.0 / 45},
    {32.0 / 45, -16.0 / 45, 8.0 / 45, -4.0 / 45, 2.0 / 45},
    {0, 0, 0, 0, 1},
};

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

int sc_winograd_supports(int k) { return k == 3 || k == 5; }

/* G[j][c] of the transform for k x k filters. */
static double g_entry(int k, int j, int c) { return k == 3 ? G3[j][c] : G5[j][c]; }

int sc_winograd_filters(const float *weight, int cout, int cin, int k, float *u)
{
    if (!sc_winograd_supports(k))
        return -1;
    const int n = sc_winograd_in(k), points = n * n;
    const size_t plane = (size_t)cout * (size_t)cin;
    const size_t taps = (size_t)k * (size_t)k;
    /* One output channel's n*n rows at a time, so that u is written in order. */
    float *rows = malloc((size_t)points * (size_t)cin * sizeof *rows);
    if (!rows)
        return -1;
    for (int o = 0; o < cout; o++) {
        for (int i = 0; i < cin; i++) {
            const float *g = weight + ((size_t)o * (size_t)cin + (size_t)i) * taps;
            double gg[IN_MAX][K_MAX]; /* G g */
            for (int r = 0; r < n; r++)
                for (int c = 0; c < k; c++) {
                    double v = 0.0;
                    for (int t = 0; t < k; t++)
                        v += g_entry(k, r, t) * g[t * k + c];
                    gg[r][c] = v;
                }
            for (int r = 0; r < n; r++)
                for (int c = 0; c < n; c++) {
                    double v = 0.0;
                    for (int t = 0; t < k; t++)
                        v += gg[r][t] * g_entry(k, c, t);
                    rows[(size_t)(r * n + c) * (size_t)cin + (size_t)i] = (float)v;
                }
        }
        for (int p = 0; p < points; p++)
            memcpy(u + (size_t)p * plane + (size_t)o * (size_t)cin, rows + (size_t)p * (size_t)cin,
                   (size_t)cin * sizeof *rows);
    }
    free(rows);
    return 0;
}

/* B^T x along one axis for 3x3 filters: the 6 lane vectors at x + k*step
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

/* A^T x along one axis for 3x3 filters: 6 lane vectors at x + k*step into 4
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
} lane_tiles;

static void locate(const sc_winograd_grid *grid, long first, int used, int shift, lane_tiles *lt)
{
    const int d = grid->dilation, side = grid->side;
    const long per_phase = (long)grid->tiles_y * grid->tiles_x;
    lt->used = used;
    lt->step = d;
    for (int l = 0; l < used; l++) {
        const long n = first + l, phase = n / per_phase, in_phase = n % per_phase;
        const int py = (int)(phase / d), px = (int)(phase % d);
        lt->y0[l] = py + (int)(in_phase / grid->tiles_x) * side * d - shift;
        lt->x0[l] = px + (int)(in_phase % grid->tiles_x) * side * d - shift;
    }
}

/* d[r][c][lane] = in_plane[y0 + r*step][x0 + c*step], 0 outside the plane or
 * the lanes used. */
static void gather_patches(const float *plane, int h, int w, const lane_tiles *lt, int n,
                           float d[IN_MAX][IN_MAX][LANES])
{
    const int step = lt->step, reach = (n - 1) * step;
    if (lt->used < LANES)
        memset(d, 0, sizeof(float) * IN_MAX * IN_MAX * LANES);
    for (int l = 0; l < lt->used; l++) {
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

/* Of a tile's side pixels from `origin`, `step` apart, how many lie before `end`. */
static int inside(int origin, int step, int side, int end)
{
    if (origin >= end)
        return 0;
    const int n = (end - origin + step - 1) / step;
    return n < side ? n : side;
}

void sc_winograd_input(const sc_tensor *in, const sc_winograd_grid *grid, long first, int count,
                       float *v)
{
    const size_t plane = (size_t)in->h * (size_t)in->w;
    const size_t point_stride = (size_t)in->c * (size_t)count;
    const int n = sc_winograd_in(grid->k), points = n * n;
    const input_1d_fn input_1d = n == 6 ? input_1d_6 : input_1d_8;
    for (int t0 = 0; t0 < count; t0 += LANES) {
        lane_tiles lt;
        locate(grid, first + t0, count - t0 < LANES ? count - t0 : LANES, grid->pad, &lt);
        for (int c = 0; c < in->c; c++) {
            float d[IN_MAX][IN_MAX][LANES], t[IN_MAX][IN_MAX][LANES], b[IN_MAX][IN_MAX][LANES];
            gather_patches(in->data + (size_t)c * plane, in->h, in->w, &lt, n, d);
            for (int col = 0; col < n; col++)
                input_1d(&d[0][col][0], IN_MAX * LANES, &t[0][col][0]);
            for (int row = 0; row < n; row++)
                input_1d(&t[row][0][0], LANES, &b[row][0][0]);
            float *dst = v + (size_t)c * (size_t)count + (size_t)t0;
            if (lt.used == LANES) {
                for (int p = 0; p < points; p++)
                    memcpy(dst + (size_t)p * point_stride, b[p / n][p % n], sizeof b[0][0]);
            } else {
                for (int p = 0; p < points; p++)
                    for (int l = 0; l < lt.used; l++)
                        dst[(size_t)p * point_stride + (size_t)l] = b[p / n][p % n][l];
            }
        }
    }
}

/* x + bias, then the activation, on n values (whole lanes) at once. */
static void finish_lanes(float *x, int n, float add, int act)
{
    for (int i = 0; i < n; i++)
        x[i] += add;
    if (act == SC_ACT_RELU) {
        for (int i = 0; i < n; i++)
            x[i] = x[i] < 0.0f ? 0.0f : x[i];
    } else if (act == SC_ACT_RELU6) {
        for (int i = 0; i < n; i++)
            x[i] = sc_relu6_value(x[i]);
    }
}

void sc_winograd_output(const float *m, int cout, const sc_winograd_grid *grid, long first,
                        int count, const float *bias, int act, sc_tensor *out)
{
    const size_t plane = (size_t)out->h * (size_t)out->w;
    const size_t point_stride = (size_t)cout * (size_t)count;
    const int side = grid->side, n = sc_winograd_in(grid->k), points = n * n;
    const output_1d_fn output_1d = n == 6 ? output_1d_6 : output_1d_8;
    for (int t0 = 0; t0 < count; t0 += LANES) {
        lane_tiles lt;
        locate(grid, first + t0, count - t0 < LANES ? count - t0 : LANES, 0, &lt);
        for (int o = 0; o < cout; o++) {
            float mm[IN_MAX][IN_MAX][LANES], s[OUT][IN_MAX][LANES], y[OUT][OUT][LANES];
            const float *src = m + (size_t)o * (size_t)count + (size_t)t0;
            if (lt.used == LANES) {
                for (int p = 0; p < points; p++)
                    memcpy(mm[p / n][p % n], src + (size_t)p * point_stride, sizeof mm[0][0]);
            } else {
                memset(mm, 0, sizeof mm);
                for (int p = 0; p < points; p++)
                    for (int l = 0; l < lt.used; l++)
                        mm[p / n][p % n][l] = src[(size_t)p * point_stride + (size_t)l];
            }
            for (int col = 0; col < n; col++)
                output_1d(&mm[0][col][0], IN_MAX * LANES, &s[0][col][0], IN_MAX * LANES);
            /* No bias adds 0.0f: the same bits for every finite sum but -0.0f,
             * which compares and converts as 0. */
            for (int row = 0; row < side; row++) {
                output_1d(&s[row][0][0], LANES, &y[row][0][0], LANES);
                finish_lanes(&y[row][0][0], side * LANES, bias ? bias[o] : 0.0f, act);
            }
            float *dst = out->data + (size_t)o * plane;
            const int step = lt.step;
            for (int l = 0; l < lt.used; l++) {
                const int y0 = lt.y0[l], x0 = lt.x0[l];
                const int rows = inside(y0, step, side, out->h);
                const int cols = inside(x0, step, side, out->w);
                for (int r = 0; r < rows; r++) {
                    float *row = dst + (size_t)(y0 + r * step) * (size_t)out->w + (size_t)x0;
                    for (int c = 0; c < cols; c++)
                        row[c * step] = y[r][c][l];
                }
            }
        }
    }
}
