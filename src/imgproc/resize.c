/*
 * cv::resize with INTER_LINEAR (spec §4.1), reproducing OpenCV 4.6's SSE2
 * build bit for bit, including its switch to 2x2 area averaging when the
 * source is exactly twice the destination in both axes.
 */
#include "core/parallel.h"
#include "imgproc/imgproc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define COEF_SCALE 2048

void sc_linear_axis(int ssize, int dsize, int clamp_coefficients, int *src, float *frac)
{
    double scale = 1.0 / ((double)dsize / ssize);
    for (int d = 0; d < dsize; d++) {
        float f = (float)((d + 0.5) * scale - 0.5);
        int s = (int)floorf(f);
        f -= (float)s;
        if (clamp_coefficients) {
            if (s < 0) {
                s = 0;
                f = 0.f;
            }
            if (s >= ssize - 1) {
                s = ssize - 1;
                f = 0.f;
            }
        }
        src[d] = s;
        frac[d] = f;
    }
}

/* Per destination index: first source tap and fractional weight of the second. */
typedef struct axis_map {
    int *src;
    float *frac;
} axis_map;

static int axis_map_init(axis_map *m, int ssize, int dsize, int clamp_coefficients)
{
    m->src = malloc(sizeof *m->src * (size_t)dsize);
    m->frac = malloc(sizeof *m->frac * (size_t)dsize);
    if (!m->src || !m->frac) {
        free(m->src);
        free(m->frac);
        return -1;
    }
    sc_linear_axis(ssize, dsize, clamp_coefficients, m->src, m->frac);
    return 0;
}

static void axis_map_free(axis_map *m)
{
    free(m->src);
    free(m->frac);
}

/* Horizontal coefficients are clamped at the border; vertical ones are not,
 * their rows are clipped with clip_index instead. */
static int axis_maps_init(axis_map *mx, axis_map *my, int sw, int sh, int dw, int dh)
{
    if (axis_map_init(mx, sw, dw, 1))
        return -1;
    if (axis_map_init(my, sh, dh, 0)) {
        axis_map_free(mx);
        return -1;
    }
    return 0;
}

static int clip_index(int i, int n)
{
    return i < 0 ? 0 : (i >= n ? n - 1 : i);
}

static uint8_t saturate_u8(int v)
{
    return (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v));
}

static void area2x_u8(const uint8_t *src, int sw, int ch, sc_rect roi, uint8_t *dst)
{
    size_t srow = (size_t)sw * ch, drow = (size_t)roi.w * ch;
#pragma omp parallel for schedule(static) num_threads(sc_get_threads()) \
    if ((size_t)roi.w * roi.h * ch > SC_PARALLEL_MIN_VALUES)
    for (int y = 0; y < roi.h; y++) {
        const uint8_t *s0 = src + (size_t)(2 * (y + roi.y)) * srow, *s1 = s0 + srow;
        uint8_t *d = dst + (size_t)y * drow;
        for (int x = 0; x < roi.w; x++)
            for (int c = 0; c < ch; c++) {
                size_t i = (size_t)2 * (x + roi.x) * ch + c;
                d[x * ch + c] = (uint8_t)((s0[i] + s0[i + ch] + s1[i] + s1[i + ch] + 2) >> 2);
            }
    }
}

static void area2x_f32(const float *src, int sw, float *dst, int dw, int dh)
{
    /* The SSE path sums the two rows first; its scalar tail sums left to right. */
    int vec_end = dw / 4 * 4;
#pragma omp parallel for schedule(static) num_threads(sc_get_threads()) \
    if ((size_t)dw * dh > SC_PARALLEL_MIN_VALUES)
    for (int y = 0; y < dh; y++) {
        const float *s0 = src + (size_t)(2 * y) * sw, *s1 = s0 + sw;
        float *d = dst + (size_t)y * dw;
        for (int x = 0; x < vec_end; x++)
            d[x] = ((s0[2 * x] + s0[2 * x + 1]) + (s1[2 * x] + s1[2 * x + 1])) * 0.25f;
        for (int x = vec_end; x < dw; x++)
            d[x] = (((s0[2 * x] + s0[2 * x + 1]) + s1[2 * x]) + s1[2 * x + 1]) * 0.25f;
    }
}

/* OpenCV's vectorised vertical pass (16-bit multiply-high of the pre-shifted
 * sums) is used for every value of the row, tail included; the "obvious"
 * rounding of the full product differs by one on many pixels. */
static uint8_t vmix(int s0, int s1, int b0, int b1)
{
    int t0 = ((s0 >> 4) * b0) >> 16;
    int t1 = ((s1 >> 4) * b1) >> 16;
    return saturate_u8((t0 + t1 + 2) >> 2);
}

