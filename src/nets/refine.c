#include "nets/refine.h"

#include <stdio.h>
#include <string.h>

#include "core/parallel.h"

#define REFINE_PRECISE_MAX_CIN 128
#define REFINE_SMALL_TILES_MIN_CIN 64

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
    /* The encoder's 3x3 layers feed max-pools whose indices place the
     * decoder's unpooling, and Winograd's rounding on 4x4 output tiles (about
     * 5e-6 relative, against 1e-7 for im2col) picks the other value of a
     * near-tie window often enough to move alpha by up to 4.9e-4 when the
     * layers of at most 128 input channels take it (docs/parity.md). Those of
     * 64 to 128 run on 2x2 tiles instead (transforms that only add and
     * subtract, 1e-7 to 5e-7), except on the first level, whose pooling
     * places the last unpooling at full size: there even 2x2 tiles moved
     * alpha by up to 1.2e-4, so it keeps im2col, as do narrower layers, which
     * gain nothing measurable from 2x2 tiles (the small models' 32 -> 32 at
     * 160: 3.6 ms either way) and so keep their results. Deeper layers are
     * not affected measurably, and keep 4x4 tiles. */
    sc_loader encoder = *ld;
    for (int l = 0; l < SC_REFINE_LEVELS; l++) {
        net->convs[l] = l < 2 ? 2 : 3;
        for (int i = 0; i < net->convs[l]; i++) {
            char base[64];
            snprintf(base, sizeof base, "down%d.conv%d.cbr_unit.", l + 1, i + 1);
            int in = i > 0 ? w[l] : l > 0 ? w[l - 1] : cfg->in_channels;
            if (l == 0)
                encoder.precise_3x3 = SC_3X3_IM2COL;
            else if (in > REFINE_PRECISE_MAX_CIN)
                encoder.precise_3x3 = SC_3X3_FAST;
            else
                encoder.precise_3x3 =
                    in >= REFINE_SMALL_TILES_MIN_CIN ? SC_3X3_SMALL_TILES : SC_3X3_IM2COL;
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

/* About this much of the first level's last convolution's output is made at a
 * time: bands that small bound the memory, and fewer, larger ones cost less in
 * copies and thread wake-ups. A band's input copy and output take two such
 * blocks, so only maps of more than four are made in bands (the original's
 * 64-channel map at 1280, 420 MB; not the small models' 8-channel one, 52 MB). */
#define POOL_BAND_BYTES ((size_t)32 << 20)

/* 1 when cv keeps the map's size (stride 1, "same" padding): then a band of
 * output rows needs only the input rows it spans, `pad` more on each side. */
static int keeps_size(const sc_conv *cv)
{
    return cv->stride == 1 && cv->kh == cv->kw && 2 * cv->pad == (cv->kh - 1) * cv->dilation;
}

/* pooled, idx = maxpool2x2(act(conv(in))) with the conv's output made in bands
 * of rows (an even count), each pooled at once: at the 1280 canvas the first
 * level's 64-channel output is 420 MB, of which only the maxima and their
 * places live on. Each band's input is its rows and `pad` more each side, zero
 * beyond the map, convolved with the layer's own padding; the rows that padding
 * made up are dropped. */
static void conv_pool_bands(sc_net_ctx *ctx, const sc_conv *cv, const sc_tensor *in,
                            size_t band_bytes, sc_tensor *pooled, uint8_t *idx)
{
    sc_arena *a = ctx->arena;
    const int halo = cv->pad, h = 2 * pooled->h;
    const size_t plane = (size_t)in->h * (size_t)in->w, row_bytes = (size_t)in->w * sizeof(float);
    const size_t out_row_bytes = (size_t)cv->cout * row_bytes;
    const size_t even_rows = band_bytes / out_row_bytes / 2 * 2;
    const int band_rows = even_rows < 2 ? 2 : even_rows > (size_t)h ? h : (int)even_rows;
    for (int y0 = 0; y0 < h && !sc_failed(ctx); y0 += band_rows) {
        const int rows = h - y0 < band_rows ? h - y0 : band_rows;
        const size_t mark = sc_arena_mark(a);
        sc_tensor band_in = sc_new(ctx, in->c, rows + 2 * halo, in->w);
        if (sc_failed(ctx))
            return;
        const long band_rows_all = (long)in->c * band_in.h;
#pragma omp parallel for num_threads(sc_get_threads()) if (band_rows_all * in->w >= SC_PARALLEL_MIN_VALUES) schedule(static)
        for (long cr = 0; cr < band_rows_all; cr++) {
            const int c = (int)(cr / band_in.h), r = (int)(cr % band_in.h), y = y0 - halo + r;
            float *dst = sc_tensor_at(&band_in, c, r, 0);
            if (y < 0 || y >= in->h)
                memset(dst, 0, row_bytes);
            else
                memcpy(dst, in->data + (size_t)c * plane + (size_t)y * (size_t)in->w, row_bytes);
        }
        sc_tensor band_out = sc_conv_new(ctx, cv, &band_in, 1);
        sc_prof_full_height(ctx, in->h);
        if (!sc_failed(ctx))
            sc_maxpool2x2_indices_rows(&band_out, halo, y0 / 2, rows / 2, pooled, idx);
        sc_arena_reset(a, mark);
    }
}

/* Places a level's pooling places and pooled map from base up, over the
 * level's dead input and maps, when they end below its last map t (which the
 * pooling reads): then nothing moves after. Returns 0 where they do not fit. */
static int pooled_below(sc_arena *a, size_t base, const sc_tensor *t, uint8_t **where,
                        sc_tensor *pooled)
{
    const size_t count = (size_t)t->c * (size_t)(t->h / 2) * (size_t)(t->w / 2);
    const size_t where_at = sc_arena_align_up(base);
    const size_t pooled_at = sc_arena_align_up(where_at + count);
    if (pooled_at + count * sizeof(float) > offset_of(a, t->data))
        return 0;
    *where = a->base + where_at;
    *pooled = (sc_tensor){t->c, t->h / 2, t->w / 2, (float *)(void *)(a->base + pooled_at)};
    return 1;
}

/*
 * Memory: the arena holds, bottom to top, the caller's input, then each
 * level's pooling places (a byte per pooled value), then the current
 * activation. A level's convs run above its input; when they are done the
 * input is dead, and the pooled output and its places are written over it
 * (pooled_below), or moved down over it where they do not fit under the last
 * map. The decoder releases each level's places with the activation that used
 * them, and its row-loop layers read the unpooled map straight from the pooled
 * one (sc_conv_unpooled_new). The first level's last conv runs in bands pooled
 * as they come (conv_pool_bands), its pooled map and places placed first, so at
 * 1280x1280 the encoder's peak is one 64-channel map (420 MB) and the pooled
 * map with its places, not two 64-channel maps (2 x 420 MB).
 */
sc_tensor sc_refine_forward(sc_net_ctx *ctx, const sc_refine_net *net, const sc_tensor *x)
{
    return sc_refine_forward_bands(ctx, net, x, POOL_BAND_BYTES);
}

sc_tensor sc_refine_forward_bands(sc_net_ctx *ctx, const sc_refine_net *net, const sc_tensor *x,
                                  size_t band_bytes)
{
    sc_arena *a = ctx->arena;
    const size_t start = sc_arena_mark(a);
    uint8_t *idx[SC_REFINE_LEVELS] = {0};
    int pre_h[SC_REFINE_LEVELS], pre_w[SC_REFINE_LEVELS];
    sc_tensor aspp_out = {0, 0, 0, NULL};
    sc_tensor cur = *x;
    size_t base = start; /* where the current level may start overwriting */

    for (int l = 0; l < SC_REFINE_LEVELS; l++) {
        ctx->section = down_names[l];
        const sc_conv *last = &net->down[l][net->convs[l] - 1];
        /* The first level's last convolution runs in bands, pooled as they come. */
        const size_t map_bytes = (size_t)last->cout * (size_t)cur.h * (size_t)cur.w * sizeof(float);
        int level_keeps_size = 1;
        for (int i = 0; i < net->convs[l]; i++)
            level_keeps_size &= keeps_size(&net->down[l][i]);
        const int banded = l == 0 && net->convs[l] > 1 && level_keeps_size &&
                           map_bytes / 4 > band_bytes;
        sc_tensor pooled = {0, 0, 0, NULL};
        size_t count = 0;
        if (banded) {
            /* The pooled map and its indices are known before the first
             * convolution: placed first, at base, they need no move after. */
            count = (size_t)last->cout * (size_t)(cur.h / 2) * (size_t)(cur.w / 2);
            idx[l] = sc_arena_alloc(a, count * sizeof(uint8_t));
            if (!idx[l]) {
                sc_ctx_fail(ctx, SC_ERR_NO_MEMORY, "out of workspace memory for pooling indices");
                return cur;
            }
            pooled = sc_new(ctx, last->cout, cur.h / 2, cur.w / 2);
            base = sc_arena_mark(a);
        }
        sc_tensor t = sc_conv_new(ctx, &net->down[l][0], &cur, 1);
        for (int i = 1; i < net->convs[l] - banded; i++) {
            sc_tensor next = sc_conv_new(ctx, &net->down[l][i], &t, 1);
            /* The level's last map stays where it is: the pooling writes under it. */
            if (i + 1 < net->convs[l] - banded) {
                sc_tensor *live[] = {&next};
                sc_keep(ctx, base, live, 1);
            }
            t = next;
        }
        if (sc_failed(ctx))
            return t;
        pre_h[l] = t.h;
        pre_w[l] = t.w;
        if (banded) {
            conv_pool_bands(ctx, last, &t, band_bytes, &pooled, idx[l]);
            if (sc_failed(ctx))
                return t;
            sc_arena_reset(a, sc_mark_after(ctx, &pooled)); /* t is dead */
        } else if (pooled_below(a, base, &t, &idx[l], &pooled)) {
            sc_maxpool2x2_indices(&t, &pooled, idx[l]);
            sc_arena_reset(a, sc_mark_after(ctx, &pooled)); /* t is dead */
        } else {
            count = (size_t)t.c * (size_t)(t.h / 2) * (size_t)(t.w / 2);
            /* Indices first, so the pooled map is on top and the next level
             * can overwrite it once its first conv has read it. */
            idx[l] = sc_arena_alloc(a, count * sizeof(uint8_t));
            if (!idx[l]) {
                sc_ctx_fail(ctx, SC_ERR_NO_MEMORY, "out of workspace memory for pooling indices");
                return t;
            }
            pooled = sc_new(ctx, t.c, t.h / 2, t.w / 2);
            if (sc_failed(ctx))
                return t;
            sc_maxpool2x2_indices(&t, &pooled, idx[l]);
            if (sc_failed(ctx))
                return t;
            void *ptrs[2] = {idx[l], pooled.data};
            size_t bytes[2] = {count * sizeof(uint8_t), count * sizeof(float)};
            sc_keep_buffers(a, base, ptrs, bytes, 2);
            idx[l] = ptrs[0];
            pooled.data = ptrs[1];
        }
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
        sc_tensor y = sc_conv_unpooled_new(ctx, &net->up[l], &cur, idx[l], pre_h[l], pre_w[l], 0);
        if (sc_failed(ctx))
            return cur;
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
