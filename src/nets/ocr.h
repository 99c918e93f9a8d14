/* The OCR head (spec §2.8 steps 1-5): auxiliary logits, spatial gather and
 * object attention, producing the context-augmented features g. */
#ifndef SC_NETS_OCR_H
#define SC_NETS_OCR_H

#include "nets/config.h"
#include "nets/netctx.h"
#include "nets/weights.h"

typedef struct sc_ocr {
    int mid, key, scale, classes;
    sc_conv aux_mid, aux_out;     /* aux_head.0 (+BN .1, ReLU), aux_head.3 */
    sc_conv conv3x3;              /* conv3x3_ocr.0 (+BN .1, ReLU) */
    sc_conv pixel[2], object[2];  /* f_pixel / f_object: two CBR 1x1 each */
    sc_conv down, up;             /* f_down, f_up */
    sc_conv fuse;                 /* conv_bn_dropout */
    /* With two classes and unpooled queries the context is factored
     * (ocr.c): fuse_features is conv_bn_dropout over f's channels alone, its
     * bias included; factored says it was made. */
    sc_conv fuse_features;
    int factored;
} sc_ocr;

sc_status sc_ocr_load(sc_loader *ld, sc_ocr *o, const sc_coarse_cfg *cfg, int in_channels,
                      sc_error *err);
/* g (mid channels, x's size) on top of the arena. */
sc_tensor sc_ocr_forward(sc_net_ctx *ctx, const sc_ocr *o, const sc_tensor *x);
/* The same, with the per-pixel part in bands of about band_bytes (any size
 * gives the same bits; tests use small ones). */
sc_tensor sc_ocr_forward_bands(sc_net_ctx *ctx, const sc_ocr *o, const sc_tensor *x,
                               size_t band_bytes);

#endif
