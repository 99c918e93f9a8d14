/*
 * The coarse segmenter (spec §2): HRNet backbone, optional tail, the "super"
 * stage that lifts the features to 1/2 resolution with the stem, optional
 * ASPP, the OCR head and the classifier, in either wiring.
 */
#ifndef SC_NETS_COARSE_H
#define SC_NETS_COARSE_H

#include "nets/aspp.h"
#include "nets/hrnet.h"
#include "nets/ocr.h"

typedef struct sc_coarse_net {
    int super_first, classes;
    sc_hrnet backbone;
    int has_tail;
    sc_res_layer tail;
    sc_hr_stage super;
    sc_aspp aspp;
    sc_ocr ocr;
    sc_conv cls_mid, cls_out; /* cls_head.0 (+BN .1, ReLU), cls_head.3 */
} sc_coarse_net;

sc_status sc_coarse_load(sc_loader *ld, sc_coarse_net *net, const sc_coarse_cfg *cfg,
                         sc_error *err);
void sc_coarse_free(sc_coarse_net *net);
/* Logits (classes, size/2, size/2) for x (3, size, size), left where the arena
 * stood on entry; every other activation is released. */
sc_tensor sc_coarse_forward(sc_net_ctx *ctx, const sc_coarse_net *net, const sc_tensor *x);
/* An upper bound on the arena a forward pass at size x size takes: a few of
 * its widest maps at half the input's side, and convolution scratch aside. */
size_t sc_coarse_workspace_bound(const sc_coarse_cfg *cfg, int size);

#endif
