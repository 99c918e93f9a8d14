/*
 * Plain, obviously-correct twins of the ops in ops/ops.h, for tests only: no
 * tiling, no BLAS, no threads; sums are accumulated in double and rounded to
 * float once. Each takes the same arguments and follows the same conventions
 * as its counterpart (sc_naive_X does what sc_X does).
 */
#ifndef SC_TESTS_OPS_NAIVE_H
#define SC_TESTS_OPS_NAIVE_H

#include <stdint.h>

#include "core/tensor.h"
#include "ops/ops.h"

/* Direct 7-loop convolution. Returns 0, or -1 when shapes do not match. */
int sc_naive_conv2d(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int relu);

/* Eval-mode batch-norm: out = (in - mean)/sqrt(var + eps) * gamma + beta (+ ReLU);
 * out may alias in. */
void sc_naive_batchnorm(const sc_tensor *in, sc_tensor *out, const float *gamma,
                        const float *beta, const float *mean, const float *var, float eps,
                        int relu);

/* sc_naive_conv2d of the depthwise layer, then the [0, 6] clamp. */
int sc_naive_depthwise3x3(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int relu6);

void sc_naive_relu6(sc_tensor *t);
void sc_naive_sigmoid(sc_tensor *t);
void sc_naive_add(const sc_tensor *a, const sc_tensor *b, sc_tensor *out, int relu);
void sc_naive_flip_horizontal(sc_tensor *t);

/* The align_corners=True formula: float sample positions, double weighting. */
void sc_naive_resize_bilinear_ac(const sc_tensor *in, sc_tensor *out);

void sc_naive_maxpool2x2_indices(const sc_tensor *in, sc_tensor *out, uint8_t *where);
void sc_naive_maxunpool2x2(const sc_tensor *in, const uint8_t *where, sc_tensor *out);
void sc_naive_maxpool(const sc_tensor *in, int k, sc_tensor *out);

void sc_naive_global_avg_pool(const sc_tensor *in, float *out);
void sc_naive_softmax_rows(float *x, int rows, int cols);
void sc_naive_matmul(const float *a, int trans_a, const float *b, int trans_b, float *c,
                     int m, int n, int k);
void sc_naive_softmax_channels(sc_tensor *t);
void sc_naive_argmax_channels(const sc_tensor *in, float *out);

#endif
