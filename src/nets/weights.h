/*
 * Loading the parameters of the networks. Each convolution is read by its
 * state-dict name (prefixed "coarse." or "refine."), checked against the shape
 * the config implies, and the batch-norm that follows it is folded in, so the
 * forward pass only ever sees plain convolutions with bias.
 */
#ifndef SC_NETS_WEIGHTS_H
#define SC_NETS_WEIGHTS_H

#include <stdint.h>

#include "ops/ops.h"
#include "skychange.h"

/* Where tensors come from: a model file, or a generator for benchmarks/tests.
 * Fills dst with the tensor `name` of exactly `shape`, or fails naming it.
 * With dst NULL it only checks that the tensor exists with that shape (done
 * before a buffer is allocated for it). */
typedef sc_status (*sc_tensor_read_fn)(void *ctx, const char *name, const int64_t *shape,
                                       int ndim, float *dst, sc_error *err);

/* The buffers holding folded weights and their packed forms, owned by the
 * model and read-only once it is loaded. */
/* A convolution whose packed form is still to be made (sc_weights_prepare):
 * a copy of its geometry and weights, and where the packed form goes. */
typedef struct sc_weights_pending {
    sc_conv conv;
    int algorithm;
    int side; /* Winograd: the output tile side */
    float *storage;
    size_t floats; /* of storage: the work it takes */
    struct sc_conv_prepared *prepared;
    char name[160]; /* for the message when it fails */
} sc_weights_pending;

typedef struct sc_weights {
    void **buffers;
    int count, capacity;
    sc_weights_pending *pending; /* filled while loading, emptied by sc_weights_prepare */
    int pending_count, pending_capacity;
    size_t floats;        /* parameters held, for reports */
    size_t packed_floats; /* the packed and transformed copies (ops/conv_prepare.h) */
    int max_depth;   /* largest cin * kh * kw of any convolution: sizes im2col scratch */
} sc_weights;

void sc_weights_free(sc_weights *w);

/* Packs (and for Winograd transforms) the weights of every convolution loaded
 * so far, layers spread over the calling thread's workers: each layer's packed
 * form is made by one worker alone, so it is the same for any thread count.
 * Called once, after both networks are loaded. */
sc_status sc_weights_prepare(sc_weights *w, sc_error *err);

typedef struct sc_loader {
    sc_tensor_read_fn read;
    void *ctx;
    sc_weights *store;
    const char *prefix; /* "coarse." or "refine." */
    /* How the 3x3 layers that Winograd would run on 4x4 output tiles run
     * (SC_3X3_*; see sc_refine_load). */
    int precise_3x3;
} sc_loader;

/* sc_loader.precise_3x3: Winograd on 4x4 output tiles (the default), on 2x2
 * tiles (rounding near im2col's), or im2col. */
enum { SC_3X3_FAST = 0, SC_3X3_SMALL_TILES = 1, SC_3X3_IM2COL = 2 };

/* The geometry of a convolution as the config implies it. */
typedef struct sc_conv_shape {
    int cin, cout, k, stride, pad, dilation;
    int has_bias; /* the stored conv has its own bias tensor */
    int groups;   /* 1: dense; weight is [cout][cin/groups][k][k] */
} sc_conv_shape;

/* Square conv, stride s, padding k/2, no dilation. */
static inline sc_conv_shape sc_shape(int cin, int cout, int k, int stride, int has_bias)
{
    sc_conv_shape s = {cin, cout, k, stride, k / 2, 1, has_bias, 1};
    return s;
}

/* Depthwise 3x3 conv over c channels (one filter per channel), padding 1. */
static inline sc_conv_shape sc_shape_depthwise(int c, int stride)
{
    sc_conv_shape s = {c, c, 3, stride, 1, 1, 0, c};
    return s;
}

/* Conv "<base><conv>.weight" [+ ".bias"] with no batch-norm after it. */
sc_status sc_load_conv(sc_loader *ld, sc_conv *cv, const char *base, const char *conv,
                       sc_conv_shape shape, sc_error *err);
/* Conv "<base><conv>" followed by batch-norm "<base><bn>.{weight,bias,running_mean,
 * running_var}" (eps 1e-5), folded into one convolution. */
sc_status sc_load_conv_bn(sc_loader *ld, sc_conv *cv, const char *base, const char *conv,
                          const char *bn, sc_conv_shape shape, sc_error *err);

/* A 1x1 layer made of input channels [c0, c0 + n) of the loaded 1x1 layer src
 * (its folded weights, and its bias), prepared like a loaded one; named
 * "<base><conv>" in messages. */
sc_status sc_derive_conv_inputs(sc_loader *ld, const sc_conv *src, int c0, int n,
                               const char *base, const char *conv, sc_conv *out, sc_error *err);

#endif
