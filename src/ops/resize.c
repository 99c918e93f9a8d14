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

void sc_resize_bilinear_ac(const sc_tensor *in, sc_tensor *out)
{
    const float sy = axis_scale(in->h, out->h), sx = axis_scale(in->w, out->w);
    const long rows = (long)out->c * out->h;
    const long total = rows * out->w;
    /* The columns' taps are the same on every row: made once, they take the
     * float-to-int conversions out of the inner loop. Without memory for
     * them, each row makes its own (the same values). */
    tap *columns = malloc(sizeof *columns * (size_t)out->w);
    if (columns)
        for (int x = 0; x < out->w; x++)
            columns[x] = axis_tap(sx, x, in->w);
#pragma omp parallel for num_threads(sc_get_threads()) if (total >= SC_PARALLEL_MIN_VALUES) schedule(static)
    for (long r = 0; r < rows; r++) {
        const int c = (int)(r / out->h), y = (int)(r % out->h);
        const tap ty = axis_tap(sy, y, in->h);
        const float *top = sc_tensor_at(in, c, ty.i0, 0);
        const float *bot = sc_tensor_at(in, c, ty.i1, 0);
        float *dst = sc_tensor_at(out, c, y, 0);
        if (columns)
            for (int x = 0; x < out->w; x++)
                dst[x] = mix(ty, columns[x], top, bot);
        else
            for (int x = 0; x < out->w; x++)
                dst[x] = mix(ty, axis_tap(sx, x, in->w), top, bot);
    }
    free(columns);
}
