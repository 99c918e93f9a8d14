/*
 * A picture to the refine canvas, exactly as the original does it (spec §1.3):
 * fit-resize, centre pad, normalise. Bit-exact, so compiled without FMA.
 */
#ifndef SC_MATTING_PREPROCESS_H
#define SC_MATTING_PREPROCESS_H

#include "skychange.h"

/* Padding added on each side of the resized picture, in canvas pixels. */
typedef struct sc_pad {
    int left, top, right, bottom;
} sc_pad;

/* The fitted size and padding of a w x h picture on a canvas x canvas square.
 * Fails (SC_ERR_IMAGE) when a side would shrink to zero pixels. */
sc_status sc_fit_to_canvas(int w, int h, int canvas, int *fit_w, int *fit_h, sc_pad *pad,
                           sc_error *err);

/* dst: 3 planes (R, G, B) of canvas x canvas floats, (x/255 - mean)/std,
 * padding holding the normalised value of black. */
sc_status sc_preprocess(const sc_image *img, int canvas, const float mean[3], const float std[3],
                        float *dst, sc_pad *pad, sc_error *err);

#endif
