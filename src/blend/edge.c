/*
 * --edge-shift and --edge-fade: the scene's matte moved and softened before
 * the blend, at the photo's resolution.
 *
 * Shift: the sky (alpha >= 0.5) grows or shrinks by a disc of the given radius,
 * through the exact Euclidean distance to the sky (or to the ground), so the
 * 0.5 contour moves by the same amount in every direction. Growing keeps the
 * matte's soft values where they exceed the new edge's ramp; shrinking keeps
 * them where they are below it.
 * Fade: two passes of a box filter of radius fade / 2 (a triangle of half-width
 * `fade`), which leaves flat sky and flat ground as they are.
 */
#include "blend/blend.h"
#include "core/error.h"
#include "core/page_hints.h"
#include "core/parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static sc_status shift_edge(sc_matte *m, float shift, sc_error *err)
{
    int w = m->width, h = m->height;
    size_t n = (size_t)w * h;
    float reach = fabsf(shift);
    int grow = shift > 0;
    /* An empty matte has no edge to move. Said here, GCC also knows that the
     * mask is written before sc_distance_sq_u8 reads it (-Wmaybe-uninitialized). */
    if (n == 0)
        return SC_OK;
    uint8_t *from = SC_MALLOC_LARGE(n);
    uint32_t *dist_sq = SC_MALLOC_LARGE(sizeof *dist_sq * n);
    if (!from || !dist_sq) {
        free(from);
        free(dist_sq);
        return sc_fail(err, SC_ERR_NO_MEMORY, "edge shift: out of memory (%dx%d)", w, h);
    }
    for (size_t i = 0; i < n; i++)
        from[i] = grow ? m->alpha[i] >= 0.5f : m->alpha[i] < 0.5f;
    int failed = sc_distance_sq_u8(from, w, h, (int)ceilf(reach) + 2, dist_sq);
    free(from);
    if (failed) {
        free(dist_sq);
        return sc_fail(err, SC_ERR_NO_MEMORY, "edge shift: out of memory (%dx%d)", w, h);
    }
#pragma omp parallel for schedule(static) num_threads(sc_get_threads()) \
    if (n > SC_PARALLEL_MIN_VALUES)
    for (size_t i = 0; i < n; i++) {
        /* the old 0.5 contour lies half a pixel from the nearest pixel centre
         * on the other side; the new one lies `reach` further */
        float d = sqrtf((float)dist_sq[i]);
        if (grow) {
            float ramp = fminf(fmaxf(reach + 1.f - d, 0.f), 1.f);
            m->alpha[i] = fmaxf(m->alpha[i], ramp);
        } else {
            float ramp = fminf(fmaxf(d - reach, 0.f), 1.f);
            m->alpha[i] = fminf(m->alpha[i], ramp);
        }
    }
    free(dist_sq);
    return SC_OK;
}

/* Box mean of radius r along a line of n values with stride, into out (reads src). */
static void box_line(const float *src, int n, int r, float *out)
{
    double sum = 0;
    int lo = 0, hi = -1; /* window [lo, hi], clipped to the line */
    for (int i = 0; i < n; i++) {
        int want_hi = i + r < n ? i + r : n - 1, want_lo = i - r > 0 ? i - r : 0;
        while (hi < want_hi)
            sum += src[++hi];
        while (lo < want_lo)
            sum -= src[lo++];
        out[i] = (float)(sum / (double)(hi - lo + 1));
    }
}

#define STRIP 16

static sc_status box_blur(sc_matte *m, int r, sc_error *err)
{
    int w = m->width, h = m->height, failed = 0;
#pragma omp parallel num_threads(sc_get_threads()) if ((size_t)w * h > SC_PARALLEL_MIN_VALUES)
    {
        int longest = w > h ? w : h;
        float *line = malloc(sizeof *line * (size_t)longest * 2);
        if (!line) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(static)
        for (int y = 0; y < h; y++) {
            if (!line)
                continue;
            float *row = m->alpha + (size_t)y * w;
            memcpy(line, row, sizeof *row * (size_t)w);
            box_line(line, w, r, row);
        }
#pragma omp for schedule(static)
        for (int x = 0; x < w; x++) {
            if (!line)
                continue;
            for (int y = 0; y < h; y++)
                line[y] = m->alpha[(size_t)y * w + x];
            box_line(line, h, r, line + h);
            for (int y = 0; y < h; y++)
                m->alpha[(size_t)y * w + x] = line[h + y];
        }
        free(line);
    }
    if (failed)
        return sc_fail(err, SC_ERR_NO_MEMORY, "edge fade: out of memory (%dx%d)", w, h);
    return SC_OK;
}

sc_status sc_matte_edit(const sc_matte *in, float shift, float fade, sc_matte *out,
                        sc_error *err)
{
    size_t n = (size_t)in->width * in->height;
    sc_matte m = {in->width, in->height, SC_MALLOC_LARGE(sizeof(float) * n)};
    if (!m.alpha)
        return sc_fail(err, SC_ERR_NO_MEMORY, "scene matte: out of memory (%dx%d)", m.width,
                       m.height);
    memcpy(m.alpha, in->alpha, sizeof(float) * n);
    sc_status st = SC_OK;
    if (shift != 0.f)
        st = shift_edge(&m, shift, err);
    int r = (int)lroundf(fade / 2.f);
    if (st == SC_OK && fade > 0.f)
        st = box_blur(&m, r < 1 ? 1 : r, err);
    if (st == SC_OK && fade > 0.f)
        st = box_blur(&m, r < 1 ? 1 : r, err);
    if (st != SC_OK) {
        free(m.alpha);
        return st;
    }
    *out = m;
    return SC_OK;
}
