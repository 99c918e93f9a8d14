/*
 * The tensor operations both networks are built from. Every op here has a
 * plain, obviously-correct twin in tests/ops/naive.h that the tests compare against.
 * Tensors are CHW float32 (see core/tensor.h). Unless stated, `out` is
 * allocated by the caller with the right shape and must not alias the input.
 */
#ifndef SC_OPS_OPS_H
#define SC_OPS_OPS_H

#include <stdint.h>

#include "core/arena.h"
#include "core/tensor.h"

/* What follows a convolution, applied in its output pass. */
enum { SC_ACT_NONE = 0, SC_ACT_RELU = 1, SC_ACT_RELU6 = 2 };

struct sc_conv_prepared; /* ops/conv_prepare.h */

/* A 2-D convolution layer. weight: [cout][cin/groups][kh][kw]; bias: [cout] or NULL.
 * Batch-norm is folded into weight/bias at load time (sc_fold_batchnorm).
 * prepared: the weights already packed (and transformed) for the algorithm
 * the layer runs, made once at model load (sc_conv_prepare); NULL: they are
 * packed during each call. */
typedef struct sc_conv {
    int cout, cin, kh, kw;
    int stride, pad, dilation, groups;
    const float *weight;
    const float *bias;
    const struct sc_conv_prepared *prepared;
} sc_conv;

/* floor((in + 2*pad - dilation*(k-1) - 1) / stride) + 1 */
int sc_conv_out_size(int in, int k, int stride, int pad, int dilation);

/* out = act(conv(in)), act an SC_ACT_* (0: none, 1: ReLU). 1x1 stride-1 convolutions are one
 * GEMM on the input; others go through im2col in column tiles whose scratch
 * comes from `scratch` (released before returning), so the workspace stays
 * bounded whatever the image size. Returns 0, or -1 if scratch is too small
 * (or shapes do not match the layer, or out aliases in). The 1x1 stride-1 path
 * needs no scratch (may be NULL). With less scratch than sc_conv2d_scratch_bytes
 * asks for, fewer threads share the tiles; results are bit-identical for any
 * thread count either way. */
int sc_conv2d(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int act, sc_arena *scratch);

/* sc_conv2d's output for a 1x1, stride-1, ungrouped layer of cout <= cin that
 * runs as a direct GEMM, written over the first cout channels of its input
 * (the rest of inout is left as it was): a layer whose input dies with it then
 * needs no second map. Each column tile's product goes to its worker's slice
 * of scratch first, then over the tile's own columns, which no other tile
 * reads: the same bits as sc_conv2d's. Returns 0, or -1 where the layer does
 * not run that way (the caller then uses sc_conv2d) or scratch is too small. */
int sc_conv2d_over_input(const sc_conv *cv, sc_tensor *inout, int act, sc_arena *scratch);

/* sc_conv2d over the map sc_maxunpool2x2(pooled, where) would make, of out's
 * size (the layer keeps the size), without making it: for layers that run
 * as row loops on AVX2 (ops/conv_narrow.h), whose rows are unpooled as they
 * are read; the same bits. Returns -1 where the layer does not run that way
 * (the caller then unpools and calls sc_conv2d) or scratch is too small. */
int sc_conv2d_unpooled(const sc_conv *cv, const sc_tensor *pooled, const uint8_t *where,
                       sc_tensor *out, int act, sc_arena *scratch);

/* Scratch bytes sc_conv2d needs at most for this layer and thread count. */
size_t sc_conv2d_scratch_bytes(const sc_conv *cv, int in_h, int in_w, int threads);

/* Depthwise 3x3 convolution: groups == cin == cout, padding 1, dilation 1,
 * stride 1 or 2; weight [c][1][3][3], bias [c] or NULL; with relu6 the output
 * is clamped to [0, 6]. Direct loops, no scratch. Returns 0, or -1 when the
 * layer is not such a convolution or the shapes do not match it. */
int sc_depthwise3x3(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int relu6);
/* 1 when sc_depthwise3x3 accepts these arguments. */
int sc_depthwise3x3_valid(const sc_conv *cv, const sc_tensor *in, const sc_tensor *out);

