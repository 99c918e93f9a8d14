/*
 * The optional MobileNetV2 encoder of the coarse net (coarse.encoder in
 * docs/model-format.md): features[0], a 3x3 stride-2 conv with ReLU6, then
 * inverted-residual blocks. Its tapped outputs stand in for the HRNet stem
 * map and the branches layer1 and the first transitions would make.
 * Parameters are read under "encoder.features.<i>." in torchvision's layout.
 */
#ifndef SC_NETS_MOBILENET_H
#define SC_NETS_MOBILENET_H

#include "nets/config.h"
#include "nets/netctx.h"
#include "nets/weights.h"

/* [1x1 expand + ReLU6] -> 3x3 depthwise + ReLU6 -> 1x1 linear [+ input]. */
typedef struct sc_inverted_residual {
    int has_expand, residual;
    sc_conv expand, depthwise, project;
} sc_inverted_residual;

typedef struct sc_mobilenet {
    sc_conv stem;               /* features[0] */
    int block_count;            /* features[1..block_count] */
    sc_inverted_residual *blocks;
    int tap_count;
    int taps[SC_MAX_ENCODER_TAPS];
    int tap_channels[SC_MAX_ENCODER_TAPS];
} sc_mobilenet;

/* Loads features[0..taps[last]]; every tensor's name and shape is checked. */
sc_status sc_mobilenet_load(sc_loader *ld, sc_mobilenet *net, const sc_encoder_cfg *cfg,
                            sc_error *err);
void sc_mobilenet_free(sc_mobilenet *net);
/* Fills taps[0..tap_count-1] with the tapped feature maps, packed in that
 * order where the arena stood on entry; every other activation is released. */
void sc_mobilenet_forward(sc_net_ctx *ctx, const sc_mobilenet *net, const sc_tensor *x,
                          sc_tensor *taps);

#endif
