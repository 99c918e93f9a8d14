/*
 * The refiner (spec §3): a SegNet. Five encoder blocks of 3x3 conv+BN+ReLU
 * each end in a 2x2 max-pool that remembers where each maximum came from;
 * five decoder blocks put values back at those places and apply a 5x5
 * conv+BN. Optional ASPP on the second block's pooled output joins at up3.
 */
#ifndef SC_NETS_REFINE_H
#define SC_NETS_REFINE_H

#include "nets/aspp.h"
#include "nets/config.h"
#include "nets/netctx.h"
#include "nets/weights.h"

#define SC_REFINE_MAX_CONVS 3

typedef struct sc_refine_net {
    int convs[SC_REFINE_LEVELS];
    sc_conv down[SC_REFINE_LEVELS][SC_REFINE_MAX_CONVS]; /* down1..down5 */
    sc_conv up[SC_REFINE_LEVELS];                         /* up1..up5 */
    sc_aspp aspp;
    sc_conv aspp_join; /* conv_1x1_aspp */
    float levels[2];   /* refine.levels of the config */
} sc_refine_net;

sc_status sc_refine_load(sc_loader *ld, sc_refine_net *net, const sc_refine_cfg *cfg,
                         sc_error *err);
/* Alpha (1, h, w) in [0, 1] for x (in_channels, h, w), h and w multiples of 32,
 * left where the arena stood on entry. */
sc_tensor sc_refine_forward(sc_net_ctx *ctx, const sc_refine_net *net, const sc_tensor *x);
/* The same, with each level whose last map holds more than four bands of
 * about band_bytes made band by band through all its convolutions (the tests
 * try small ones; sc_refine_forward uses 32 MiB). The same bits either way. */
sc_tensor sc_refine_forward_bands(sc_net_ctx *ctx, const sc_refine_net *net, const sc_tensor *x,
                                  size_t band_bytes);

#endif
