/*
 * The coarse label: what the coarse net says about each pixel of the refine
 * canvas, the refiner's fourth input.
 */
#include "matting/label.h"

#include "core/arena.h"
#include "core/parallel.h"
#include "nets/coarse.h"
#include "nets/side_by_side.h"
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

/* The plain (index 0) and the mirrored view of one size. */
typedef struct view_pair {
    const sc_model *model;
    const sc_tensor *rgb;
    int size;
    sc_tensor out[2];
} view_pair;

static void view_job(sc_net_ctx *ctx, int index, void *arg)
{
    view_pair *p = arg;
    p->out[index] = coarse_view(ctx, p->model, p->rgb, p->size, index, 1);
}

/*
 * The plain and the mirrored view of one size side by side, each on half of
 * the caller's threads (nets/side_by_side.h), when it has two or more: a team
 * of two spent a third of the coarse stage waiting at the ends of the coarse
 * net's small layers. The plain pass runs in the arena up to a bound on a
 * pass's workspace, the mirrored one in what lies above it. Returns 0, having
 * left the arena as it found it, where it did not run them; the caller then
 * runs them in turn.
 */
static int views_side_by_side(sc_net_ctx *ctx, const sc_model *model, const sc_tensor *rgb,
                              int size, sc_tensor *scores)
{
    const int threads = sc_get_threads();
    if (threads < 2)
        return 0;
    const size_t mark = sc_arena_mark(ctx->arena);
    /* The upper pass starts where the plain one surely ends: low enough that
     * the refiner, whose peak is higher, reuses its pages. */
    size_t bytes[2] = {sc_coarse_workspace_bound(&model->cfg.coarse, size) +
                           sc_model_conv_scratch_bytes(model, sc_side_threads(threads, 2, 0)),
                       0};
    if (bytes[0] > sc_arena_available(ctx->arena) / 2)
        bytes[0] = sc_arena_available(ctx->arena) / 2;
    view_pair pair = {model, rgb, size, {{0, 0, 0, NULL}, {0, 0, 0, NULL}}};
    if (!sc_side_by_side(ctx, 2, bytes, view_job, &pair))
        return 0;
    if (sc_failed(ctx))
        return 1;
    *scores = pair.out[0];
    sc_tensor *live[] = {scores};
    sc_keep(ctx, mark, live, 1); /* the plain pass's activations are dead */
    sc_accumulate(ctx, scores, &pair.out[1], 0);
    return 1;
}

void sc_coarse_label(sc_net_ctx *ctx, const sc_model *model, const sc_coarse_views *views,
                     const sc_tensor *rgb, float *label)
{
    const sc_model_config *cfg = &model->cfg;
    if (!views)
        views = &cfg->coarse_views;
    const int plain = views->count == 0, r = rgb->h; /* the refine canvas, square */
    const size_t mark = sc_arena_mark(ctx->arena);
    sc_tensor sum = {0, 0, 0, NULL};
    for (int i = 0; i < (plain ? 1 : views->count); i++) {
        const int size = plain ? cfg->coarse_size : views->sizes[i];
        const size_t view_mark = sc_arena_mark(ctx->arena);
        const int mirror = !plain && views->flip;
        sc_tensor scores = {0, 0, 0, NULL};
        const int both = mirror && views_side_by_side(ctx, model, rgb, size, &scores);
        if (!both) {
            scores = coarse_view(ctx, model, rgb, size, 0, !plain);
            sc_tensor *live[] = {&scores};
            sc_keep(ctx, view_mark, live, 1); /* the coarse net's activations are dead */
        }
        if (mirror && !both) { /* the mirrored view, at the same resolution */
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
