/*
 * The multiband blender's copies (internal to blend/multiband*.c): one body,
 * blend/multiband_body.h, compiled for the baseline, AVX2 and AVX-512 (for
 * plain C loops the compiler vectorises; with -ffp-contract=off every value is
 * rounded as on the baseline, so each copy gives the same bits). sc_multiband
 * picks one by the instruction sets allowed (core/isa.h).
 */
#ifndef SC_BLEND_MULTIBAND_COPIES_H
#define SC_BLEND_MULTIBAND_COPIES_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "blend/blend.h"
#include "core/error.h"
#include "core/page_hints.h"
#include "core/parallel.h"
#include "imgproc/pyramid_rows.h"

typedef sc_status sc_multiband_fn(const uint8_t *scene, const uint8_t *scn_w8,
                                  const uint8_t *pano, const uint8_t *sky_w8, int w, int h,
                                  sc_blend_numerics num, int16_t *out_s16, uint8_t *out_u8,
                                  sc_error *err);

sc_multiband_fn sc_multiband_plain;
#if defined(__x86_64__) || defined(__i386__)
sc_multiband_fn sc_multiband_avx2;
sc_multiband_fn sc_multiband_avx512;
#endif

#endif
