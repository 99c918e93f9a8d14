/* Atrous spatial pyramid pooling (spec §2.7), used by both networks. */
#ifndef SC_NETS_ASPP_H
#define SC_NETS_ASPP_H

#include "nets/config.h"
#include "nets/netctx.h"
#include "nets/weights.h"

typedef struct sc_aspp {
    int present, out;
    sc_conv branch[4]; /* aspp1 (1x1), aspp2..4 (3x3 dilated) */
    sc_conv pool_conv; /* after the global average pool */
    sc_conv project;   /* 5*out -> out */
} sc_aspp;

/* Keys under "aspp_layer."; nothing is read when cfg->present is 0. */
sc_status sc_aspp_load(sc_loader *ld, sc_aspp *a, const sc_aspp_cfg *cfg, int in_channels,
                       sc_error *err);
/* Output (out channels, x's size) on top of the arena. */
sc_tensor sc_aspp_forward(sc_net_ctx *ctx, const sc_aspp *a, const sc_tensor *x);

#endif
