/*
 * What a forward pass carries around: the activation arena, an optional
 * per-section profile, and a sticky error. Layer wrappers allocate their
 * outputs from the arena and do nothing once an error is set, so a network
 * reads as a straight sequence of calls and checks for failure once, at the end.
 */
#ifndef SC_NETS_NETCTX_H
#define SC_NETS_NETCTX_H

#include <stdint.h>

#include "core/arena.h"
#include "core/tensor.h"
#include "ops/ops.h"
#include "skychange.h"

#define SC_PROFILE_MAX_SECTIONS 64

typedef struct sc_section_stat {
    char name[32];
    double conv_seconds, other_seconds;
    double macs; /* multiply-adds of the convolutions and matmuls */
    int convs;
} sc_section_stat;

#define SC_PROFILE_MAX_LAYERS 256

/* One convolution of a profiled run. */
typedef struct sc_layer_stat {
    char section[32];
    const void *conv; /* calls of one convolution within a run of its section (bands) add up */
    int cin, cout, k, stride, dilation, in_h, in_w;
    const char *algorithm; /* sc_conv_algorithm_name */
    double seconds, macs;
} sc_layer_stat;

typedef struct sc_profile {
    int count;
    sc_section_stat sections[SC_PROFILE_MAX_SECTIONS];
    int layer_count; /* layers past SC_PROFILE_MAX_LAYERS are not kept */
    sc_layer_stat layers[SC_PROFILE_MAX_LAYERS];
} sc_profile;

typedef struct sc_net_ctx {
    sc_arena *arena;
    sc_profile *profile; /* NULL: no timing */
    const char *section; /* where time is booked: "stage3", "down1", ... */
    sc_status status;
    sc_error *err;
    int repeat; /* 1 while a band after the first runs: its products are not counted again */
} sc_net_ctx;

static inline int sc_failed(const sc_net_ctx *ctx) { return ctx->status != SC_OK; }

/* A fresh uninitialised tensor from the arena (data NULL after a failure). */
sc_tensor sc_new(sc_net_ctx *ctx, int c, int h, int w);
/* Channels [c0, c0+n) of t as a tensor sharing t's memory. */
sc_tensor sc_channels(const sc_tensor *t, int c0, int n);

/* out = act(conv(in)) (act an SC_ACT_*: 0 none, 1 ReLU) into a new tensor, or
 * into *out. */
sc_tensor sc_conv_new(sc_net_ctx *ctx, const sc_conv *cv, const sc_tensor *in, int act);
void sc_conv_into(sc_net_ctx *ctx, const sc_conv *cv, const sc_tensor *in, sc_tensor *out,
                  int act);
/* act(conv(unpooled)) into a new tensor, where unpooled is the h x w map
 * sc_maxunpool2x2(pooled, where) makes: a layer that keeps the size and runs
 * as row loops reads it unpooled on the fly (sc_conv2d_unpooled), others get
 * it made first (below their output). */
sc_tensor sc_conv_unpooled_new(sc_net_ctx *ctx, const sc_conv *cv, const sc_tensor *pooled,
                               const uint8_t *where, int h, int w, int act);
/* act(conv(in)) of a 1x1 layer with no more output channels than input ones,
 * over in's first channels (returned as a tensor there): for a layer whose
 * input dies with it (sc_conv2d_over_input). */
sc_tensor sc_conv_over(sc_net_ctx *ctx, const sc_conv *cv, sc_tensor *in, int act);
/* out = depthwise 3x3 conv(in) (+ReLU6) into a new tensor (sc_depthwise3x3). */
sc_tensor sc_depthwise_new(sc_net_ctx *ctx, const sc_conv *cv, const sc_tensor *in, int relu6);
/* Bilinear align_corners resize to h x w, into a new tensor or into *out. */
sc_tensor sc_upsample(sc_net_ctx *ctx, const sc_tensor *in, int h, int w);
void sc_upsample_into(sc_net_ctx *ctx, const sc_tensor *in, sc_tensor *out);
/* acc = acc + x (+ReLU), in place. */
void sc_accumulate(sc_net_ctx *ctx, sc_tensor *acc, const sc_tensor *x, int relu);
void sc_copy_into(sc_net_ctx *ctx, const sc_tensor *in, sc_tensor *out);
/* C = op(A) op(B), booked as multiply-adds. */
void sc_gemm(sc_net_ctx *ctx, const float *a, int trans_a, const float *b, int trans_b, float *c,
             int m, int n, int k);

/* Marks the context failed (keeps the first error). Returns the status. */
sc_status sc_ctx_fail(sc_net_ctx *ctx, sc_status status, const char *what);

/* The arena offset just past t (t must be the top allocation's start or below). */
size_t sc_mark_after(const sc_net_ctx *ctx, const sc_tensor *t);

#define SC_KEEP_MAX 16 /* live tensors one sc_keep can move */

/*
 * Releases dead activations under live ones: moves the n live tensors (all
 * allocated at or above `mark`) down so they start at `mark`, packed, and
 * ends the arena after them. Cheap next to the convolutions that made them,
 * and it keeps the peak at what is really alive. n <= SC_KEEP_MAX.
 */
void sc_keep(sc_net_ctx *ctx, size_t mark, sc_tensor *const *live, int n);
/* The same for raw buffers (pooling indices with their tensors). */
void sc_keep_buffers(sc_arena *a, size_t mark, void **ptrs, const size_t *bytes, int n);

/* Profile bookkeeping (no-ops without a profile). is_conv: 0 other work, 1 a
 * convolution, 2 one more band of the convolution before it (not counted
 * again). */
double sc_prof_start(const sc_net_ctx *ctx);
void sc_prof_stop(sc_net_ctx *ctx, double t0, double macs, int is_conv);
/* The last convolution recorded ran in bands: its input was `h` rows in all. */
void sc_prof_full_height(sc_net_ctx *ctx, int h);
/* Layers recorded so far; with sc_prof_full_size, the layers recorded since
 * `from` ran in bands of pixels of an h x w map. */
int sc_prof_layers(const sc_net_ctx *ctx);
void sc_prof_full_size(sc_net_ctx *ctx, int from, int h, int w);

#endif
