#include "nets/refine.h"

#include <stdio.h>
#include <string.h>

#include "core/parallel.h"
#include "ops/conv_plan.h"

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

/* About this much of a level's last convolution's output is made at a time:
 * bands that small bound the memory, and fewer, larger ones cost less in
 * copies and thread wake-ups. A band's input, maps and output take a few such
 * blocks, so only maps of more than four are made in bands (the original's
 * first two levels at 1280: 420 and 210 MB; not the small models' 8-channel
 * first level, 52 MB). */
#define POOL_BAND_BYTES ((size_t)32 << 20)

/* Band inputs start on rows that are multiples of this: the largest Winograd
 * tile, so that every layer's tiles fall on the rows they fall on in the whole
 * map, and each value is computed from the same numbers in the same order. */
#define BAND_ROW_ALIGN 4

/* 1 when cv keeps the map's size (stride 1, "same" padding): then a band of
 * output rows needs only the input rows it spans, `pad` more on each side. */
static int keeps_size(const sc_conv *cv)
{
    return cv->stride == 1 && cv->kh == cv->kw && 2 * cv->pad == (cv->kh - 1) * cv->dilation;
}

/* Rows of the tiles cv makes its output in on an h x w map (1: any row alone). */
static int tile_rows(const sc_conv *cv, int h, int w)
{
    sc_conv_plan plan;
    if (sc_conv_plan_make(cv, h, w, &plan) == 0 && plan.algorithm == SC_CONV_WINOGRAD)
        return plan.grid.side;
    return 1;
}

static int floor_to(int v, int m) { return v >= 0 ? v / m * m : -((-v + m - 1) / m * m); }
static int ceil_to(int v, int m) { return -floor_to(-v, m); }

/* The input rows [*lo, *hi) a band of the chain's output rows [*lo, *hi) needs:
 * each layer's whole tiles (tiles[i] rows) over its output rows, and its
 * padding around them. */
static void rows_needed(const sc_conv *const *convs, const int *tiles, int n, int *lo, int *hi)
{
    for (int i = n - 1; i >= 0; i--) {
        *lo = floor_to(*lo, tiles[i]) - convs[i]->pad;
        *hi = ceil_to(*hi, tiles[i]) + convs[i]->pad;
    }
}

/* Rows outside the map [0, h) of a band whose first row is the map's row
 * `top` set to zero: what the next layer's padding reads there. */
static void zero_outside(sc_tensor *band, int top, int h)
{
    const size_t row_bytes = (size_t)band->w * sizeof(float);
    for (int c = 0; c < band->c; c++)
        for (int r = 0; r < band->h; r++)
            if (top + r < 0 || top + r >= h)
                memset(sc_tensor_at(band, c, r, 0), 0, row_bytes);
}

/* pooled, idx = maxpool2x2(act(conv_n(... act(conv_1(in))))) with the chain's
 * maps made in bands of output rows (an even count), each pooled at once: at
 * the 1280 canvas the first level's 64-channel maps are 420 MB each, of which
 * only the maxima and their places live on. Each band's input is the rows its
 * output needs (rows_needed), from a multiple of BAND_ROW_ALIGN, zero beyond
 * the map; every layer runs over the whole band with its own padding, rows
 * beyond the map are zeroed between layers, and the rows the band's edges
 * made up are never pooled. */