/* weight[o][...] *= gamma[o]/sqrt(var[o]+eps); bias[o] = (bias[o]-mean[o])*that + beta[o].
 * bias may start as zeros for convolutions without a bias. */
void sc_fold_batchnorm(float *weight, float *bias, int cout, int weights_per_out,
                       const float *gamma, const float *beta, const float *mean,
                       const float *var, float eps);

void sc_relu6(sc_tensor *t);                          /* clamp to [0, 6], in place */
static inline float sc_relu6_value(float v) { return v < 0.0f ? 0.0f : v > 6.0f ? 6.0f : v; }
/* x[0..n) += *add (unless add is NULL), then the activation act (an SC_ACT_*):
 * the output pass of the GEMM and Winograd paths, in the order of separate
 * sweeps, on values still in cache. */
static inline void sc_add_activate(float *x, long n, const float *add, int act)
{
    if (add)
        for (long i = 0; i < n; i++)
            x[i] += *add;
    if (act == SC_ACT_RELU) {
        for (long i = 0; i < n; i++)
            x[i] = x[i] < 0.0f ? 0.0f : x[i];
    } else if (act == SC_ACT_RELU6) {
        for (long i = 0; i < n; i++)
            x[i] = sc_relu6_value(x[i]);
    }
}
void sc_sigmoid(sc_tensor *t);                                      /* in place */
/* x = clamp((x - black) / (white - black), 0, 1), in place; black < white. */
void sc_levels(sc_tensor *t, float black, float white);
/* out = a + b (+ ReLU); out may alias a or b. */
void sc_add(const sc_tensor *a, const sc_tensor *b, sc_tensor *out, int relu);
/* Mirrors every row (x -> w-1-x), in place. */
void sc_flip_horizontal(sc_tensor *t);

/* PyTorch F.interpolate(mode='bilinear', align_corners=True), out's h,w give the size. */
void sc_resize_bilinear_ac(const sc_tensor *in, sc_tensor *out);

/* 2x2 stride-2 max-pool, floor mode. where[c][y][x]: the maximum's place in
 * its window, 0 top left, 1 top right, 2 bottom left, 3 bottom right (a byte,
 * not PyTorch's flat index: a quarter of the memory, and the unpooling writes
 * each window whole); the first strictly greater value in row-major order wins. */
void sc_maxpool2x2_indices(const sc_tensor *in, sc_tensor *out, uint8_t *where);
/* The same for output rows out_row0 .. out_row0+out_rows-1 of a map whose input
 * rows from 2*out_row0 on are held in `band` from its row `band_row0` on (a
 * map made in bands of rows); where and out are the whole map's. */
void sc_maxpool2x2_indices_rows(const sc_tensor *band, int band_row0, int out_row0,
                                int out_rows, sc_tensor *out, uint8_t *where);
/* Each value of in at its place in its window of out, 0 elsewhere (the rows
 * and columns of out beyond the windows too); a place above 3 puts nothing. */
void sc_maxunpool2x2(const sc_tensor *in, const uint8_t *where, sc_tensor *out);
/* k x k stride-k max-pool, floor mode (OCR object-attention scale). */
void sc_maxpool(const sc_tensor *in, int k, sc_tensor *out);

/* out[c] = mean over h,w of in[c] */
void sc_global_avg_pool(const sc_tensor *in, float *out);
/* Softmax of each row of a row-major rows x cols matrix, in place. */
void sc_softmax_rows(float *x, int rows, int cols);
/* C[m][n] = sum_k op(A)[m][k] op(B)[k][n]; op transposes when trans_x != 0.
 * A is m x k (or k x m transposed), B is k x n (or n x k). */
void sc_matmul(const float *a, int trans_a, const float *b, int trans_b, float *c,
               int m, int n, int k);
/* Softmax across the channels of each pixel, in place. */
void sc_softmax_channels(sc_tensor *t);
/* out[y][x] = index of the largest channel (first wins on ties), as float. */
void sc_argmax_channels(const sc_tensor *in, float *out);

#endif
