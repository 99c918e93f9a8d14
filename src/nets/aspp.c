#include "nets/aspp.h"

#include <stdio.h>

sc_status sc_aspp_load(sc_loader *ld, sc_aspp *a, const sc_aspp_cfg *cfg, int in_channels,
                       sc_error *err)
{
    a->present = cfg->present;
    if (!cfg->present)
        return SC_OK;
    int o = cfg->out;
    a->out = o;
    sc_status s;
    for (int i = 0; i < 4; i++) {
        char base[64];
        snprintf(base, sizeof base, "aspp_layer.aspp%d.", i + 1);
        int k = i == 0 ? 1 : 3;
        int d = cfg->dilations[i];
        /* The 1x1 branch ignores its dilation; the 3x3 ones pad by it. */
        sc_conv_shape shape = {in_channels, o, k, 1, i == 0 ? 0 : d, i == 0 ? 1 : d, 0, 1};
        if ((s = sc_load_conv_bn(ld, &a->branch[i], base, "atrous_conv", "bn", shape, err)) != SC_OK)
            return s;
    }
    if ((s = sc_load_conv_bn(ld, &a->pool_conv, "aspp_layer.global_avg_pool.", "1", "2",
                             sc_shape(in_channels, o, 1, 1, 0), err)) != SC_OK)
        return s;
    return sc_load_conv_bn(ld, &a->project, "aspp_layer.", "conv1", "bn1", sc_shape(5 * o, o, 1, 1, 0),
                           err);
}

sc_tensor sc_aspp_forward(sc_net_ctx *ctx, const sc_aspp *a, const sc_tensor *x)
{
    size_t mark = sc_arena_mark(ctx->arena);
    const int o = a->out;
    sc_tensor cat = sc_new(ctx, 5 * o, x->h, x->w);
    for (int i = 0; i < 4; i++) {
        sc_tensor part = sc_channels(&cat, i * o, o);
        sc_conv_into(ctx, &a->branch[i], x, &part, 1);
    }

    /* Image pooling: the upsample from 1x1 with align_corners is a broadcast. */
    sc_tensor pooled = sc_new(ctx, x->c, 1, 1);
    if (!sc_failed(ctx))
        sc_global_avg_pool(x, pooled.data);
    sc_tensor v = sc_conv_new(ctx, &a->pool_conv, &pooled, 1);
    if (!sc_failed(ctx)) {
        const size_t plane = (size_t)x->h * (size_t)x->w;
        for (int c = 0; c < o; c++) {
            float *dst = sc_channels(&cat, 4 * o + c, 1).data;
            for (size_t i = 0; i < plane; i++)
                dst[i] = v.data[c];
        }
    }

    sc_tensor out = sc_conv_new(ctx, &a->project, &cat, 1);
    sc_tensor *live[] = {&out};
    sc_keep(ctx, mark, live, 1);
    return out;
}
