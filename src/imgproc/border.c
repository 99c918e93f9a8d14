/* cv::copyMakeBorder and OpenCV's border index rules (borderInterpolate). */
#include "imgproc/imgproc.h"

#include <string.h>

static int reflect_with(int i, int n, int delta)
{
    if (n == 1)
        return 0;
    while (i < 0 || i >= n) {
        if (i < 0)
            i = -i - 1 + delta;
        else
            i = n - 1 - (i - n) - delta;
    }
    return i;
}

int sc_reflect_index(int i, int n)
{
    return reflect_with(i, n, 0);
}

int sc_reflect101_index(int i, int n)
{
    return reflect_with(i, n, 1);
}

/* Source index of destination position i, or -1 for a constant pixel. */
static int border_index(int i, int n, sc_border border)
{
    if (i >= 0 && i < n)
        return i;
    return border == SC_BORDER_REFLECT ? sc_reflect_index(i, n) : -1;
}

void sc_cv_make_border_u8(const uint8_t *src, int w, int h, int ch, int top, int bottom,
                          int left, int right, sc_border border, uint8_t *dst)
{
    int dw = w + left + right, dh = h + top + bottom;
    size_t srow = (size_t)w * ch, drow = (size_t)dw * ch;
    for (int y = 0; y < dh; y++) {
        uint8_t *d = dst + (size_t)y * drow;
        int sy = border_index(y - top, h, border);
        if (sy < 0) {
            memset(d, 0, drow);
            continue;
        }
        const uint8_t *s = src + (size_t)sy * srow;
        for (int x = 0; x < dw; x++) {
            int sx = border_index(x - left, w, border);
            for (int c = 0; c < ch; c++)
                d[(size_t)x * ch + c] = sx < 0 ? 0 : s[(size_t)sx * ch + c];
        }
    }
}

void sc_cv_make_border_f32(const float *src, int w, int h, int top, int bottom, int left,
                           int right, sc_border border, float *dst)
{
    int dw = w + left + right, dh = h + top + bottom;
    for (int y = 0; y < dh; y++) {
        float *d = dst + (size_t)y * dw;
        int sy = border_index(y - top, h, border);
        for (int x = 0; x < dw; x++) {
            int sx = border_index(x - left, w, border);
            d[x] = (sy < 0 || sx < 0) ? 0.f : src[(size_t)sy * w + sx];
        }
    }
}