static void chain_pool_bands(sc_net_ctx *ctx, const sc_conv *const *convs, int n,
                             const sc_tensor *in, size_t band_bytes, sc_tensor *pooled,
                             uint8_t *idx)
{
    sc_arena *a = ctx->arena;
    const int h = 2 * pooled->h;
    const size_t plane = (size_t)in->h * (size_t)in->w, row_bytes = (size_t)in->w * sizeof(float);
    const size_t out_row_bytes = (size_t)convs[n - 1]->cout * row_bytes;
    const size_t even_rows = band_bytes / out_row_bytes / 2 * 2;
    const int band_rows = even_rows < 2 ? 2 : even_rows > (size_t)h ? h : (int)even_rows;
    int tiles[SC_REFINE_MAX_CONVS];
    for (int i = 0; i < n; i++)
        tiles[i] = tile_rows(convs[i], in->h, in->w);
    for (int y0 = 0; y0 < h && !sc_failed(ctx); y0 += band_rows) {
        const int rows = h - y0 < band_rows ? h - y0 : band_rows;
        int top = y0, bottom = y0 + rows;
        rows_needed(convs, tiles, n, &top, &bottom);
        top = floor_to(top, BAND_ROW_ALIGN);
        const size_t mark = sc_arena_mark(a);
        sc_tensor band = sc_new(ctx, in->c, bottom - top, in->w);
        if (sc_failed(ctx))
            return;
        const long band_rows_all = (long)in->c * band.h;
#pragma omp parallel for num_threads(sc_get_threads()) if (band_rows_all * in->w >= SC_PARALLEL_MIN_VALUES) schedule(static)
        for (long cr = 0; cr < band_rows_all; cr++) {
            const int c = (int)(cr / band.h), r = (int)(cr % band.h), y = top + r;
            float *dst = sc_tensor_at(&band, c, r, 0);
            if (y < 0 || y >= in->h)
                memset(dst, 0, row_bytes);
            else
                memcpy(dst, in->data + (size_t)c * plane + (size_t)y * (size_t)in->w, row_bytes);
        }
        for (int i = 0; i < n && !sc_failed(ctx); i++) {
            band = sc_conv_new(ctx, convs[i], &band, 1);
            sc_prof_full_height(ctx, in->h);
            if (i + 1 < n && !sc_failed(ctx))
                zero_outside(&band, top, in->h);
        }
        if (!sc_failed(ctx))
            sc_maxpool2x2_indices_rows(&band, y0 - top, y0 / 2, rows / 2, pooled, idx);
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

/* A level's pooled map (c x h/2 x w/2) with its pooling places below it, on
 * top of the arena. 0 when the workspace is full (ctx failed). */
static int new_pooled(sc_net_ctx *ctx, int c, int h, int w, uint8_t **idx, sc_tensor *pooled)
{
    const size_t count = (size_t)c * (size_t)(h / 2) * (size_t)(w / 2);
    *idx = sc_arena_alloc(ctx->arena, count * sizeof(uint8_t));
    if (!*idx) {
        sc_ctx_fail(ctx, SC_ERR_NO_MEMORY, "out of workspace memory for pooling indices");
        return 0;
    }
    *pooled = sc_new(ctx, c, h / 2, w / 2);
    return !sc_failed(ctx);
}

/* Moves the pooling places and the pooled map down to base, over what is dead. */
static void keep_pooled(sc_arena *a, size_t base, uint8_t **idx, sc_tensor *pooled)
{
    const size_t count = sc_tensor_size(pooled);
    void *ptrs[2] = {*idx, pooled->data};
    size_t bytes[2] = {count * sizeof(uint8_t), count * sizeof(float)};
    sc_keep_buffers(a, base, ptrs, bytes, 2);
    *idx = ptrs[0];
    pooled->data = ptrs[1];
}

/* A level's convolutions over cur, whole maps, then its pooling: the pooled
 * map and its places from base up (over the level's dead input and maps when
 * they fit under the last map, else made on top and moved down). *pre_h,
 * *pre_w: the size before pooling. 0 when ctx failed. */
static int level_convs_pool(sc_net_ctx *ctx, const sc_refine_net *net, int l,
                            const sc_tensor *cur, size_t base, sc_tensor *pooled, uint8_t **idx,
                            int *pre_h, int *pre_w)
{
    sc_arena *a = ctx->arena;
    sc_tensor t = sc_conv_new(ctx, &net->down[l][0], cur, 1);
    for (int i = 1; i < net->convs[l]; i++) {
        sc_tensor next = sc_conv_new(ctx, &net->down[l][i], &t, 1);
        /* The level's last map stays where it is: the pooling writes under it. */
        if (i + 1 < net->convs[l]) {
            sc_tensor *live[] = {&next};
            sc_keep(ctx, base, live, 1);
        }
        t = next;
    }
    if (sc_failed(ctx))
        return 0;
    *pre_h = t.h;
    *pre_w = t.w;
    if (pooled_below(a, base, &t, idx, pooled)) {
        sc_maxpool2x2_indices(&t, pooled, *idx);
        sc_arena_reset(a, sc_mark_after(ctx, pooled)); /* t is dead */
        return 1;
    }
    /* Indices first, so the pooled map is on top and the next level can
     * overwrite it once its first conv has read it. */
    if (!new_pooled(ctx, t.c, t.h, t.w, idx, pooled))
        return 0;
    sc_maxpool2x2_indices(&t, pooled, *idx);
    keep_pooled(a, base, idx, pooled);
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
 * one (sc_conv_unpooled_new). A level whose last map holds more than four
 * bands runs all its convs band by band, each band pooled as it comes
 * (chain_pool_bands): at 1280x1280 the original's first two levels keep only
 * their pooled maps and places and a band's maps, not two 64-channel maps of
 * 420 MB and then two 128-channel maps of 210 MB (workspace peak 617 -> 416 MB).
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
        /* A level whose maps are large runs in bands, pooled as they come. */
        const size_t map_bytes = (size_t)last->cout * (size_t)cur.h * (size_t)cur.w * sizeof(float);
        const sc_conv *chain[SC_REFINE_MAX_CONVS];
        int level_keeps_size = 1;
        for (int i = 0; i < net->convs[l]; i++) {
            chain[i] = &net->down[l][i];
            level_keeps_size &= keeps_size(chain[i]);
        }
        const int banded = level_keeps_size && map_bytes / 4 > band_bytes;
        sc_tensor pooled = {0, 0, 0, NULL};
        if (banded) {
            /* The pooled map and its places are known before the first
             * convolution: made above the level's input, which every band
             * reads, then moved down over it. */
            if (!new_pooled(ctx, last->cout, cur.h, cur.w, &idx[l], &pooled))
                return cur;
            pre_h[l] = cur.h;
            pre_w[l] = cur.w;
            chain_pool_bands(ctx, chain, net->convs[l], &cur, band_bytes, &pooled, idx[l]);
            if (sc_failed(ctx))
                return cur;
            keep_pooled(a, base, &idx[l], &pooled);
        } else if (!level_convs_pool(ctx, net, l, &cur, base, &pooled, &idx[l], &pre_h[l], &pre_w[l])) {
            return cur;
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
