/*
 * HRNet building blocks (spec §2.3) and the backbone (§2.4): residual layers,
 * high-resolution modules with multi-scale fusion, transitions, stages.
 * Each *_load reads its parameters by state-dict name; each *_forward is a
 * plain function over arena tensors.
 */
#ifndef SC_NETS_HRNET_H
#define SC_NETS_HRNET_H

#include "nets/config.h"
#include "nets/mobilenet.h"
#include "nets/netctx.h"
#include "nets/weights.h"

typedef struct sc_block {
    sc_block_type type;
    sc_conv conv1, conv2, conv3, down; /* conv3 only in bottlenecks */
    int has_down;
} sc_block;

typedef struct sc_res_layer {
    int count;
    sc_block *blocks;
    int out_channels;
} sc_res_layer;

typedef struct sc_hr_module {
    int branches;
    sc_res_layer branch[SC_MAX_BRANCHES];
    /* fuse[i][j][k]: for j > i one 1x1 conv (k = 0) applied before the upsample;
     * for j < i the chain of i-j stride-2 3x3 convs (ReLU after all but the last). */
    sc_conv fuse[SC_MAX_BRANCHES][SC_MAX_BRANCHES][SC_MAX_BRANCHES];
} sc_hr_module;

typedef struct sc_hr_stage {
    int modules;
    sc_hr_module *module;
    int out_channels[SC_MAX_BRANCHES];
} sc_hr_stage;

/* Between stages: a 3x3 conv for a branch whose width changes, and a stride-2
 * conv making the new branch from the previous last branch. */
typedef struct sc_transition {
    int branches;
    int has_conv[SC_MAX_BRANCHES];
    sc_conv conv[SC_MAX_BRANCHES];
} sc_transition;

typedef struct sc_hrnet {
    int has_encoder;      /* the encoder's taps replace conv1, conv2 and layer1 */
    sc_mobilenet encoder;
    sc_conv conv1, conv2;
    sc_res_layer layer1;
    int stage_count;
    sc_transition transition[SC_MAX_STAGES];
    sc_hr_stage stage[SC_MAX_STAGES];
    int stem_channels, out_channels; /* x_stem and the concatenated features */
} sc_hrnet;

sc_status sc_res_layer_load(sc_loader *ld, sc_res_layer *l, const char *prefix,
                            const sc_layer_cfg *cfg, int in_channels, sc_error *err);
void sc_res_layer_free(sc_res_layer *l);
/* Output allocated on top of the arena; x is left alone. */
sc_tensor sc_res_layer_forward(sc_net_ctx *ctx, const sc_res_layer *l, const sc_tensor *x);

/* A stage of HR modules; in_channels are the widths of its inputs. */
sc_status sc_hr_stage_load(sc_loader *ld, sc_hr_stage *s, const char *prefix,
                           const sc_stage_cfg *cfg, const int *in_channels, sc_error *err);
void sc_hr_stage_free(sc_hr_stage *s);
/* Replaces x[0..branches-1] by the stage outputs, allocated on top of the arena. */
void sc_hr_stage_forward(sc_net_ctx *ctx, const sc_hr_stage *s, sc_tensor *x);

/* concat([x0, up(x1), ...]) at x0's size. */
sc_tensor sc_concat_upsampled(sc_net_ctx *ctx, const sc_tensor *x, int n);

sc_status sc_hrnet_load(sc_loader *ld, sc_hrnet *net, const sc_coarse_cfg *cfg, sc_error *err);
void sc_hrnet_free(sc_hrnet *net);
/* Leaves *stem (stem_channels, 1/2 size) and then *feats (out_channels, 1/4 size)
 * on top of the arena. With an encoder, its first tap is the stem map and the
 * others are the branches that enter transition1. */
void sc_hrnet_forward(sc_net_ctx *ctx, const sc_hrnet *net, const sc_tensor *x, sc_tensor *stem,
                      sc_tensor *feats);

#endif
