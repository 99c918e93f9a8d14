#include "nets/coarse.h"

sc_status sc_coarse_load(sc_loader *ld, sc_coarse_net *net, const sc_coarse_cfg *cfg,
                         sc_error *err)
{
    sc_status s;
    net->super_first = cfg->super_first;
    net->classes = cfg->class_num;
    if ((s = sc_hrnet_load(ld, &net->backbone, cfg, err)) != SC_OK)
        return s;
    int feats = net->backbone.out_channels;
    net->has_tail = cfg->has_tail;
    if (cfg->has_tail) {
        if ((s = sc_res_layer_load(ld, &net->tail, "stage_tail.", &cfg->tail, feats, err)) != SC_OK)
            return s;
        feats = net->tail.out_channels;
    }

    const int m = cfg->ocr_mid;
    const int exp = sc_block_expansion(cfg->super.block);
    const int super_out = (cfg->super.channels[0] + cfg->super.channels[1]) * exp;
    /* Super-first: super(stem, feats) -> [ASPP] -> OCR -> cls(M).
     * OCR-first:   feats -> [ASPP] -> OCR -> super(stem, g) -> cls(super_out). */
    int super_in[2] = {net->backbone.stem_channels, cfg->super_first ? feats : m};
    int ocr_in = cfg->super_first ? super_out : feats;
    int aspp_in = ocr_in;
    if (cfg->aspp.present)
        ocr_in = cfg->aspp.out;
    int cls_in = cfg->super_first ? m : super_out;

    if ((s = sc_hr_stage_load(ld, &net->super, "stage_super", &cfg->super, super_in, err)) != SC_OK ||
        (s = sc_aspp_load(ld, &net->aspp, &cfg->aspp, aspp_in, err)) != SC_OK ||
        (s = sc_ocr_load(ld, &net->ocr, cfg, ocr_in, err)) != SC_OK ||
        (s = sc_load_conv_bn(ld, &net->cls_mid, "cls_head.", "0", "1",
                             sc_shape(cls_in, cls_in, 1, 1, 1), err)) != SC_OK ||
        (s = sc_load_conv(ld, &net->cls_out, "cls_head.", "3",
                          sc_shape(cls_in, cfg->class_num, 1, 1, 1), err)) != SC_OK)
        return s;
    return SC_OK;
}

void sc_coarse_free(sc_coarse_net *net)
{
    sc_hrnet_free(&net->backbone);
    sc_res_layer_free(&net->tail);
    sc_hr_stage_free(&net->super);
}

/* super(stem, x1) -> concat([y0, up(y1)]) at the stem's resolution. */
static sc_tensor super_stage(sc_net_ctx *ctx, const sc_coarse_net *net, const sc_tensor *stem,
                             const sc_tensor *x1)
{
    size_t mark = sc_arena_mark(ctx->arena);
    ctx->section = "super";
    sc_tensor y[2] = {*stem, *x1};
    sc_hr_stage_forward(ctx, &net->super, y);
    sc_tensor xs = sc_concat_upsampled(ctx, y, 2);
    sc_tensor *live[] = {&xs};
    sc_keep(ctx, mark, live, 1);
    return xs;
}

/* [ASPP] -> OCR head. */
static sc_tensor aspp_ocr(sc_net_ctx *ctx, const sc_coarse_net *net, const sc_tensor *x)
{
    size_t mark = sc_arena_mark(ctx->arena);
    sc_tensor in = *x;
    if (net->aspp.present) {
        ctx->section = "aspp";
        in = sc_aspp_forward(ctx, &net->aspp, x);
    }
    sc_tensor g = sc_ocr_forward(ctx, &net->ocr, &in);
    sc_tensor *live[] = {&g};
    sc_keep(ctx, mark, live, 1);
    return g;
}

sc_tensor sc_coarse_forward(sc_net_ctx *ctx, const sc_coarse_net *net, const sc_tensor *x)
{
    size_t start = sc_arena_mark(ctx->arena);
    sc_tensor stem, feats;
    sc_hrnet_forward(ctx, &net->backbone, x, &stem, &feats);
    if (sc_failed(ctx))
        return feats;
    size_t above_stem = sc_mark_after(ctx, &stem);
    sc_tensor *live[1];

    if (net->has_tail) {
        ctx->section = "tail";
        sc_tensor t = sc_res_layer_forward(ctx, &net->tail, &feats);
        live[0] = &t;
        sc_keep(ctx, above_stem, live, 1);
        feats = t;
    }

    sc_tensor head_in;
    if (net->super_first) {
        sc_tensor xs = super_stage(ctx, net, &stem, &feats);
        live[0] = &xs;
        sc_keep(ctx, start, live, 1);
        head_in = aspp_ocr(ctx, net, &xs);
    } else {
        sc_tensor g = aspp_ocr(ctx, net, &feats);
        live[0] = &g;
        sc_keep(ctx, above_stem, live, 1);
        head_in = super_stage(ctx, net, &stem, &g);
    }
    live[0] = &head_in;
    sc_keep(ctx, start, live, 1);

    ctx->section = "cls_head";
    const sc_conv *cm = &net->cls_mid;
    const int over = cm->cout <= cm->cin && cm->kh == 1 && cm->kw == 1 && cm->stride == 1 &&
                     cm->pad == 0; /* head_in dies with it */
    sc_tensor mid = over ? sc_conv_over(ctx, cm, &head_in, 1) : sc_conv_new(ctx, cm, &head_in, 1);
    sc_tensor out = sc_conv_new(ctx, &net->cls_out, &mid, 0);
    live[0] = &out;
    sc_keep(ctx, start, live, 1);
    return out;
}

size_t sc_coarse_workspace_bound(const sc_coarse_cfg *c, int size)
{
    const size_t half = (size_t)size / 2;
    size_t widest = (size_t)(2 * c->ocr_mid);
    size_t super = (size_t)(c->super.channels[0] + c->super.channels[1]) *
                   (size_t)sc_block_expansion(c->super.block);
    if (super * 2 > widest)
        widest = super * 2;
    if (c->aspp.present && (size_t)(6 * c->aspp.out) > widest)
        widest = (size_t)(6 * c->aspp.out);
    if ((size_t)(4 * c->stem_channels) > widest)
        widest = (size_t)(4 * c->stem_channels);
    if ((size_t)sc_encoder_peak_width(&c->encoder) > widest)
        widest = (size_t)sc_encoder_peak_width(&c->encoder);
    return 4 * widest * half * half * sizeof(float);
}
