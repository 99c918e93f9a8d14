/*
 * Convolutions with very few output channels (the refiner's last layer,
 * 64 -> 1 at the full canvas) as direct loops over output rows (internal to
 * ops). As a GEMM such a layer is a matrix-vector product over an im2col
 * matrix of cin * k * k rows: memory-bound, at 5-7 % of the GEMM's peak. Here
 * each output row is summed in place, one input channel and filter row at a
 * time (the row's taps summed first), from input rows that stay in cache.
 */
#ifndef SC_OPS_CONV_NARROW_H
#define SC_OPS_CONV_NARROW_H

#include "core/tensor.h"
#include "ops/ops.h"

/* The most output channels a layer may have to run this way. */
#define SC_CONV_NARROW_MAX_COUT 4

/* 1 when the layer has this shape: at most SC_CONV_NARROW_MAX_COUT output
 * channels, stride 1, ungrouped (any kernel, padding and dilation). */
int sc_conv_narrow_fits(const sc_conv *cv);

/* Floats of the zero-padded input row sc_conv_narrow_rows works in. */
size_t sc_conv_narrow_row_floats(const sc_conv *cv, int in_w);

/* Output rows y0 .. y1-1 of every output channel: act(conv(in) + bias);
 * padded: sc_conv_narrow_row_floats of scratch. */
void sc_conv_narrow_rows(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int y0, int y1,
                         int act, float *padded);

#endif
