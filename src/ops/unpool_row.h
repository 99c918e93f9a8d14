/*
 * One row of a 2x2 max-unpooling (internal to ops): what sc_maxunpool2x2
 * writes, and what the row loops read straight from a pooled map
 * (conv_narrow_lanes.h, where it is inlined into the AVX2 and AVX-512 copies).
 */
#ifndef SC_OPS_UNPOOL_ROW_H
#define SC_OPS_UNPOOL_ROW_H

#include <stdint.h>
#include <string.h>

#include "core/tensor.h"

/* Row y (w values) of channel c of the map unpooling `pooled` by `where`
 * makes: each window's value at its place, 0 elsewhere, and 0 in the rows and
 * columns no window reaches (floor mode). */
static inline __attribute__((always_inline)) void
sc_unpool_row(const sc_tensor *pooled, const uint8_t *where, int c, int y, int w, float *row)
{
    const int py = y / 2;
    if (py >= pooled->h) {
        memset(row, 0, (size_t)w * sizeof *row);
        return;
    }
    const float *src = sc_tensor_at(pooled, c, py, 0);
    const uint8_t *at = where + ((size_t)c * (size_t)pooled->h + (size_t)py) * (size_t)pooled->w;
    const uint8_t left = (uint8_t)(2 * (y % 2)), right = (uint8_t)(left + 1);
    for (int x = 0; x < pooled->w; x++) {
        row[2 * x] = at[x] == left ? src[x] : 0.0f;
        row[2 * x + 1] = at[x] == right ? src[x] : 0.0f;
    }
    for (int x = 2 * pooled->w; x < w; x++)
        row[x] = 0.0f;
}

#endif
