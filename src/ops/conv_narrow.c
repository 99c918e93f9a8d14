#include "ops/conv_narrow.h"

#include <string.h>

#include "core/isa.h"

static int avx2_loops(void)
{
    return sc_isa_allowed() >= SC_ISA_AVX2;
}

int sc_conv_narrow_fits(const sc_conv *cv)
{
    if (cv->stride != 1 || cv->groups != 1)
        return 0;
    if (!avx2_loops())
        return cv->cout <= SC_CONV_NARROW_MAX_COUT;
    if (cv->cout <= SC_CONV_NARROW_GROUP)
        return 1;
    /* Wider layers in groups, where the GEMM would read im2col copies. */
    return cv->cout <= SC_CONV_NARROW_AVX2_MAX_COUT && (cv->kh > 1 || cv->kw > 1);
}

/* acc[x] += sum over j of w[j] * src[x + j * step], x in [0, n): the taps of
 * one filter row at once, so that acc is read and written once per row. */
static void add_taps(float *restrict acc, const float *restrict src, const float *restrict w,
                     int taps, int step, int n)
{
    if (taps == 5 && step == 1) {
        const float w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4];
        for (int x = 0; x < n; x++)
            acc[x] += w0 * src[x] + w1 * src[x + 1] + w2 * src[x + 2] + w3 * src[x + 3] +
                      w4 * src[x + 4];
        return;
    }
    if (taps == 3 && step == 1) {
        const float w0 = w[0], w1 = w[1], w2 = w[2];
        for (int x = 0; x < n; x++)
            acc[x] += w0 * src[x] + w1 * src[x + 1] + w2 * src[x + 2];
        return;
    }
    for (int x = 0; x < n; x++) {
        float sum = 0.0f;
        for (int j = 0; j < taps; j++)
            sum += w[j] * src[x + j * step];
        acc[x] += sum;
    }
}

static void finish_row(float *row, int n, float add, int act)
{
    for (int x = 0; x < n; x++) {
        float v = row[x] + add;
        if (act == SC_ACT_RELU)
            v = v < 0.0f ? 0.0f : v;
        else if (act == SC_ACT_RELU6)
            v = sc_relu6_value(v);
        row[x] = v;
    }
}

size_t sc_conv_narrow_row_floats(const sc_conv *cv, int in_w)
{
    return (size_t)in_w + 2 * (size_t)cv->pad + (size_t)cv->kw * (size_t)cv->dilation;
}

size_t sc_conv_narrow_scratch_floats(const sc_conv *cv, int in_w)
{
    const size_t row = sc_conv_narrow_row_floats(cv, in_w);
    if (!avx2_loops())
        return row;
    return sc_conv_narrow_avx2_scratch_floats(cv, in_w);
}

int sc_conv_narrow_unpooled_fits(const sc_conv *cv)
{
    return avx2_loops() && sc_conv_narrow_fits(cv);
}

void sc_conv_narrow_rows_unpooled(const sc_conv *cv, const sc_tensor *pooled,
                                  const uint8_t *where, sc_tensor *out, int y0, int y1, int act,
                                  float *scratch)
{
    if (sc_isa_allowed() >= SC_ISA_AVX512)
        sc_conv_narrow_unpooled_avx512(cv, pooled, where, out, y0, y1, act, scratch);
    else
        sc_conv_narrow_unpooled_avx2(cv, pooled, where, out, y0, y1, act, scratch);
}

void sc_conv_narrow_rows(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int y0, int y1,
                         int act, float *scratch)
{
    if (sc_isa_allowed() >= SC_ISA_AVX512)
        sc_conv_narrow_rows_avx512(cv, in, out, y0, y1, act, scratch);
    else if (avx2_loops())
        sc_conv_narrow_rows_avx2(cv, in, out, y0, y1, act, scratch);
    else
        sc_conv_narrow_rows_plain(cv, in, out, y0, y1, act, scratch);
}

void sc_conv_narrow_rows_plain(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int y0,
                               int y1, int act, float *padded)
{
    const size_t in_plane = (size_t)in->h * (size_t)in->w;
    const size_t out_plane = (size_t)out->h * (size_t)out->w;
    const size_t width = sc_conv_narrow_row_floats(cv, in->w);
    /* The padding around each input row reads 0; only the row itself is copied in. */
    for (size_t x = 0; x < width; x++)
        padded[x] = 0.0f;
    for (int o = 0; o < cv->cout; o++)
        for (int y = y0; y < y1; y++) {
            float *row = out->data + (size_t)o * out_plane + (size_t)y * (size_t)out->w;
            for (int x = 0; x < out->w; x++)
                row[x] = 0.0f;
            for (int c = 0; c < cv->cin; c++) {
                const float *w = cv->weight + ((size_t)o * (size_t)cv->cin + (size_t)c) *
                                                  (size_t)(cv->kh * cv->kw);
                for (int i = 0; i < cv->kh; i++) {
                    const int iy = y - cv->pad + i * cv->dilation;
                    if (iy < 0 || iy >= in->h)
                        continue;
                    memcpy(padded + cv->pad,
                           in->data + (size_t)c * in_plane + (size_t)iy * (size_t)in->w,
                           (size_t)in->w * sizeof *padded);
                    add_taps(row, padded, w + i * cv->kw, cv->kw, cv->dilation, out->w);
                }
            }
            finish_row(row, out->w, cv->bias ? cv->bias[o] : 0.0f, act);
        }
}
