/* §4.4.2 steps 7-8: scale the patch to cover the scene's sky box, centre-crop. */
#include "blend/blend.h"
#include "core/error.h"

#include <math.h>
#include <stdlib.h>

sc_status sc_place_patch(const sc_image *sky, const sc_sky_patch *patch, sc_rect box,
                         uint8_t *dst, sc_error *err)
{
    int r = patch->y1 - patch->y0, c = patch->x1 - patch->x0;
    uint8_t *cut = malloc((size_t)r * c * 3);
    if (!cut)
        return sc_fail(err, SC_ERR_NO_MEMORY, "sky patch: out of memory (%dx%d)", c, r);
    for (int y = 0; y < r; y++) {
        const uint8_t *s = sky->rgb + ((size_t)(patch->y0 + y) * sky->width + patch->x0) * 3;
        uint8_t *d = cut + (size_t)y * c * 3;
        for (int i = 0; i < c * 3; i++)
            d[i] = s[i];
    }
    double s = fmax((double)box.h / r, (double)box.w / c);
    int cw = (int)(c * s + 0.5), ch = (int)(r * s + 0.5);
    if (cw < 1)
        cw = 1;
    if (ch < 1)
        ch = 1;
    sc_rect crop = {(cw - box.w) / 2, (ch - box.h) / 2, box.w, box.h};
    sc_status st = SC_OK;
    if (crop.x < 0 || crop.y < 0)
        st = sc_fail(err, SC_ERR_INVALID_ARG, "sky patch: cover size %dx%d below box %dx%d", cw,
                     ch, box.w, box.h);
    else if (sc_cv_resize_u8_roi(cut, c, r, 3, cw, ch, crop, dst))
        st = sc_fail(err, SC_ERR_NO_MEMORY, "sky patch: out of memory");
    free(cut);
    return st;
}
