/*
 * A convolution's weights in the form its algorithm consumes, made once when
 * the model is loaded and read-only after: for im2col and 1x1 layers, the
 * weight matrix packed into the GEMM kernel's panels; for Winograd layers,
 * the transformed filter matrices (one per transform point), each packed. The model is shared by
 * concurrent calls, so nothing here changes after sc_conv_prepare.
 */
#ifndef SC_OPS_CONV_PREPARE_H
#define SC_OPS_CONV_PREPARE_H

#include <stddef.h>

#include "ops/gemm.h"
#include "ops/ops.h"
#include "ops/winograd.h"

typedef struct sc_conv_prepared {
    int algorithm;                               /* SC_CONV_IM2COL or SC_CONV_WINOGRAD */
    int side;                                    /* Winograd: the output tile side */
    sc_sgemm_packed gemm;                        /* im2col: [cout][cin*kh*kw] */
    sc_sgemm_packed points[SC_WINOGRAD_POINTS_MAX]; /* Winograd: [cout][cin] per point */
} sc_conv_prepared;

/* Floats of storage sc_conv_prepare needs for this layer and algorithm (for
 * Winograd, on output tiles of `side`; im2col ignores it); 0 when nothing is
 * prepared (grouped layers, or a GEMM kernel that packs nothing). */
size_t sc_conv_prepared_floats(const sc_conv *cv, int algorithm, int side);

/* Fills *out, its packed matrices in storage (sc_conv_prepared_floats floats).
 * Returns 0, or -1 (a tile side and filter size without a transform, out of
 * memory for the transform's temporary, or nothing to prepare). The caller
 * then sets cv->prepared = out. */
int sc_conv_prepare(const sc_conv *cv, int algorithm, int side, float *storage,
                    sc_conv_prepared *out);

#endif
