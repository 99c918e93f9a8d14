/*
 * OpenCV-equivalent image primitives with OpenCV's exact numerics (spec §4.1,
 * §4.3, §4.4.6), used by preprocessing (matting) and by the blender. Images
 * are interleaved, row-major, `ch` channels, no row padding.
 */
#ifndef SC_IMGPROC_IMGPROC_H
#define SC_IMGPROC_IMGPROC_H

#include <stdint.h>

/* cv::resize INTER_LINEAR, uint8, any channel count; includes the exact-2x case. */
void sc_cv_resize_u8(const uint8_t *src, int sw, int sh, int ch, uint8_t *dst, int dw, int dh);
/* cv::resize INTER_LINEAR, float32 single channel, including the exact-2x case. */
void sc_cv_resize_f32(const float *src, int sw, int sh, float *dst, int dw, int dh);

#endif
