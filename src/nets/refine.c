#include "nets/refine.h"

#include <stdio.h>

#define REFINE_IM2COL_MAX_CIN 128

sc_status sc_refine_load(sc_loader *ld, sc_refine_net *net, const sc_refine_cfg *cfg,
                         sc_error *err)
{
    sc_status s;
    const int *w = cfg->widths;
    net->levels[0] = cfg->levels[0];
    net->levels[1] = cfg->levels[1];
    /* ASPP (when present) reads the second block's pooled output. */
    if ((s = sc_aspp_load(ld, &net->aspp, &cfg->aspp, w[1], err)) != SC_OK)
        return s;
    if (cfg->aspp.present &&
        (s = sc_load_conv_bn(ld, &net->aspp_join, "conv_1x1_aspp.cbr_unit.", "0", "1",
                             sc_shape(w[1] + cfg->aspp.out, w[1], 1, 1, 1), err)) != SC_OK)
        return s;
    /* The encoder's first 3x3 layers (at most 128 input channels: down1.conv2 to
     * down3.conv1 in the original) keep im2col: their outputs feed max-pools at
     * the 1280-320 canvases whose indices place the decoder's unpooling, and
     * Winograd's rounding (about 5e-6 relative, against 1e-7) picks the other
     * value of a near-tie window often enough to move alpha by up to 4.9e-4;
     * with im2col there, 1.1e-5 (docs/parity.md). Deeper layers are not
     * affected measurably, and keep Winograd. */
    sc_loader encoder = *ld;
    encoder.im2col_max_cin = REFINE_IM2COL_MAX_CIN;
    for (int l = 0; l < SC_REFINE_LEVELS; l++) {
        net->convs[l] = l < 2 ? 2 : 3;
        for (int i = 0; i < net->convs[l]; i++) {
            char base[64];
            snprintf(base, sizeof base, "down%d.conv%d.cbr_unit.", l + 1, i + 1);
            int in = i > 0 ? w[l] : l > 0 ? w[l - 1] : cfg->in_channels;
            if ((s = sc_load_conv_bn(&encoder, &net->down[l][i], base, "0", "1",
                                     sc_shape(in, w[l], 3, 1, 1), err)) != SC_OK)
                return s;
        }
        char base[64];
        snprintf(base, sizeof base, "up%d.conv.cbr_unit.", l + 1);
        int out = l > 0 ? w[l - 1] : 1;
        if ((s = sc_load_conv_bn(ld, &net->up[l], base, "0", "1", sc_shape(w[l], out, 5, 1, 1),
                                 err)) != SC_OK)
            return s;
    }
    return SC_OK;
}

static const char *const down_names[SC_REFINE_LEVELS] = {"down1", "down2", "down3", "down4",
                                                         "down5"};
static const char *const up_names[SC_REFINE_LEVELS] = {"up1", "up2", "up3", "up4", "up5"};

static size_t offset_of(const sc_arena *a, const void *p)
{
    return (size_t)((const unsigned char *)p - a->base);
}

/*
 * Memory: the arena holds, bottom to top, the caller's input, then each
 * level's pooling indices, then the current activation. A level's convs run
 * above its input; when they are done the input is dead and the pooled output
 * and its indices are moved down over it. The decoder releases each level's
 * indices with the activation that used them. At 1280x1280 the peak is the
 * first block's two 64-channel maps (2 x 420 MB) instead of the whole chain.
 */
sc_tensor sc_refine_forward(sc_net_ctx *ctx, const sc_refine_net *net, const sc_tensor *x)
{
    sc_arena *a = ctx->arena;
    const size_t start = sc_arena_mark(a);
    int32_t *idx[SC_REFINE_LEVELS] = {0};
    int pre_h[SC_REFINE_LEVELS], pre_w[SC_REFINE_LEVELS];
    sc_tensor aspp_out = {0, 0, 0, NULL};
    sc_tensor cur = *x;
    size_t base = start; /* where the current level may start overwriting */

    for (int l = 0; l < SC_REFINE_LEVELS; l++) {
        ctx->section = down_names[l];
        sc_tensor t = sc_conv_new(ctx, &net->down[l][0], &cur, 1);
        for (int i = 1; i < net->convs[l]; i++) {
            sc_tensor next = sc_conv_new(ctx, &net->down[l][i], &t, 1);
            sc_tensor *live[] = {&next};
            sc_keep(ctx, base, live, 1);
            t = next;
        }
        if (sc_failed(ctx))
            return t;
        pre_h[l] = t.h;
        pre_w[l] = t.w;
        size_t count = (size_t)t.c * (size_t)(t.h / 2) * (size_t)(t.w / 2);
        /* Indices first, so the pooled map is on top and the next level can
         * overwrite it once its first conv has read it. */
        idx[l] = sc_arena_alloc(a, count * sizeof(int32_t));
        if (!idx[l]) {
            sc_ctx_fail(ctx, SC_ERR_NO_MEMORY, "out of workspace memory for pooling indices");
            return t;
        }
        sc_tensor pooled = sc_new(ctx, t.c, t.h / 2, t.w / 2);
        if (sc_failed(ctx))
            return t;
        sc_maxpool2x2_indices(&t, &pooled, idx[l]);
        void *ptrs[2] = {idx[l], pooled.data};
        size_t bytes[2] = {count * sizeof(int32_t), count * sizeof(float)};
        sc_keep_buffers(a, base, ptrs, bytes, 2);
        idx[l] = ptrs[0];
        pooled.data = ptrs[1];
        cur = pooled;
        base = offset_of(a, pooled.data);

        if (l == 1 && net->aspp.present) {
            /* Computed now, while down2's output is at hand; joins at up3. */
            ctx->section = "aspp";
            aspp_out = sc_aspp_forward(ctx, &net->aspp, &cur);
            base = sc_arena_mark(a);
        }
    }

    for (int l = SC_REFINE_LEVELS - 1; l >= 0; l--) {
        ctx->section = up_names[l];
        sc_tensor unpooled = sc_new(ctx, cur.c, pre_h[l], pre_w[l]);
        if (sc_failed(ctx))
            return cur;
        sc_maxunpool2x2(&cur, idx[l], &unpooled);
        sc_tensor y = sc_conv_new(ctx, &net->up[l], &unpooled, 0);
        if (l == 2 && net->aspp.present) {
            ctx->section = "conv_1x1_aspp";
            sc_tensor cat = sc_new(ctx, y.c + aspp_out.c, y.h, y.w);
            sc_tensor part = sc_channels(&cat, 0, y.c);
            sc_copy_into(ctx, &y, &part);
            part = sc_channels(&cat, y.c, aspp_out.c);
            sc_copy_into(ctx, &aspp_out, &part);
            y = sc_conv_new(ctx, &net->aspp_join, &cat, 0);
        }
        /* This level's indices and everything above them are dead now. */
        sc_tensor *live[] = {&y};
        sc_keep(ctx, offset_of(a, idx[l]), live, 1);
        cur = y;
    }

    ctx->section = "up1";
    if (!sc_failed(ctx)) {
        sc_sigmoid(&cur);
        if (net->levels[0] != 0.0f || net->levels[1] != 1.0f)
            sc_levels(&cur, net->levels[0], net->levels[1]);
    }
    sc_tensor *live[] = {&cur};
    sc_keep(ctx, start, live, 1);
    return cur;
}