static void hresize_u8(const uint8_t *row, int ch, int x0, int n, const int *xs,
                       const short *xa, int *out)
{
    for (int i = 0; i < n; i++) {
        int x = x0 + i;
        const uint8_t *p = row + (size_t)xs[x] * ch;
        int a0 = xa[2 * x], a1 = xa[2 * x + 1];
        if (a1 == 0)
            for (int c = 0; c < ch; c++)
                out[i * ch + c] = p[c] * a0;
        else
            for (int c = 0; c < ch; c++)
                out[i * ch + c] = p[c] * a0 + p[c + ch] * a1;
    }
}

int sc_cv_resize_u8_roi(const uint8_t *src, int sw, int sh, int ch, int dw, int dh, sc_rect roi,
                        uint8_t *dst)
{
    size_t drow = (size_t)roi.w * ch;
    if (sw == dw && sh == dh) {
        for (int y = 0; y < roi.h; y++)
            memcpy(dst + (size_t)y * drow, src + ((size_t)(y + roi.y) * sw + roi.x) * ch, drow);
        return 0;
    }
    if (sw == 2 * dw && sh == 2 * dh) {
        area2x_u8(src, sw, ch, roi, dst);
        return 0;
    }
    axis_map mx, my;
    if (axis_maps_init(&mx, &my, sw, sh, dw, dh))
        return -1;
    short *xa = malloc(sizeof *xa * 2 * (size_t)dw);
    int failed = 0;
    if (!xa) {
        failed = -1;
        goto done;
    }
    for (int x = 0; x < dw; x++) {
        xa[2 * x] = (short)lrintf((1.f - mx.frac[x]) * COEF_SCALE);
        xa[2 * x + 1] = (short)lrintf(mx.frac[x] * COEF_SCALE);
    }
#pragma omp parallel num_threads(sc_get_threads()) if (drow * roi.h > SC_PARALLEL_MIN_VALUES)
    {
        int *h0 = malloc(sizeof *h0 * drow * 2);
        if (!h0) {
#pragma omp atomic write
            failed = -1;
        }
#pragma omp for schedule(static)
        for (int y = 0; y < roi.h; y++) {
            if (!h0)
                continue;
            int *h1 = h0 + drow;
            int sy = my.src[y + roi.y];
            float fy = my.frac[y + roi.y];
            int b0 = (int)lrintf((1.f - fy) * COEF_SCALE), b1 = (int)lrintf(fy * COEF_SCALE);
            hresize_u8(src + (size_t)clip_index(sy, sh) * sw * ch, ch, roi.x, roi.w, mx.src, xa,
                       h0);
            hresize_u8(src + (size_t)clip_index(sy + 1, sh) * sw * ch, ch, roi.x, roi.w, mx.src,
                       xa, h1);
            uint8_t *d = dst + (size_t)y * drow;
            for (size_t i = 0; i < drow; i++)
                d[i] = vmix(h0[i], h1[i], b0, b1);
        }
        free(h0);
    }
done:
    free(xa);
    axis_map_free(&mx);
    axis_map_free(&my);
    return failed;
}

int sc_cv_resize_u8(const uint8_t *src, int sw, int sh, int ch, uint8_t *dst, int dw, int dh)
{
    sc_rect all = {0, 0, dw, dh};
    return sc_cv_resize_u8_roi(src, sw, sh, ch, dw, dh, all, dst);
}

static void hresize_f32(const float *row, int dw, const int *xs, const float *a, float *out)
{
    for (int x = 0; x < dw; x++) {
        float f = a[x];
        const float *p = row + xs[x];
        out[x] = f == 0.f ? p[0] : p[0] * (1.f - f) + p[1] * f;
    }
}

int sc_cv_resize_f32(const float *src, int sw, int sh, float *dst, int dw, int dh)
{
    if (sw == dw && sh == dh) {
        memcpy(dst, src, sizeof *src * (size_t)sw * sh);
        return 0;
    }
    if (sw == 2 * dw && sh == 2 * dh) {
        area2x_f32(src, sw, dst, dw, dh);
        return 0;
    }
    axis_map mx, my;
    if (axis_maps_init(&mx, &my, sw, sh, dw, dh))
        return -1;
    int failed = 0;
#pragma omp parallel num_threads(sc_get_threads()) if ((size_t)dw * dh > SC_PARALLEL_MIN_VALUES)
    {
        float *h0 = malloc(sizeof *h0 * (size_t)dw * 2);
        if (!h0) {
#pragma omp atomic write
            failed = -1;
        }
#pragma omp for schedule(static)
        for (int y = 0; y < dh; y++) {
            if (!h0)
                continue;
            float *h1 = h0 + dw;
            int sy = my.src[y];
            float fy = my.frac[y], b0 = 1.f - fy;
            hresize_f32(src + (size_t)clip_index(sy, sh) * sw, dw, mx.src, mx.frac, h0);
            hresize_f32(src + (size_t)clip_index(sy + 1, sh) * sw, dw, mx.src, mx.frac, h1);
            float *d = dst + (size_t)y * dw;
            for (int x = 0; x < dw; x++)
                d[x] = h0[x] * b0 + h1[x] * fy;
        }
        free(h0);
    }
    axis_map_free(&mx);
    axis_map_free(&my);
    return failed;
}
