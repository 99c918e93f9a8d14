/*
 * Pyramid steps over rows supplied on demand, so that a caller can feed a
 * virtually padded or converted image without materialising it. Rows are
 * processed in fixed chunks (independent of the thread count).
 */
#ifndef SC_IMGPROC_PYRAMID_ROWS_H
#define SC_IMGPROC_PYRAMID_ROWS_H

#include <stdint.h>

/* Writes source row y (0 <= y < h) extended by two BORDER_REFLECT_101 columns
 * on each side into ext ((w + 4) * ch values). */
typedef void (*sc_fetch_row_u8)(const void *ctx, int y, uint8_t *ext);
typedef void (*sc_fetch_row_f32)(const void *ctx, int y, float *ext);

int sc_pyrdown_u8_rows(sc_fetch_row_u8 fetch, const void *ctx, int w, int h, int ch,
                       uint8_t *dst);
int sc_pyrdown_f32_rows(sc_fetch_row_f32 fetch, const void *ctx, int w, int h, float *dst);

/* Fills the reflect-101 columns of an extended row whose centre (ext + 2*ch) holds w pixels. */
void sc_extend_row_u8(uint8_t *ext, int w, int ch);
void sc_extend_row_f32(float *ext, int w);

/* pyrUp horizontal pass of one row of w pixels into 2w*ch unrounded sums. */
void sc_pyrup_hrow_u8(const uint8_t *row, int w, int ch, int32_t *out);
void sc_pyrup_hrow_s16(const int16_t *row, int w, int ch, int32_t *out);

#endif
