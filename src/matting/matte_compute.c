/*
 * The sky matte of one picture (spec §1.4): refine canvas -> coarse canvas ->
 * coarse logits -> label at the refine size -> refiner -> unpad -> picture size.
 */
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/page_hints.h"
#include "core/isa.h"
#include "core/parallel.h"
#include "core/reproducible.h"
#include "imgproc/imgproc.h"
#include "matting/label.h"
#include "matting/matte_canvas.h"
#include "matting/preprocess.h"
#include "nets/model.h"
#include "nets/netctx.h"

/* Address space for one run (untouched pages cost nothing): a few of the
 * largest activation maps of either network, plus convolution scratch. */
static size_t workspace_bytes(const sc_model *m, int threads)
{
    const sc_model_config *cfg = &m->cfg;
    const sc_coarse_cfg *c = &cfg->coarse;
    int largest_view = cfg->coarse_size;
    for (int i = 0; i < cfg->coarse_views.count; i++)
        if (cfg->coarse_views.sizes[i] > largest_view)
            largest_view = cfg->coarse_views.sizes[i];
    const size_t r = (size_t)cfg->refine_size;
    size_t coarse = sc_coarse_workspace_bound(c, largest_view);
    size_t refine = (4 * (size_t)cfg->refine.widths[0] + 8) * r * r * sizeof(float);
    coarse += 2 * (size_t)c->class_num * r * r * sizeof(float); /* the label's scores */
    size_t biggest = coarse > refine ? coarse : refine;
    return biggest + sc_model_conv_scratch_bytes(m, threads) + ((size_t)256 << 20);
}

/* Crops the padding off alpha, clamps to [0,1] and resizes to w x h. */
static sc_status alpha_to_picture(sc_net_ctx *ctx, const sc_tensor *alpha, const sc_pad *pad,
                                  int w, int h, float *dst)
{
    const int cw = alpha->w - pad->left - pad->right, ch = alpha->h - pad->top - pad->bottom;
    float *crop = sc_arena_alloc(ctx->arena, (size_t)cw * (size_t)ch * sizeof(float));
    if (!crop)
        return sc_ctx_fail(ctx, SC_ERR_NO_MEMORY, "out of workspace memory for the matte");
    for (int y = 0; y < ch; y++) {
        const float *src = alpha->data + (size_t)(y + pad->top) * (size_t)alpha->w + pad->left;
        float *row = crop + (size_t)y * (size_t)cw;
        for (int x = 0; x < cw; x++)
            row[x] = src[x] < 0.0f ? 0.0f : src[x] > 1.0f ? 1.0f : src[x];
    }
    if (sc_cv_resize_f32(crop, cw, ch, dst, w, h))
        return sc_ctx_fail(ctx, SC_ERR_NO_MEMORY, "out of memory resizing the matte");
    return SC_OK;
}

/* Reads the model and nothing else shared: the activations and scratch live in
 * this call's own arena, so concurrent calls on one model never meet. */
