#include "matting/preprocess.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/page_hints.h"
#include "core/parallel.h"
#include "imgproc/imgproc.h"

sc_status sc_fit_to_canvas(int w, int h, int canvas, int *fit_w, int *fit_h, sc_pad *pad,
                           sc_error *err)
{
    int nw = w, nh = h;
    if (w != canvas || h != canvas) {
        /* IEEE double and truncation of x + 0.5, as the original. */
        double sw = (double)canvas / (double)w, sh = (double)canvas / (double)h;
        double s = sw < sh ? sw : sh;
        nh = (int)((double)h * s + 0.5);
        nw = (int)((double)w * s + 0.5);
    }
    if (nw < 1 || nh < 1 || nw > canvas || nh > canvas)
        return sc_fail(err, SC_ERR_IMAGE, "picture of %dx%d is too thin to fit a %dx%d canvas", w,
                       h, canvas, canvas);
    int pad_w = canvas - nw, pad_h = canvas - nh;
    /* (int)(pad/2 + 0.5): the left/top side gets the larger half. */
    pad->left = (pad_w + 1) / 2;
    pad->top = (pad_h + 1) / 2;
    pad->right = pad_w - pad->left;
    pad->bottom = pad_h - pad->top;
    *fit_w = nw;
    *fit_h = nh;
    return SC_OK;
}

sc_status sc_preprocess(const sc_image *img, int canvas, const float mean[3], const float std[3],
                        float *dst, sc_pad *pad, sc_error *err)
{
    int fw, fh;
    sc_status s = sc_fit_to_canvas(img->width, img->height, canvas, &fw, &fh, pad, err);
    if (s != SC_OK)
        return s;

    const uint8_t *src = img->rgb;
    uint8_t *resized = NULL;
    if (fw != img->width || fh != img->height) {
        resized = SC_MALLOC_LARGE((size_t)fw * (size_t)fh * 3);
        if (!resized)
            return sc_fail(err, SC_ERR_NO_MEMORY, "out of memory resizing a %dx%d picture", fw, fh);
        if (sc_cv_resize_u8(img->rgb, img->width, img->height, 3, resized, fw, fh)) {
            free(resized);
            return sc_fail(err, SC_ERR_NO_MEMORY, "out of memory resizing a %dx%d picture", fw, fh);
        }
        src = resized;
    }

    const size_t plane = (size_t)canvas * (size_t)canvas;
    const long rows = 3L * canvas;
#pragma omp parallel for num_threads(sc_get_threads()) if (rows * canvas >= SC_PARALLEL_MIN_VALUES) schedule(static)
    for (long r = 0; r < rows; r++) {
        const int c = (int)(r / canvas), y = (int)(r % canvas), sy = y - pad->top;
        const float black = (0.0f / 255.0f - mean[c]) / std[c];
        float *row = dst + (size_t)c * plane + (size_t)y * (size_t)canvas;
        if (sy < 0 || sy >= fh) {
            for (int x = 0; x < canvas; x++)
                row[x] = black;
            continue;
        }
        const uint8_t *srow = src + (size_t)sy * (size_t)fw * 3;
        for (int x = 0; x < pad->left; x++)
            row[x] = black;
        for (int x = 0; x < fw; x++) {
            float v = (float)srow[3 * x + c] / 255.0f;
            row[pad->left + x] = (v - mean[c]) / std[c];
        }
        for (int x = pad->left + fw; x < canvas; x++)
            row[x] = black;
    }
    free(resized);
    return SC_OK;
}
