/*
 * 3x3 depthwise convolution (one filter per channel, padding 1), the middle
 * layer of an inverted-residual block. As im2col + GEMM it would be a GEMM of
 * one output row and depth 9 per channel, all overhead; here each output row
 * is three passes of a multiply-add over input rows, which the compiler
 * vectorises. Every value is computed alone, so any thread split gives the
 * same bits.
 *
 * This body is compiled once per instruction set (ops/depthwise_copies.h):
 * define DEPTHWISE as the entry's name first.
 */
#include "ops/depthwise_copies.h"

/* w[0]*r[ix] + w[1]*r[ix+1] + w[2]*r[ix+2] for a window that crosses the
 * row's edge: taps outside the row read the zero padding. */
static float edge_taps(const float *r, int iw, int ix, const float *w)
{
    float sum = 0.0f;
    for (int k = 0; k < 3; k++)
        if (ix + k >= 0 && ix + k < iw)
            sum += w[k] * r[ix + k];
    return sum;
}

/* Adds one kernel row's taps over input row r to the output row d. x in
 * [lo, hi] has its whole window inside the row; the loops over it have no
 * branch and unit (stride 1) or constant (stride 2) steps. */
static void add_kernel_row(float *restrict d, const float *restrict r, int iw, int ow, int stride,
                           const float *w, int lo, int hi)
{
    const float w0 = w[0], w1 = w[1], w2 = w[2];
    for (int x = 0; x < ow && x < lo; x++)
        d[x] += edge_taps(r, iw, x * stride - 1, w);
    if (stride == 1) {
        for (int x = lo; x <= hi; x++)
            d[x] += w0 * r[x - 1] + w1 * r[x] + w2 * r[x + 1];
    } else {
        for (int x = lo; x <= hi; x++)
            d[x] += w0 * r[2 * x - 1] + w1 * r[2 * x] + w2 * r[2 * x + 1];
    }
    for (int x = hi + 1 > lo ? hi + 1 : lo; x < ow; x++)
        d[x] += edge_taps(r, iw, x * stride - 1, w);
}

void DEPTHWISE(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int relu6)
{
    const int ih = in->h, iw = in->w, oh = out->h, ow = out->w, s = cv->stride;
    /* Outputs whose window lies inside the row: x*s-1 >= 0 and x*s+1 <= iw-1. */
    const int lo = 1;
    int hi = iw >= 2 ? (iw - 2) / s : -1;
    if (hi > ow - 1)
        hi = ow - 1;
    const long rows = (long)out->c * oh;
    const long work = rows * ow * 9;
#pragma omp parallel for num_threads(sc_get_threads()) if (work >= SC_PARALLEL_MIN_VALUES) schedule(static)
    for (long row = 0; row < rows; row++) {
        const int c = (int)(row / oh), y = (int)(row % oh);
        const float *plane = in->data + (size_t)c * (size_t)ih * (size_t)iw;
        const float *w = cv->weight + (size_t)c * 9;
        float *d = out->data + (size_t)row * (size_t)ow;
        const float b = cv->bias ? cv->bias[c] : 0.0f;
        for (int x = 0; x < ow; x++)
            d[x] = b;
        for (int ky = 0; ky < 3; ky++) {
            const int iy = y * s - 1 + ky;
            if (iy >= 0 && iy < ih)
                add_kernel_row(d, plane + (size_t)iy * (size_t)iw, iw, ow, s, w + 3 * ky, lo, hi);
        }
        if (relu6)
            for (int x = 0; x < ow; x++)
                d[x] = sc_relu6_value(d[x]);
    }
}
