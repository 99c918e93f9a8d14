/* sRGB <-> linear light <-> CIE Lab (D65), in float, for the look controls.
 * pow follows the calling thread's mode (core/exact_math.h); cbrtf is one
 * function for every CPU in glibc. */
#ifndef SC_BLEND_COLOUR_H
#define SC_BLEND_COLOUR_H

#include <math.h>

#include "core/exact_math.h"

static inline float sc_srgb_to_linear(float v) /* v in 0..1 */
{
    return v <= 0.04045f ? v / 12.92f : sc_mode_powf((v + 0.055f) / 1.055f, 2.4f);
}

static inline float sc_linear_to_srgb(float v)
{
    v = v < 0.f ? 0.f : (v > 1.f ? 1.f : v);
    return v <= 0.0031308f ? v * 12.92f : 1.055f * sc_mode_powf(v, 1.f / 2.4f) - 0.055f;
}

static inline float sc_lab_f(float t)
{
    return t > 0.008856452f ? cbrtf(t) : t * 7.787037f + 16.f / 116.f;
}

static inline float sc_lab_f_inverse(float t)
{
    return t > 0.20689656f ? t * t * t : (t - 16.f / 116.f) / 7.787037f;
}

/* 8-bit-scale sRGB (0..255 floats) to Lab. */
static inline void sc_rgb_to_lab(const float rgb[3], float lab[3])
{
    float r = sc_srgb_to_linear(rgb[0] / 255.f), g = sc_srgb_to_linear(rgb[1] / 255.f),
          b = sc_srgb_to_linear(rgb[2] / 255.f);
    float x = (0.4124564f * r + 0.3575761f * g + 0.1804375f * b) / 0.95047f;
    float y = 0.2126729f * r + 0.7151522f * g + 0.0721750f * b;
    float z = (0.0193339f * r + 0.1191920f * g + 0.9503041f * b) / 1.08883f;
    float fx = sc_lab_f(x), fy = sc_lab_f(y), fz = sc_lab_f(z);
    lab[0] = 116.f * fy - 16.f;
    lab[1] = 500.f * (fx - fy);
    lab[2] = 200.f * (fy - fz);
}

/* Lab to sRGB on the 0..255 scale, clipped. */
static inline void sc_lab_to_rgb(const float lab[3], float rgb[3])
{
    float fy = (lab[0] + 16.f) / 116.f, fx = fy + lab[1] / 500.f, fz = fy - lab[2] / 200.f;
    float x = sc_lab_f_inverse(fx) * 0.95047f, y = sc_lab_f_inverse(fy),
          z = sc_lab_f_inverse(fz) * 1.08883f;
    float r = 3.2404542f * x - 1.5371385f * y - 0.4985314f * z;
    float g = -0.9692660f * x + 1.8760108f * y + 0.0415560f * z;
    float b = 0.0556434f * x - 0.2040259f * y + 1.0572252f * z;
    rgb[0] = 255.f * sc_linear_to_srgb(r);
    rgb[1] = 255.f * sc_linear_to_srgb(g);
    rgb[2] = 255.f * sc_linear_to_srgb(b);
}

#endif
