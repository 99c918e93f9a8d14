#include "ops/im2col.h"

#include <string.h>

/* Division rounding toward -inf / +inf for a positive divisor. */
static long floor_div(long a, long b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
static long ceil_div(long a, long b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }

/* dst[ox - x0] = src[ox*stride + offset] for ox in [x0, x1), 0 outside the row. */
static void gather_row(const float *src, int width, long x0, long x1, int stride, long offset,
                       float *dst)
{
    long lo = ceil_div(-offset, stride);
    long hi = floor_div(width - 1 - offset, stride) + 1;
    /* x0 <= lo <= hi <= x1; lo == hi when no tap of the row is inside the image. */
    if (lo < x0)
        lo = x0;
    if (lo > x1)
        lo = x1;
    if (hi > x1)
        hi = x1;
    if (hi < lo)
        hi = lo;
    memset(dst, 0, (size_t)(lo - x0) * sizeof *dst);
    if (stride == 1) {
        if (hi > lo)
            memcpy(dst + (lo - x0), src + lo + offset, (size_t)(hi - lo) * sizeof *dst);
    } else {
        for (long ox = lo; ox < hi; ox++)
            dst[ox - x0] = src[ox * stride + offset];
    }
    memset(dst + (hi - x0), 0, (size_t)(x1 - hi) * sizeof *dst);
}

void sc_im2col_tile(const sc_conv *cv, const sc_tensor *in, int group, int out_w,
                    long first, long count, float *col)
{
    const int cin_g = cv->cin / cv->groups;
    const size_t plane = (size_t)in->h * (size_t)in->w;
    const long end = first + count;
    for (int ci = 0; ci < cin_g; ci++) {
        const float *src = in->data + (size_t)(group * cin_g + ci) * plane;
        for (int ky = 0; ky < cv->kh; ky++) {
            for (int kx = 0; kx < cv->kw; kx++) {
                const long x_offset = (long)kx * cv->dilation - cv->pad;
                float *dst = col;
                col += count;
                /* The tile may start and end in the middle of output rows. */
                for (long n = first; n < end;) {
                    const long oy = n / out_w, x0 = n % out_w;
                    long x1 = x0 + (end - n);
                    if (x1 > out_w)
                        x1 = out_w;
                    const long iy = oy * cv->stride - cv->pad + (long)ky * cv->dilation;
                    if (iy < 0 || iy >= in->h)
                        memset(dst, 0, (size_t)(x1 - x0) * sizeof *dst);
                    else
                        gather_row(src + (size_t)iy * (size_t)in->w, in->w, x0, x1, cv->stride,
                                   x_offset, dst);
                    dst += x1 - x0;
                    n += x1 - x0;
                }
            }
        }
    }
}
