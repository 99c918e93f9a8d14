/*
 * The coarse label: what the coarse net says about each pixel of the refine
 * canvas, the refiner's fourth input.
 */
#include "matting/label.h"

#include "core/arena.h"
#include "ops/ops.h"

/* One view of the coarse net on the refine canvas `rgb` resized to size x
 * size, optionally mirrored (its output mirrored back): the logits, or with
 * `probabilities` the class probabilities. */
static sc_tensor coarse_view(sc_net_ctx *ctx, const sc_model *model, const sc_tensor *rgb,
                             int size, int mirrored, int probabilities)
{
    sc_tensor small = sc_upsample(ctx, rgb, size, size);
    if (mirrored && !sc_failed(ctx))
        sc_flip_horizontal(&small);
    sc_tensor out = sc_coarse_forward(ctx, &model->coarse, &small);
    if (mirrored && !sc_failed(ctx))
        sc_flip_horizontal(&out);
    if (probabilities && !sc_failed(ctx))
        sc_softmax_channels(&out);
    return out;
}

void sc_coarse_label(sc_net_ctx *ctx, const sc_model *model, const sc_tensor *rgb, float *label)
{
    const sc_model_config *cfg = &model->cfg;
    const sc_coarse_views *views = &cfg->coarse_views;
    const int plain = views->count == 0, r = rgb->h; /* the refine canvas, square */
    const size_t mark = sc_arena_mark(ctx->arena);
    sc_tensor sum = {0, 0, 0, NULL};
    for (int i = 0; i < (plain ? 1 : views->count); i++) {
        const int size = plain ? cfg->coarse_size : views->sizes[i];
        const size_t view_mark = sc_arena_mark(ctx->arena);
        sc_tensor scores = coarse_view(ctx, model, rgb, size, 0, !plain);
        sc_tensor *live[] = {&scores};
        sc_keep(ctx, view_mark, live, 1); /* the coarse net's activations are dead */
        if (!plain && views->flip) { /* the mirrored view, at the same resolution */
            const size_t mirror_mark = sc_arena_mark(ctx->arena);
            sc_tensor mirrored = coarse_view(ctx, model, rgb, size, 1, 1);
            sc_accumulate(ctx, &scores, &mirrored, 0);
            sc_arena_reset(ctx->arena, mirror_mark);
        }
        sc_tensor up = sc_upsample(ctx, &scores, r, r);
        if (!sum.data) {
            sum = up; /* the first size starts the sum */
            continue;
        }
        sc_accumulate(ctx, &sum, &up, 0);
        sc_arena_reset(ctx->arena, view_mark);
    }
    if (!sc_failed(ctx))
        sc_argmax_channels(&sum, label);
    sc_arena_reset(ctx->arena, mark);
}
