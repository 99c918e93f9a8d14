/*
 * OpenCV-equivalent image primitives with OpenCV's exact numerics (spec §4.1,
 * §4.3, §4.4.6), used by preprocessing (matting) and by the blender. Images
 * are interleaved, row-major, `ch` channels, no row padding.
 *
 * Functions returning int give 0 on success and -1 when memory ran out; the
 * destination is then unspecified.
 */
#ifndef SC_IMGPROC_IMGPROC_H
#define SC_IMGPROC_IMGPROC_H

#include <stdint.h>

/* An axis-aligned rectangle: columns x..x+w-1, rows y..y+h-1. */
typedef struct sc_rect {
    int x, y, w, h;
} sc_rect;


/* cv::resize INTER_LINEAR, uint8, any channel count; includes the exact-2x case.
 * Returns 0, or -1 when memory for the coefficient tables runs out. */
int sc_cv_resize_u8(const uint8_t *src, int sw, int sh, int ch, uint8_t *dst, int dw, int dh);
/* cv::resize INTER_LINEAR, float32 single channel, including the exact-2x case.
 * Returns 0, or -1 when memory runs out. */
int sc_cv_resize_f32(const float *src, int sw, int sh, float *dst, int dw, int dh);

/* The part `roi` of the dw x dh resize, written as a roi.w x roi.h image. */
int sc_cv_resize_u8_roi(const uint8_t *src, int sw, int sh, int ch, int dw, int dh,
                        sc_rect roi, uint8_t *dst);
/* Source tap and fraction of each destination index along one axis; with
 * clamp_coefficients (the horizontal rule) edge taps get fraction 0. */
void sc_linear_axis(int ssize, int dsize, int clamp_coefficients, int *src, float *frac);

/* morphologyEx(MORPH_CLOSE) on float32: cv::dilate then cv::erode with the same k x k
 * rectangle, default anchor (window offsets -k/2 .. k-1-k/2, so asymmetric for even k),
 * pixels outside ignored. */
int sc_cv_close_f32(const float *src, int w, int h, int k, float *dst);

/* Source index of position i (may be outside 0..n-1) under BORDER_REFLECT. */
int sc_reflect_index(int i, int n);
/* Source index of position i under BORDER_REFLECT_101 (gfedcb|abcdefgh|gfedcba). */
int sc_reflect101_index(int i, int n);

/* cv::pyrDown to ((w+1)/2, (h+1)/2), BORDER_REFLECT_101. */
int sc_cv_pyrdown_u8(const uint8_t *src, int w, int h, int ch, uint8_t *dst);
int sc_cv_pyrdown_f32(const float *src, int w, int h, float *dst);
/* cv::pyrUp to (2w, 2h). */
int sc_cv_pyrup_u8(const uint8_t *src, int w, int h, int ch, uint8_t *dst);
int sc_cv_pyrup_s16(const int16_t *src, int w, int h, int ch, int16_t *dst);

/* Largest rectangle with every value > thr (spec §4.4.1 step 3, exact
 * tie-breaking). Returns its area (0 when none); -1 when memory ran out. */
long sc_largest_valid_rect(const float *m, int w, int h, float thr, sc_rect *out);

/* Per pixel, the share of nonzero mask pixels in the (2r+1)^2 window around
 * it, clipped to the picture (box_share.c); exactly 0 where none is within r. */
typedef struct sc_box_share {
    int w, h, r;
    uint16_t *column; /* per pixel, the set pixels of its column within r rows */
} sc_box_share;
/* Returns 0, or -1 when memory ran out or r is too large (2r + 1 > 65535). */
int sc_box_share_init(sc_box_share *b, const uint8_t *mask, int w, int h, int r);
/* The shares of row y into share (w values); prefix: scratch of w + 1. */
void sc_box_share_row(const sc_box_share *b, int y, uint32_t *prefix, float *share);
/* Calls fn(ctx, y, shares of row y) for every row, rows in parallel; returns
 * 0, or -1 when memory for the per-thread rows ran out. */
typedef void (*sc_box_share_row_fn)(void *ctx, int y, const float *share);
int sc_box_share_each_row(const sc_box_share *b, sc_box_share_row_fn fn, void *ctx);
void sc_box_share_free(sc_box_share *b);

/* Squared Euclidean distance of every pixel to the nearest nonzero pixel of
 * mask (w x h), exact up to `cap`; pixels farther than cap (all of them when
 * the mask is empty) get a value above cap^2. Returns 0, or -1 when memory ran out. */
int sc_distance_sq_u8(const uint8_t *mask, int w, int h, int cap, uint32_t *dist_sq);

#endif
