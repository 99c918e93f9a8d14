#include "nets/mobilenet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* torchvision's names inside features.<i>.conv: with an expansion the three
 * convs are conv.0.0 (+BN conv.0.1), conv.1.0 (+conv.1.1), conv.2 (+conv.3);
 * without, the depthwise conv is conv.0.0 (+conv.0.1) and the projection
 * conv.1 (+conv.2). */
static sc_status block_load(sc_loader *ld, sc_inverted_residual *b, int index,
                            const sc_encoder_feature *f, sc_error *err)
{
    char base[64];
    snprintf(base, sizeof base, "encoder.features.%d.conv.", index);
    const int hidden = f->cin * f->expand;
    sc_status s;
    b->has_expand = f->expand != 1;
    b->residual = f->stride == 1 && f->cin == f->cout;
    if (b->has_expand) {
        if ((s = sc_load_conv_bn(ld, &b->expand, base, "0.0", "0.1",
                                 sc_shape(f->cin, hidden, 1, 1, 0), err)) != SC_OK ||
            (s = sc_load_conv_bn(ld, &b->depthwise, base, "1.0", "1.1",
                                 sc_shape_depthwise(hidden, f->stride), err)) != SC_OK ||
            (s = sc_load_conv_bn(ld, &b->project, base, "2", "3",
                                 sc_shape(hidden, f->cout, 1, 1, 0), err)) != SC_OK)
            return s;
        return SC_OK;
    }
    if ((s = sc_load_conv_bn(ld, &b->depthwise, base, "0.0", "0.1",
                             sc_shape_depthwise(hidden, f->stride), err)) != SC_OK ||
        (s = sc_load_conv_bn(ld, &b->project, base, "1", "2", sc_shape(hidden, f->cout, 1, 1, 0),
                             err)) != SC_OK)
        return s;
    return SC_OK;
}

sc_status sc_mobilenet_load(sc_loader *ld, sc_mobilenet *net, const sc_encoder_cfg *cfg,
                            sc_error *err)
{
    net->tap_count = cfg->tap_count;
    for (int k = 0; k < cfg->tap_count; k++) {
        sc_encoder_feature f;
        sc_encoder_feature_at(cfg, cfg->taps[k], &f);
        net->taps[k] = cfg->taps[k];
        net->tap_channels[k] = f.cout;
    }
    sc_status s = sc_load_conv_bn(ld, &net->stem, "encoder.features.0.", "0", "1",
                                  sc_shape(3, cfg->stem_channels, 3, 2, 0), err);
    if (s != SC_OK)
        return s;
    const int count = cfg->taps[cfg->tap_count - 1];
    if (count > 0) {
        net->blocks = calloc((size_t)count, sizeof *net->blocks);
        if (!net->blocks)
            return sc_fail(err, SC_ERR_NO_MEMORY, "out of memory for the encoder");
    }
    net->block_count = count;
    for (int i = 1; i <= count; i++) {
        sc_encoder_feature f;
        sc_encoder_feature_at(cfg, i, &f);
        if ((s = block_load(ld, &net->blocks[i - 1], i, &f, err)) != SC_OK)
            return s;
    }
    return SC_OK;
}

void sc_mobilenet_free(sc_mobilenet *net)
{
    free(net->blocks);
    net->blocks = NULL;
    net->block_count = 0;
}

/* Output on top of the arena; x is left alone. */
static sc_tensor block_forward(sc_net_ctx *ctx, const sc_inverted_residual *b, const sc_tensor *x)
{
    size_t mark = sc_arena_mark(ctx->arena);
    sc_tensor hidden = *x;
    if (b->has_expand) {
        hidden = sc_conv_new(ctx, &b->expand, x, SC_ACT_RELU6);
    }
    sc_tensor d = sc_depthwise_new(ctx, &b->depthwise, &hidden, 1);
    sc_tensor out = sc_conv_new(ctx, &b->project, &d, 0);
    if (b->residual)
        sc_accumulate(ctx, &out, x, 0); /* linear bottleneck: no ReLU after the sum */
    sc_tensor *live[] = {&out};
    sc_keep(ctx, mark, live, 1);
    return out;
}

void sc_mobilenet_forward(sc_net_ctx *ctx, const sc_mobilenet *net, const sc_tensor *x,
                          sc_tensor *taps)
{
    const size_t start = sc_arena_mark(ctx->arena);
    for (int k = 0; k < net->tap_count; k++)
        taps[k] = (sc_tensor){0, 0, 0, NULL}; /* what a failed run leaves */
    sc_tensor cur = sc_conv_new(ctx, &net->stem, x, SC_ACT_RELU6);
    int found = 0;
    for (int i = 0; found < net->tap_count && !sc_failed(ctx); i++) {
        if (i > 0)
            cur = block_forward(ctx, &net->blocks[i - 1], &cur);
        const int is_tap = i == net->taps[found];
        if (is_tap)
            taps[found++] = cur;
        /* Keep the taps so far and the current map; the previous one is dead. */
        sc_tensor *live[SC_MAX_ENCODER_TAPS + 1];
        int n = 0;
        for (int k = 0; k < found; k++)
            live[n++] = &taps[k];
        if (!is_tap)
            live[n++] = &cur;
        sc_keep(ctx, start, live, n);
        if (is_tap)
            cur = taps[found - 1];
    }
}
