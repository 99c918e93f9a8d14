/* Share of set pixels in the square window around each pixel, in O(1) per
 * pixel: column counts kept once, row sums from a prefix per row. */
#include "core/parallel.h"
#include "core/page_hints.h"
#include "imgproc/imgproc.h"

#include <stdint.h>
#include <stdlib.h>

int sc_box_share_init(sc_box_share *b, const uint8_t *mask, int w, int h, int r)
{
    b->w = w, b->h = h, b->r = r;
    b->column = NULL;
    if (r < 0 || 2L * r + 1 > UINT16_MAX)
        return -1;
    b->column = SC_MALLOC_LARGE(sizeof *b->column * (size_t)w * h);
    if (!b->column)
        return -1;
    for (int y = 0; y < h; y++) {
        uint16_t *c = b->column + (size_t)y * w;
        if (y == 0) {
            for (int x = 0; x < w; x++)
                c[x] = 0;
            for (int v = 0; v <= r && v < h; v++)
                for (int x = 0; x < w; x++)
                    c[x] += mask[(size_t)v * w + x] != 0;
            continue;
        }
        const uint16_t *above = c - w;
        const uint8_t *enter = y + r < h ? mask + (size_t)(y + r) * w : NULL;
        const uint8_t *leave = y - r - 1 >= 0 ? mask + (size_t)(y - r - 1) * w : NULL;
        for (int x = 0; x < w; x++)
            c[x] = (uint16_t)(above[x] + (enter && enter[x]) - (leave && leave[x]));
    }
    return 0;
}

void sc_box_share_row(const sc_box_share *b, int y, uint32_t *prefix, float *share)
{
    int w = b->w, r = b->r;
    const uint16_t *c = b->column + (size_t)y * w;
    prefix[0] = 0;
    for (int x = 0; x < w; x++)
        prefix[x + 1] = prefix[x] + c[x];
    int y0 = y - r < 0 ? 0 : y - r, y1 = y + r >= b->h ? b->h - 1 : y + r;
    for (int x = 0; x < w; x++) {
        int x0 = x - r < 0 ? 0 : x - r, x1 = x + r >= w ? w - 1 : x + r;
        uint32_t set = prefix[x1 + 1] - prefix[x0];
        share[x] = set ? (float)set / (float)((x1 - x0 + 1) * (y1 - y0 + 1)) : 0.f;
    }
}

int sc_box_share_each_row(const sc_box_share *b, sc_box_share_row_fn fn, void *ctx)
{
    int failed = 0;
#pragma omp parallel num_threads(sc_get_threads()) if ((size_t)b->w * b->h > SC_PARALLEL_MIN_VALUES)
    {
        uint32_t *prefix = malloc(sizeof *prefix * ((size_t)b->w + 1));
        float *share = malloc(sizeof *share * (size_t)b->w);
        if (!prefix || !share) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(static)
        for (int y = 0; y < b->h; y++) {
            if (!prefix || !share)
                continue;
            sc_box_share_row(b, y, prefix, share);
            fn(ctx, y, share);
        }
        free(prefix);
        free(share);
    }
    return failed ? -1 : 0;
}

void sc_box_share_free(sc_box_share *b)
{
    free(b->column);
    b->column = NULL;
}
