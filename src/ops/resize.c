#include <omp.h>
#include <stdlib.h>

#include "core/parallel.h"
#include "ops/ops.h"

/* One axis of PyTorch's align_corners=True sampling, in float as PyTorch does. */
typedef struct tap {
    int i0, i1;
    float l0, l1;
} tap;

static float axis_scale(int in, int out)
{
    return out > 1 ? (float)(in - 1) / (float)(out - 1) : 0.0f;
}

static tap axis_tap(float scale, int d, int in)
{
    tap t;
    float src = scale * (float)d;
    t.i0 = (int)src;
    t.i1 = t.i0 + (t.i0 < in - 1 ? 1 : 0);
    t.l1 = src - (float)t.i0;
    t.l0 = 1.0f - t.l1;
    return t;
}

static float mix(tap ty, tap tx, const float *top, const float *bot)
{
    return ty.l0 * (tx.l0 * top[tx.i0] + tx.l1 * top[tx.i1]) +
           ty.l1 * (tx.l0 * bot[tx.i0] + tx.l1 * bot[tx.i1]);
}

/* Source row `row` of channel c sampled along x at the columns' taps: the
 * inner sums of mix(), in its order. */
static void along_x(const sc_tensor *in, int c, int row, const tap *columns, int w, float *dst)
{
    const float *src = sc_tensor_at(in, c, row, 0);
    for (int x = 0; x < w; x++)
        dst[x] = columns[x].l0 * src[columns[x].i0] + columns[x].l1 * src[columns[x].i1];
}

/* A worker's last two source rows sampled along x, keyed by channel and row. */
typedef struct row_cache {
    float *row[2];
    long key[2];
} row_cache;

/* The sampled row for `key`, made in the slot that does not hold `keep`. */
static const float *cached_row(row_cache *rc, const sc_tensor *in, int c, int row, long keep,
                               const tap *columns, int w)
{
    const long key = (long)c * in->h + row;
    for (int s = 0; s < 2; s++)
        if (rc->key[s] == key)
            return rc->row[s];
    const int s = rc->key[0] == keep ? 1 : 0;
    along_x(in, c, row, columns, w, rc->row[s]);
    rc->key[s] = key;
    return rc->row[s];
}

/* Without memory for the taps and rows: every pixel from its four neighbours
 * (the same values). */
static void resize_by_pixel(const sc_tensor *in, sc_tensor *out, float sy, float sx, long rows)
{
#pragma omp parallel for num_threads(sc_get_threads()) if (rows * out->w >= SC_PARALLEL_MIN_VALUES) schedule(static)
    for (long r = 0; r < rows; r++) {
        const int c = (int)(r / out->h), y = (int)(r % out->h);
        const tap ty = axis_tap(sy, y, in->h);
        const float *top = sc_tensor_at(in, c, ty.i0, 0);
        const float *bot = sc_tensor_at(in, c, ty.i1, 0);
        float *dst = sc_tensor_at(out, c, y, 0);
        for (int x = 0; x < out->w; x++)
            dst[x] = mix(ty, axis_tap(sx, x, in->w), top, bot);
    }
}

void sc_resize_bilinear_ac(const sc_tensor *in, sc_tensor *out)
{
    const float sy = axis_scale(in->h, out->h), sx = axis_scale(in->w, out->w);
    const long rows = (long)out->c * out->h;
    const int w = out->w;
    const int threads = rows * w >= SC_PARALLEL_MIN_VALUES ? sc_get_threads() : 1;
    /* The columns' taps are the same on every row, and a source row sampled
     * along x serves every output row that reads it (several when enlarging),
     * so each worker keeps its last two: a run of output rows then costs one
     * sampled source row each, and each output row is one blend of two rows. */
    tap *columns = malloc(sizeof *columns * (size_t)w + sizeof(float) * 2 * (size_t)w * threads);
    if (!columns) {
        resize_by_pixel(in, out, sy, sx, rows);
        return;
    }
    float *row_store = (float *)(columns + w);
    for (int x = 0; x < w; x++)
        columns[x] = axis_tap(sx, x, in->w);
#pragma omp parallel num_threads(threads)
    {
        float *mine = row_store + 2 * (size_t)w * omp_get_thread_num();
        row_cache rc = {{mine, mine + w}, {-1, -1}};
#pragma omp for schedule(static)
        for (long r = 0; r < rows; r++) {
            const int c = (int)(r / out->h), y = (int)(r % out->h);
            const tap ty = axis_tap(sy, y, in->h);
            const long top_key = (long)c * in->h + ty.i0, bot_key = (long)c * in->h + ty.i1;
            const float *top = cached_row(&rc, in, c, ty.i0, bot_key, columns, w);
            const float *bot = cached_row(&rc, in, c, ty.i1, top_key, columns, w);
            float *dst = sc_tensor_at(out, c, y, 0);
            for (int x = 0; x < w; x++)
                dst[x] = ty.l0 * top[x] + ty.l1 * bot[x];
        }
    }
    free(columns);
}
