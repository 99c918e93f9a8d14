/* §4.4.2 steps 7-8: scale the patch to cover the scene's sky box and crop it;
 * the view adds the look's mirror, zoom and offset (all off: the original's
 * centre crop). */
#include "blend/blend.h"
#include "core/error.h"
#include "core/page_hints.h"
#include "core/parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Start of the crop within a free range of `slack` pixels: offset -1..1 maps
 * to 0..slack, 0 to slack / 2 rounded down (the original's centre). */
static int crop_start(int slack, float offset)
{
    if (offset == 0.f)
        return slack / 2;
    int start = (int)floor((double)slack * (1.0 + offset) / 2.0);
    return start < 0 ? 0 : (start > slack ? slack : start);
}

sc_status sc_place_patch(const sc_image *sky, const sc_sky_patch *patch, sc_rect box,
                         const sc_patch_view *view, uint8_t *dst, sc_error *err)
{
    int r = patch->y1 - patch->y0, c = patch->x1 - patch->x0;
    uint8_t *cut = SC_MALLOC_LARGE((size_t)r * c * 3);
    if (!cut)
        return sc_fail(err, SC_ERR_NO_MEMORY, "sky patch: out of memory (%dx%d)", c, r);
    int flip = view && view->flip;
#pragma omp parallel for num_threads(sc_get_threads()) if ((long)r * c >= SC_PARALLEL_MIN_VALUES) schedule(static)
    for (int y = 0; y < r; y++) {
        const uint8_t *s = sky->rgb + (size_t)(patch->y0 + y) * sky->width * 3;
        uint8_t *d = cut + (size_t)y * c * 3;
        if (!flip) {
            memcpy(d, s + (size_t)patch->x0 * 3, (size_t)c * 3);
            continue;
        }
        for (int x = 0; x < c; x++) {
            /* columns of the mirrored photo: x there is width - 1 - x here */
            int from = sky->width - 1 - (patch->x0 + x);
            d[x * 3] = s[from * 3], d[x * 3 + 1] = s[from * 3 + 1], d[x * 3 + 2] = s[from * 3 + 2];
        }
    }
    double s = fmax((double)box.h / r, (double)box.w / c) * (view ? view->scale : 1.0);
    int cw = (int)(c * s + 0.5), ch = (int)(r * s + 0.5);
    if (cw < 1)
        cw = 1;
    if (ch < 1)
        ch = 1;
    sc_rect crop = {crop_start(cw - box.w, view ? view->offset_x : 0.f),
                    crop_start(ch - box.h, view ? view->offset_y : 0.f), box.w, box.h};
    sc_status st = SC_OK;
    if (cw < box.w || ch < box.h)
        st = sc_fail(err, SC_ERR_INVALID_ARG, "sky patch: cover size %dx%d below box %dx%d", cw,
                     ch, box.w, box.h);
    else if (sc_cv_resize_u8_roi(cut, c, r, 3, cw, ch, crop, dst))
        st = sc_fail(err, SC_ERR_NO_MEMORY, "sky patch: out of memory");
    free(cut);
    return st;
}
