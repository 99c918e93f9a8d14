/*
 * §4.4.1: the largest clear sky rectangle of the sky photo. The search runs on
 * a copy of the mask reduced to ~256 px on its shorter side, closed with a
 * rectangle that scales with the reduction.
 */
#include "blend/blend.h"
#include "core/error.h"
#include "core/page_hints.h"
#include "core/parallel.h"

#include <math.h>
#include <stdlib.h>

static int round_pos(double v)
{
    return (int)(v + 0.5);
}

/* Q1 reproduced: (w, h) of the rectangle are used as its bottom-right corner,
 * inclusive. The result may be empty. */
static void map_compat(const sc_rect *r, double inv, int wk, int hk, sc_sky_patch *p)
{
    int x1 = round_pos(r->w * inv), y1 = round_pos(r->h * inv);
    p->x0 = round_pos(r->x * inv);
    p->y0 = round_pos(r->y * inv);
    p->x1 = x1 + 1 < wk ? x1 + 1 : wk;
    p->y1 = y1 + 1 < hk ? y1 + 1 : hk;
}

/* The rectangle that was found; one that reaches the reduced mask's edge
 * reaches the photo's edge (the reduced size was truncated). */
static void map_fixed(const sc_rect *r, double inv, int rw, int rh, int wk, int hk,
                      sc_sky_patch *p)
{
    p->x0 = round_pos(r->x * inv);
    p->y0 = round_pos(r->y * inv);
    p->x1 = r->x + r->w == rw ? wk : round_pos((r->x + r->w) * inv);
    p->y1 = r->y + r->h == rh ? hk : round_pos((r->y + r->h) * inv);
    if (p->x1 > wk)
        p->x1 = wk;
    if (p->y1 > hk)
        p->y1 = hk;
}

void sc_sky_search_size(int wk, int hk, int *rw, int *rh, double *scale)
{
    *scale = 1.0;
    *rw = wk;
    *rh = hk;
    if (hk > SC_INNER_RECT_MAX_DIM || wk > SC_INNER_RECT_MAX_DIM) {
        *scale = fmax((double)SC_INNER_RECT_MAX_DIM / hk, (double)SC_INNER_RECT_MAX_DIM / wk);
        *rw = (int)(wk * *scale) > 1 ? (int)(wk * *scale) : 1;
        *rh = (int)(hk * *scale) > 1 ? (int)(hk * *scale) : 1;
    }
}

/* The matte on the 0..255 scale, mirrored with flip. */
static float *mask_255(const sc_matte *m, int flip)
{
    const int w = m->width, h = m->height;
    float *mask = SC_MALLOC_LARGE(sizeof *mask * (size_t)w * (size_t)h);
    if (!mask)
        return NULL;
#pragma omp parallel for num_threads(sc_get_threads()) if ((long)w * h >= SC_PARALLEL_MIN_VALUES) schedule(static)
    for (int y = 0; y < h; y++) {
        const float *from = m->alpha + (size_t)y * w;
        float *row = mask + (size_t)y * w;
        for (int x = 0; x < w; x++)
            row[flip ? w - 1 - x : x] = from[x] * 255.0f;
    }
    return mask;
}

/* The search on the reduced mask (rw x rh, `scale` times the wk x hk photo;
 * freed here) and the patch in the photo's pixels. */
static sc_status search(float *mask, int rw, int rh, double scale, int wk, int hk, int compat,
                        sc_sky_patch *out, sc_error *err)
{
    int k = round_pos(scale * SC_SKY_CLOSE_KERNEL);
    if (k < 3)
        k = 3;
    float *closed = SC_MALLOC_LARGE(sizeof *closed * (size_t)rw * rh);
    if (!closed || sc_cv_close_f32(mask, rw, rh, k, closed)) {
        free(closed);
        free(mask);
        return sc_fail(err, SC_ERR_NO_MEMORY, "sky matte: out of memory");
    }
    free(mask);
    out->area = sc_largest_valid_rect(closed, rw, rh, SC_VALID_MASK_THRESHOLD, &out->reduced);
    free(closed);
    if (out->area < 0)
        return sc_fail(err, SC_ERR_NO_MEMORY, "sky matte: out of memory");
    if (out->area < SC_MIN_VALID_SKY_AREA)
        return sc_fail(err, SC_ERR_NO_SKY,
                       "sky photo has no usable sky region (largest clear sky area is %ld px, "
                       "need %d)",
                       out->area, SC_MIN_VALID_SKY_AREA);
    double inv = 1.0 / scale;
    if (compat)
        map_compat(&out->reduced, inv, wk, hk, out);
    else
        map_fixed(&out->reduced, inv, rw, rh, wk, hk, out);
    if (out->x1 <= out->x0 || out->y1 <= out->y0)
        return sc_fail(err, SC_ERR_NO_SKY,
                       "sky photo: clear sky rectangle (x %d, y %d, %dx%d) gives an empty patch "
                       "in compatibility mode (the original tool fails here)",
                       out->reduced.x, out->reduced.y, out->reduced.w, out->reduced.h);
    return SC_OK;
}

sc_status sc_find_sky_patch(const sc_matte *sky_matte, int compat, int flip, sc_sky_patch *out,
                            sc_error *err)
{
    const int wk = sky_matte->width, hk = sky_matte->height;
    float *mask = mask_255(sky_matte, flip);
    if (!mask)
        return sc_fail(err, SC_ERR_NO_MEMORY, "sky matte: out of memory (%dx%d)", wk, hk);
    int rw, rh;
    double scale;
    sc_sky_search_size(wk, hk, &rw, &rh, &scale);
    if (rw != wk || rh != hk) {
        float *reduced = SC_MALLOC_LARGE(sizeof *reduced * (size_t)rw * rh);
        if (!reduced || sc_cv_resize_f32(mask, wk, hk, reduced, rw, rh)) {
            free(reduced);
            free(mask);
            return sc_fail(err, SC_ERR_NO_MEMORY, "sky matte: out of memory");
        }
        free(mask);
        mask = reduced;
    }
    return search(mask, rw, rh, scale, wk, hk, compat, out, err);
}

sc_status sc_find_sky_patch_reduced(const sc_matte *reduced, int wk, int hk, int flip,
                                    sc_sky_patch *out, sc_error *err)
{
    int rw, rh;
    double scale;
    sc_sky_search_size(wk, hk, &rw, &rh, &scale);
    if (reduced->width != rw || reduced->height != rh)
        return sc_fail(err, SC_ERR_INVALID_ARG,
                       "sky matte: %dx%d is neither the sky photo's %dx%d nor its search size %dx%d",
                       reduced->width, reduced->height, wk, hk, rw, rh);
    float *mask = mask_255(reduced, flip);
    if (!mask)
        return sc_fail(err, SC_ERR_NO_MEMORY, "sky matte: out of memory (%dx%d)", rw, rh);
    return search(mask, rw, rh, scale, wk, hk, 0, out, err);
}
