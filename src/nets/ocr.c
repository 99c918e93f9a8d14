#include "nets/ocr.h"

#include <math.h>

#define OBJ "ocr_distri_head.object_context_block."

sc_status sc_ocr_load(sc_loader *ld, sc_ocr *o, const sc_coarse_cfg *cfg, int in_channels,
                      sc_error *err)
{
    const int c = in_channels, m = cfg->ocr_mid, kc = cfg->ocr_key, k = cfg->class_num;
    o->mid = m;
    o->key = kc;
    o->scale = cfg->ocr_scale;
    o->classes = k;
    sc_status s;
    if ((s = sc_load_conv_bn(ld, &o->aux_mid, "aux_head.", "0", "1", sc_shape(c, c, 1, 1, 1),
                             err)) != SC_OK ||
        (s = sc_load_conv(ld, &o->aux_out, "aux_head.", "3", sc_shape(c, k, 1, 1, 1), err)) != SC_OK ||
        (s = sc_load_conv_bn(ld, &o->conv3x3, "conv3x3_ocr.", "0", "1", sc_shape(c, m, 3, 1, 1),
                             err)) != SC_OK ||
        (s = sc_load_conv_bn(ld, &o->pixel[0], OBJ "f_pixel.", "0", "1.0", sc_shape(m, kc, 1, 1, 0),
                             err)) != SC_OK ||
        (s = sc_load_conv_bn(ld, &o->pixel[1], OBJ "f_pixel.", "2", "3.0", sc_shape(kc, kc, 1, 1, 0),
                             err)) != SC_OK ||
        (s = sc_load_conv_bn(ld, &o->object[0], OBJ "f_object.", "0", "1.0",
                             sc_shape(m, kc, 1, 1, 0), err)) != SC_OK ||
        (s = sc_load_conv_bn(ld, &o->object[1], OBJ "f_object.", "2", "3.0",
                             sc_shape(kc, kc, 1, 1, 0), err)) != SC_OK ||
        (s = sc_load_conv_bn(ld, &o->down, OBJ "f_down.", "0", "1.0", sc_shape(m, kc, 1, 1, 0),
                             err)) != SC_OK ||
        (s = sc_load_conv_bn(ld, &o->up, OBJ "f_up.", "0", "1.0", sc_shape(kc, m, 1, 1, 0), err)) !=
            SC_OK ||
        (s = sc_load_conv_bn(ld, &o->fuse, "ocr_distri_head.conv_bn_dropout.", "0", "1.0",
                             sc_shape(2 * m, m, 1, 1, 0), err)) != SC_OK)
        return s;
    return SC_OK;
}

/*
 * Memory: concat([context, f]) is allocated first and f and the context are
 * written straight into its halves; everything else (aux logits, queries,
 * similarities) lives above it and is dropped as soon as it is dead, so the
 * peak is the concat plus one Kc-channel map or two. The fusing 1x1 layer
 * writes its output over the concat's first half.
 */
sc_tensor sc_ocr_forward(sc_net_ctx *ctx, const sc_ocr *o, const sc_tensor *x)
{
    const int m = o->mid, kc = o->key, k = o->classes;
    const int n = x->h * x->w;
    sc_tensor cat = sc_new(ctx, 2 * m, x->h, x->w);
    const size_t above_cat = sc_arena_mark(ctx->arena);
    sc_tensor *live[1];

    ctx->section = "conv3x3_ocr";
    sc_tensor f = sc_channels(&cat, m, m);
    sc_conv_into(ctx, &o->conv3x3, x, &f, 1);

    ctx->section = "aux_head";
    sc_tensor aux = sc_conv_new(ctx, &o->aux_mid, x, 1);
    sc_tensor probs = sc_conv_new(ctx, &o->aux_out, &aux, 0);

    /* Spatial gather: softmax of each class over the pixels, then the
     * class-weighted mean feature, as an M-channel K x 1 "image". */
    ctx->section = "ocr";
    if (!sc_failed(ctx))
        sc_softmax_rows(probs.data, k, n);
    sc_tensor proxy = sc_new(ctx, m, k, 1);
    sc_gemm(ctx, f.data, 0, probs.data, 1, proxy.data, m, k, n);
    live[0] = &proxy;
    sc_keep(ctx, above_cat, live, 1);
    const size_t above_proxy = sc_arena_mark(ctx->arena);

    /* Object attention: keys and values of the K class centres... */
    sc_tensor key = sc_conv_new(ctx, &o->object[0], &proxy, 1);
    key = sc_conv_new(ctx, &o->object[1], &key, 1);
    sc_tensor value = sc_conv_new(ctx, &o->down, &proxy, 1);

    /* ...queries of every (pooled) pixel. */
    sc_tensor px = f;
    if (o->scale > 1) {
        px = sc_new(ctx, m, x->h / o->scale, x->w / o->scale);
        if (!sc_failed(ctx))
            sc_maxpool(&f, o->scale, &px);
    }
    const int np = px.h * px.w;
    const size_t above_kv = sc_arena_mark(ctx->arena);
    sc_tensor q = sc_conv_new(ctx, &o->pixel[0], &px, 1);
    q = sc_conv_over(ctx, &o->pixel[1], &q, 1);

    sc_tensor sim = sc_new(ctx, 1, np, k); /* N' x K, row-major */
    sc_gemm(ctx, q.data, 1, key.data, 0, sim.data, np, k, kc);
    if (!sc_failed(ctx)) {
        /* A square root rounds the same on every CPU, glibc's pow not
         * necessarily (its variant is picked by CPU). */
        const float scale = (float)(1.0 / sqrt((double)kc));
        for (size_t i = 0; i < (size_t)np * (size_t)k; i++)
            sim.data[i] = scale * sim.data[i];
        sc_softmax_rows(sim.data, np, k);
    }
    live[0] = &sim;
    sc_keep(ctx, above_kv, live, 1); /* the queries are dead */
    sc_tensor context = sc_new(ctx, kc, px.h, px.w); /* value . sim^T, Kc x N' */
    sc_gemm(ctx, value.data, 0, sim.data, 1, context.data, kc, np, k);

    sc_tensor ctx_out = sc_channels(&cat, 0, m);
    if (o->scale > 1) {
        sc_tensor up = sc_conv_new(ctx, &o->up, &context, 1);
        sc_upsample_into(ctx, &up, &ctx_out);
    } else {
        sc_conv_into(ctx, &o->up, &context, &ctx_out, 1);
    }
    sc_arena_reset(ctx->arena, above_proxy);

    /* The fused map over the concat's first half: it starts at mark. */
    sc_tensor g = sc_conv_over(ctx, &o->fuse, &cat, 1);
    if (!sc_failed(ctx))
        sc_arena_reset(ctx->arena, sc_mark_after(ctx, &g));
    return g;
}
