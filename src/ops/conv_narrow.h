/*
 * Convolutions with few output channels (the refiner's first layers, 4 -> 8
 * and 8 -> 8 at the full canvas, its 16 -> 8 and its last layer, 8 -> 1 or
 * 64 -> 1 at the full canvas) as direct loops over output rows (internal to
 * ops). As a GEMM such a layer is a product with a matrix of 1-8 rows over an
 * im2col matrix of cin * k * k rows: memory-bound, at 5-40 % of the GEMM's
 * peak. The AVX2+FMA loops (conv_narrow_avx2.c) keep eight vectors of sums in
 * registers over all input channels and taps; the plain loops, for CPUs
 * without AVX2, sum each output row in place, one input channel and filter row
 * at a time, from input rows that stay in cache.
 */
#ifndef SC_OPS_CONV_NARROW_H
#define SC_OPS_CONV_NARROW_H

#include <stdint.h>

#include "core/tensor.h"
#include "ops/ops.h"

/* The most output channels a layer may have to run this way: with the
 * AVX2+FMA loops (when the CPU has them and SKYCHANGE_ISA allows them), and
 * with the plain loops otherwise. */
#define SC_CONV_NARROW_AVX2_MAX_COUT 16
#define SC_CONV_NARROW_MAX_COUT 4
/* Output channels one pass of the AVX2 loops over the input rows computes;
 * wider layers are computed in groups of this many. */
#define SC_CONV_NARROW_GROUP 8

/* 1 when the layer has this shape: at most that many output channels,
 * stride 1, ungrouped (any kernel, padding and dilation). */
int sc_conv_narrow_fits(const sc_conv *cv);

/* Floats of one zero-padded input row. */
size_t sc_conv_narrow_row_floats(const sc_conv *cv, int in_w);

/* Floats of scratch sc_conv_narrow_rows needs for an input in_w wide. */
size_t sc_conv_narrow_scratch_floats(const sc_conv *cv, int in_w);

/* Output rows y0 .. y1-1 of every output channel: act(conv(in) + bias), with
 * the loops the CPU and SKYCHANGE_ISA allow; scratch: sc_conv_narrow_scratch_floats. */
void sc_conv_narrow_rows(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int y0, int y1,
                         int act, float *scratch);

/* The two kinds of loops, for the tests. The plain ones take at most
 * SC_CONV_NARROW_MAX_COUT output channels and one padded row of scratch; the
 * AVX2 ones (a CPU with AVX2 and FMA only) SC_CONV_NARROW_AVX2_MAX_COUT and
 * sc_conv_narrow_avx2_scratch_floats of scratch, 64-byte aligned (the weights
 * repacked, and a ring of the input rows a filter spans per input channel). */
void sc_conv_narrow_rows_plain(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int y0,
                               int y1, int act, float *padded);
void sc_conv_narrow_rows_avx2(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int y0,
                              int y1, int act, float *scratch);
/* The AVX2 loops on 16 lanes, for a CPU with AVX-512 only: the same
 * channels, scratch and bits. */
void sc_conv_narrow_rows_avx512(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int y0,
                                int y1, int act, float *scratch);
size_t sc_conv_narrow_avx2_scratch_floats(const sc_conv *cv, int in_w);

/* 1 when sc_conv_narrow_rows_unpooled can run the layer here: it fits and the
 * AVX2 (or AVX-512) loops are allowed. */
int sc_conv_narrow_unpooled_fits(const sc_conv *cv);
/* sc_conv_narrow_rows over the map sc_maxunpool2x2(pooled, where) would make,
 * of out's size (the layer keeps the size), without making it: each input row
 * is unpooled straight into the loops' ring. The same bits as unpooling first. */
void sc_conv_narrow_rows_unpooled(const sc_conv *cv, const sc_tensor *pooled,
                                  const uint8_t *where, sc_tensor *out, int y0, int y1, int act,
                                  float *scratch);
size_t sc_conv_narrow_avx2_weight_floats(const sc_conv *cv);
/* sc_conv_narrow_rows_unpooled on 8 and on 16 lanes (the same bits). */
void sc_conv_narrow_unpooled_avx2(const sc_conv *cv, const sc_tensor *pooled,
                                  const uint8_t *where, sc_tensor *out, int y0, int y1, int act,
                                  float *scratch);
void sc_conv_narrow_unpooled_avx512(const sc_conv *cv, const sc_tensor *pooled,
                                    const uint8_t *where, sc_tensor *out, int y0, int y1,
                                    int act, float *scratch);
/* Output channels the AVX2 loops compute for cout (1, 2, 4 or 8: the rest are zero). */
int sc_conv_narrow_avx2_channels(int cout);

#endif