static sc_status compute_matte(const sc_model *model, const sc_image *img,
                               const sc_matte_size *size, sc_matte *out, sc_error *err)
{
    const int r = size->refine_canvas ? size->refine_canvas : (model ? model->cfg.refine_size : 0);
    if (!model || !img || !out)
        return sc_fail(err, SC_ERR_INVALID_ARG, "sc_matte_compute: model, picture and matte are required");
    if (r != model->cfg.refine_size && (r < 32 || r % 32 != 0 || r > model->cfg.refine_size))
        return sc_fail(err, SC_ERR_INVALID_ARG,
                       "matte: refine canvas %d is not a multiple of 32 up to the model's %d", r,
                       model->cfg.refine_size);
    if (!img->rgb || img->width < 1 || img->height < 1)
        return sc_fail(err, SC_ERR_IMAGE, "picture of %dx%d has no pixels", img->width,
                       img->height);
    const int out_w = size->width ? size->width : img->width;
    const int out_h = size->height ? size->height : img->height;
    if (out_w < 1 || out_h < 1 || out_w > img->width || out_h > img->height)
        return sc_fail(err, SC_ERR_INVALID_ARG, "matte: %dx%d is not within the %dx%d picture",
                       out_w, out_h, img->width, img->height);
    memset(out, 0, sizeof *out);
    const double t_start = sc_now();
    const sc_model_config *cfg = &model->cfg;

    float *alpha_out = SC_MALLOC_LARGE((size_t)out_w * (size_t)out_h * sizeof(float));
    if (!alpha_out)
        return sc_fail(err, SC_ERR_NO_MEMORY, "out of memory for a %dx%d matte", out_w, out_h);
    sc_arena arena;
    if (sc_workspace_take(model->workspaces, workspace_bytes(model, sc_get_threads()), &arena) != 0) {
        free(alpha_out);
        return sc_fail(err, SC_ERR_NO_MEMORY, "out of memory reserving the inference workspace");
    }
    sc_net_ctx ctx = {&arena, NULL, "preprocess", SC_OK, err, 0};

    /* The refiner's input is RGB plus the label: preprocess straight into its
     * first three planes, the label goes into the fourth. */
    sc_tensor refine_in = sc_new(&ctx, 4, r, r);
    sc_pad pad = {0, 0, 0, 0};
    sc_status st = SC_OK;
    if (!sc_failed(&ctx))
        st = sc_preprocess(img, r, cfg->mean, cfg->std, refine_in.data, &pad, err);
    if (st != SC_OK)
        ctx.status = st;
    sc_tensor rgb = sc_channels(&refine_in, 0, 3);
    sc_tensor label = sc_channels(&refine_in, 3, 1);
    ctx.section = "coarse";
    double t_coarse = sc_now();
    if (!sc_failed(&ctx))
        sc_coarse_label(&ctx, model, size->views, &rgb, label.data);
    double t_refine = sc_now();

    /* Coarse only: the label plane (class 1 = sky) stands for the alpha. */
    sc_tensor alpha = size->coarse_only ? label : sc_refine_forward(&ctx, &model->refine, &refine_in);
    double t_post = sc_now();
    ctx.section = "matte";
    if (!sc_failed(&ctx))
        alpha_to_picture(&ctx, &alpha, &pad, out_w, out_h, alpha_out);
    sc_workspace_give_back(model->workspaces, &arena);

    if (sc_failed(&ctx)) {
        free(alpha_out);
        return ctx.status;
    }
    out->width = out_w;
    out->height = out_h;
    out->alpha = alpha_out;

    double t_end = sc_now();
    sc_timings *tm = sc_timings_thread();
    tm->coarse += t_refine - t_coarse;
    tm->refine += t_post - t_refine;
    tm->matte_other += (t_coarse - t_start) + (t_end - t_post);
    return SC_OK;
}

sc_status sc_matte_compute_sized(const sc_model *model, const sc_image *img, const sc_options *opt,
                                 const sc_matte_size *size, sc_matte *out, sc_error *err)
{
    sc_status st = sc_isa_check(err);
    if (st != SC_OK)
        return st;
    const int caller_threads = sc_set_threads(opt ? opt->threads : 0);
    const int caller_mode = sc_set_reproducible(opt && opt->reproducible);
    st = compute_matte(model, img, size, out, err);
    sc_set_reproducible(caller_mode);
    sc_set_threads(caller_threads);
    return st;
}

sc_status sc_matte_compute(const sc_model *model, const sc_image *img, const sc_options *opt,
                           sc_matte *out, sc_error *err)
{
    const sc_matte_size full = {0, 0, 0, 0, NULL};
    return sc_matte_compute_sized(model, img, opt, &full, out, err);
}

int sc_model_refine_size(const sc_model *model)
{
    return model->cfg.refine_size;
}
