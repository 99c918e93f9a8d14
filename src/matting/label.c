/*
 * The coarse label: what the coarse net says about each pixel of the refine
 * canvas, the refiner's fourth input.
 */
#include "matting/label.h"

#include <omp.h>

#include "core/arena.h"
#include "core/parallel.h"
#include "core/reproducible.h"
#include "nets/coarse.h"
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

/*
 * The plain and the mirrored view of one size side by side, each on half of
 * the caller's threads (the plain one takes the odd one), when it has two or
 * more: the coarse net's layers are small (maps of 8 to 160 px), and a team of
 * two spent a third of the coarse stage waiting at their ends; on many cores
 * each layer is cut for half as many workers. The plain pass runs in the arena
 * up to a bound on a pass's workspace, the mirrored one in what lies above it. The
 * same bits as one after the other (a pass's values depend neither on its
 * thread count nor on where its memory lies). Returns 0, having left the arena
 * as it found it, where it did not run them: a profile is being taken, one
 * thread, or a pass lacked memory in its share; the caller then runs them in
 * turn.
 */
static int views_side_by_side(sc_net_ctx *ctx, const sc_model *model, const sc_tensor *rgb,
                              int size, sc_tensor *scores)
{
    sc_arena *a = ctx->arena;
    if (ctx->profile || sc_get_threads() < 2 || sc_failed(ctx))
        return 0;
    const size_t mark = sc_arena_mark(a), start = sc_arena_align_up(mark);
    /* The upper pass starts where the plain one surely ends: low enough that
     * the refiner, whose peak is higher, reuses its pages. */
    const int threads = sc_get_threads(), share[2] = {(threads + 1) / 2, threads / 2};
    const size_t bound = sc_coarse_workspace_bound(&model->cfg.coarse, size) +
                         sc_model_conv_scratch_bytes(model, share[0]);
    size_t half = sc_arena_available(a) / 2;
    if (bound < half)
        half = bound;
    half = half / SC_ARENA_ALIGN * SC_ARENA_ALIGN;
    if (half == 0)
        return 0;
    const size_t capacity = a->capacity;
    sc_arena upper = {a->base + start + half, capacity - start - half, 0, 0};
    a->capacity = start + half;
    sc_error pass_err[2] = {{0}, {0}};
    sc_net_ctx pass[2] = {*ctx, *ctx};
    pass[1].arena = &upper;
    pass[0].err = &pass_err[0];
    pass[1].err = &pass_err[1];
    sc_tensor out[2];
    const int mode = sc_reproducible();
#pragma omp parallel num_threads(2)
    for (int i = omp_get_thread_num(); i < 2; i += omp_get_num_threads()) {
        /* A pass's own team must be allowed to open inside this one. The
         * setting belongs to this thread's task and ends with the region. */
        if (share[i] > 1 && omp_get_max_active_levels() <= omp_get_active_level())
            omp_set_max_active_levels(omp_get_active_level() + 1);
        const int caller_threads = sc_set_threads(share[i]);
        const int caller_mode = sc_set_reproducible(mode);
        out[i] = coarse_view(&pass[i], model, rgb, size, i, 1);
        sc_set_reproducible(caller_mode);
        sc_set_threads(caller_threads);
    }
    a->capacity = capacity;
    if (start + half + upper.peak > a->peak)
        a->peak = start + half + upper.peak;
    for (int i = 0; i < 2; i++) {
        if (pass[i].status == SC_ERR_NO_MEMORY) { /* its share was too small */
            sc_arena_reset(a, mark);
            return 0;
        }
        if (pass[i].status != SC_OK) {
            *ctx->err = pass_err[i];
            ctx->status = pass[i].status;
            return 1;
        }
    }
    *scores = out[0];
    sc_tensor *live[] = {scores};
    sc_keep(ctx, mark, live, 1); /* the plain pass's activations are dead */
    sc_accumulate(ctx, scores, &out[1], 0);
    return 1;
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
