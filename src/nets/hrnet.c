#include "nets/hrnet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/parallel.h"
#include "nets/side_by_side.h"

/* ---- residual blocks and layers ------------------------------------------- */

static sc_status block_load(sc_loader *ld, sc_block *b, const char *base, sc_block_type type,
                            int in, int planes, int stride, sc_error *err)
{
    sc_status s;
    int out = planes * sc_block_expansion(type);
    b->type = type;
    if (type == SC_BLOCK_BOTTLENECK) {
        if ((s = sc_load_conv_bn(ld, &b->conv1, base, "conv1", "bn1", sc_shape(in, planes, 1, 1, 0),
                                 err)) != SC_OK ||
            (s = sc_load_conv_bn(ld, &b->conv2, base, "conv2", "bn2",
                                 sc_shape(planes, planes, 3, stride, 0), err)) != SC_OK ||
            (s = sc_load_conv_bn(ld, &b->conv3, base, "conv3", "bn3", sc_shape(planes, out, 1, 1, 0),
                                 err)) != SC_OK)
            return s;
    } else {
        if ((s = sc_load_conv_bn(ld, &b->conv1, base, "conv1", "bn1",
                                 sc_shape(in, planes, 3, stride, 0), err)) != SC_OK ||
            (s = sc_load_conv_bn(ld, &b->conv2, base, "conv2", "bn2",
                                 sc_shape(planes, planes, 3, 1, 0), err)) != SC_OK)
            return s;
    }
    b->has_down = stride != 1 || in != out;
    if (b->has_down)
        return sc_load_conv_bn(ld, &b->down, base, "downsample.0", "downsample.1",
                               sc_shape(in, out, 1, stride, 0), err);
    return SC_OK;
}

static sc_tensor block_forward(sc_net_ctx *ctx, const sc_block *b, const sc_tensor *x)
{
    size_t mark = sc_arena_mark(ctx->arena);
    sc_tensor t = sc_conv_new(ctx, &b->conv1, x, 1);
    sc_tensor out;
    if (b->type == SC_BLOCK_BOTTLENECK) {
        sc_tensor u = sc_conv_new(ctx, &b->conv2, &t, 1);
        out = sc_conv_new(ctx, &b->conv3, &u, 0);
    } else {
        out = sc_conv_new(ctx, &b->conv2, &t, 0);
    }
    if (b->has_down) {
        sc_tensor r = sc_conv_new(ctx, &b->down, x, 0);
        sc_accumulate(ctx, &out, &r, 1);
    } else {
        sc_accumulate(ctx, &out, x, 1);
    }
    sc_tensor *live[] = {&out};
    sc_keep(ctx, mark, live, 1);
    return out;
}

sc_status sc_res_layer_load(sc_loader *ld, sc_res_layer *l, const char *prefix,
                            const sc_layer_cfg *cfg, int in_channels, sc_error *err)
{
    l->blocks = calloc((size_t)cfg->blocks, sizeof *l->blocks);
    if (!l->blocks)
        return sc_fail(err, SC_ERR_NO_MEMORY, "out of memory for %s", prefix);
    l->count = cfg->blocks;
    l->out_channels = cfg->channels * sc_block_expansion(cfg->block);
    for (int i = 0; i < cfg->blocks; i++) {
        char base[128];
        snprintf(base, sizeof base, "%s%d.", prefix, i);
        sc_status s = block_load(ld, &l->blocks[i], base, cfg->block,
                                 i == 0 ? in_channels : l->out_channels, cfg->channels, 1, err);
        if (s != SC_OK)
            return s;
    }
    return SC_OK;
}

void sc_res_layer_free(sc_res_layer *l)
{
    free(l->blocks);
    l->blocks = NULL;
    l->count = 0;
}

sc_tensor sc_res_layer_forward(sc_net_ctx *ctx, const sc_res_layer *l, const sc_tensor *x)
{
    size_t mark = sc_arena_mark(ctx->arena);
    sc_tensor y = block_forward(ctx, &l->blocks[0], x);
    for (int i = 1; i < l->count; i++) {
        sc_tensor next = block_forward(ctx, &l->blocks[i], &y);
        sc_tensor *live[] = {&next};
        sc_keep(ctx, mark, live, 1);
        y = next;
    }
    return y;
}

/* ---- high-resolution modules ---------------------------------------------- */

static sc_status module_load(sc_loader *ld, sc_hr_module *m, const char *prefix,
                             const sc_stage_cfg *cfg, const int *in_channels, sc_error *err)
{
    int exp = sc_block_expansion(cfg->block);
    int ch[SC_MAX_BRANCHES];
    m->branches = cfg->branches;
    for (int b = 0; b < cfg->branches; b++) {
        char base[256];
        snprintf(base, sizeof base, "%.120sbranches.%d.", prefix, b);
        sc_layer_cfg lc = {cfg->block, cfg->blocks[b], cfg->channels[b]};
        sc_status s = sc_res_layer_load(ld, &m->branch[b], base, &lc, in_channels[b], err);
        if (s != SC_OK)
            return s;
        ch[b] = cfg->channels[b] * exp;
    }
    for (int i = 0; i < cfg->branches; i++) {
        for (int j = 0; j < cfg->branches; j++) {
            char base[256];
            sc_status s = SC_OK;
            if (j > i) {
                snprintf(base, sizeof base, "%.120sfuse_layers.%d.%d.", prefix, i, j);
                s = sc_load_conv_bn(ld, &m->fuse[i][j][0], base, "0", "1",
                                    sc_shape(ch[j], ch[i], 1, 1, 0), err);
            }
            for (int k = 0; j < i && k < i - j && s == SC_OK; k++) {
                int last = k == i - j - 1;
                snprintf(base, sizeof base, "%.120sfuse_layers.%d.%d.%d.", prefix, i, j, k);
                s = sc_load_conv_bn(ld, &m->fuse[i][j][k], base, "0", "1",
                                    sc_shape(ch[j], last ? ch[i] : ch[j], 3, 2, 0), err);
            }
            if (s != SC_OK)
                return s;
        }
    }
    return SC_OK;
}

/* T(i,j) of the fusion for j != i, on top of the arena. */
static sc_tensor fuse_term(sc_net_ctx *ctx, const sc_hr_module *m, const sc_tensor *x, int i, int j)
{
    if (j > i) {
        /* conv + BN at the low resolution, then upsample (spec §2.3). */
        sc_tensor low = sc_conv_new(ctx, &m->fuse[i][j][0], &x[j], 0);
        return sc_upsample(ctx, &low, x[i].h, x[i].w);
    }
    sc_tensor t = x[j];
    for (int k = 0; k < i - j; k++) {
        int last = k == i - j - 1;
        t = sc_conv_new(ctx, &m->fuse[i][j][k], &t, !last);
    }
    return t;
}

/* A bound on the arena bytes sc_res_layer_forward(l, x) takes on `threads`:
 * a block holds its input and at most four maps of its own (bottleneck: two
 * inner maps, its output and the shortcut's), each no larger than the
 * layer's largest, besides one convolution's scratch. */
static size_t res_layer_bytes(const sc_res_layer *l, const sc_tensor *x, int threads)
{
    size_t largest = 0, scratch = 0;
    int h = x->h, w = x->w;
    for (int i = 0; i < l->count; i++) {
        const sc_block *b = &l->blocks[i];
        const sc_conv *convs[] = {&b->conv1, &b->conv2,
                                  b->type == SC_BLOCK_BOTTLENECK ? &b->conv3 : NULL,
                                  b->has_down ? &b->down : NULL};
        int oh = h, ow = w;
        for (int k = 0; k < 4; k++) {
            const sc_conv *cv = convs[k];
            if (!cv)
                continue;
            /* conv1 and the shortcut read the block's input, the others a
             * map of the block's size */
            const int in_h = k == 0 || k == 3 ? h : oh, in_w = k == 0 || k == 3 ? w : ow;
            const size_t need = sc_conv2d_scratch_bytes(cv, in_h, in_w, threads);
            scratch = need > scratch ? need : scratch;
            if (k < 3) {
                oh = sc_conv_out_size(in_h, cv->kh, cv->stride, cv->pad, cv->dilation);
                ow = sc_conv_out_size(in_w, cv->kw, cv->stride, cv->pad, cv->dilation);
            }
            const size_t map = sc_arena_align_up((size_t)cv->cout * (size_t)oh * (size_t)ow *
                                                 sizeof(float));
            largest = map > largest ? map : largest;
        }
        h = oh;
        w = ow;
    }
    return 5 * largest + scratch + SC_ARENA_ALIGN;
}

typedef struct branch_jobs {
    const sc_hr_module *m;
    const sc_tensor *x;
    sc_tensor *br;
    int first;
} branch_jobs;

static void branch_job(sc_net_ctx *ctx, int index, void *arg)
{
    branch_jobs *jobs = arg;
    const int b = jobs->first + index;
    jobs->br[b] = sc_res_layer_forward(ctx, &jobs->m->branch[b], &jobs->x[b]);
}

/* br[b] = branch b's residual layer on x[b]. The branches do about the same
 * work (twice the channels on a quarter of the pixels each) on maps of 20 to
 * 160 px, so they run side by side, as many at a time as there are threads,
 * each on its share of them (nets/side_by_side.h); a last, smaller round (3
 * branches on 2 threads) gives its branches more threads each. */
static void branches_forward(sc_net_ctx *ctx, const sc_hr_module *m, const sc_tensor *x,
                             sc_tensor *br)
{
    const int nb = m->branches, threads = sc_get_threads();
    int group = threads < nb ? threads : nb;
    if (group > SC_SIDE_BY_SIDE_MAX)
        group = SC_SIDE_BY_SIDE_MAX;
    for (int first = 0; first < nb; first += group) {
        const int n = nb - first < group ? nb - first : group;
        if (n > 1) {
            size_t bytes[SC_SIDE_BY_SIDE_MAX];
            for (int j = 0; j < n; j++)
                bytes[j] = res_layer_bytes(&m->branch[first + j], &x[first + j],
                                           sc_side_threads(threads, n, j));
            branch_jobs jobs = {m, x, br, first};
            if (sc_side_by_side(ctx, n, bytes, branch_job, &jobs))
                continue;
        }
        for (int b = first; b < first + n; b++)
            br[b] = sc_res_layer_forward(ctx, &m->branch[b], &x[b]);
    }
}

/* Replaces x[] by the module outputs, allocated on top of the arena. */
static void module_forward(sc_net_ctx *ctx, const sc_hr_module *m, sc_tensor *x)
{
    const int nb = m->branches;
    size_t mark = sc_arena_mark(ctx->arena);
    sc_tensor br[SC_MAX_BRANCHES], y[SC_MAX_BRANCHES];
    branches_forward(ctx, m, x, br);
    for (int i = 0; i < nb; i++)
        y[i] = sc_new(ctx, br[i].c, br[i].h, br[i].w);
    /* y_i = T(i,0) + T(i,1) + ... in this order; ReLU after the last term. */
    for (int i = 0; i < nb; i++) {
        size_t scratch = sc_arena_mark(ctx->arena);
        if (i == 0) {
            sc_copy_into(ctx, &br[0], &y[0]);
        } else {
            sc_tensor t = fuse_term(ctx, m, br, i, 0);
            sc_copy_into(ctx, &t, &y[i]);
        }
        sc_arena_reset(ctx->arena, scratch);
        for (int j = 1; j < nb; j++) {
            sc_tensor t = j == i ? br[i] : fuse_term(ctx, m, br, i, j);
            sc_accumulate(ctx, &y[i], &t, j == nb - 1);
            sc_arena_reset(ctx->arena, scratch);
        }
    }
    sc_tensor *live[SC_MAX_BRANCHES];
    for (int i = 0; i < nb; i++)
        live[i] = &y[i];
    sc_keep(ctx, mark, live, nb);
    for (int i = 0; i < nb; i++)
        x[i] = y[i];
}

sc_status sc_hr_stage_load(sc_loader *ld, sc_hr_stage *s, const char *prefix,
                           const sc_stage_cfg *cfg, const int *in_channels, sc_error *err)
{
    s->module = calloc((size_t)cfg->modules, sizeof *s->module);
    if (!s->module)
        return sc_fail(err, SC_ERR_NO_MEMORY, "out of memory for %s", prefix);
    s->modules = cfg->modules;
    int exp = sc_block_expansion(cfg->block);
    for (int b = 0; b < cfg->branches; b++)
        s->out_channels[b] = cfg->channels[b] * exp;
    for (int m = 0; m < cfg->modules; m++) {
        char base[128];
        snprintf(base, sizeof base, "%s.%d.", prefix, m);
        sc_status st = module_load(ld, &s->module[m], base, cfg,
                                   m == 0 ? in_channels : s->out_channels, err);
        if (st != SC_OK)
            return st;
    }
    return SC_OK;
}

void sc_hr_stage_free(sc_hr_stage *s)
{
    for (int m = 0; m < s->modules && s->module; m++)
        for (int b = 0; b < s->module[m].branches; b++)
            sc_res_layer_free(&s->module[m].branch[b]);
    free(s->module);
    s->module = NULL;
    s->modules = 0;
}

void sc_hr_stage_forward(sc_net_ctx *ctx, const sc_hr_stage *s, sc_tensor *x)
{
    size_t mark = sc_arena_mark(ctx->arena);
    const int nb = s->module[0].branches;
    for (int m = 0; m < s->modules; m++) {
        module_forward(ctx, &s->module[m], x);
        if (m > 0) {
            /* The previous module's outputs (at mark) are dead. */
            sc_tensor *live[SC_MAX_BRANCHES];
            for (int b = 0; b < nb; b++)
                live[b] = &x[b];
            sc_keep(ctx, mark, live, nb);
        }
    }
}

sc_tensor sc_concat_upsampled(sc_net_ctx *ctx, const sc_tensor *x, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        total += x[i].c;
    sc_tensor out = sc_new(ctx, total, x[0].h, x[0].w);
    sc_tensor part = sc_channels(&out, 0, x[0].c);
    sc_copy_into(ctx, &x[0], &part);
    for (int i = 1, c0 = x[0].c; i < n; c0 += x[i].c, i++) {
        part = sc_channels(&out, c0, x[i].c);
        sc_upsample_into(ctx, &x[i], &part);
    }
    return out;
}

/* ---- the backbone ---------------------------------------------------------- */

static sc_status transition_load(sc_loader *ld, sc_transition *t, int index, const int *pre,
                                 int pre_count, const int *cur, int cur_count, sc_error *err)
{
    t->branches = cur_count;
    for (int i = 0; i < cur_count; i++) {
        char base[64];
        sc_status s = SC_OK;
        if (i < pre_count) {
            t->has_conv[i] = cur[i] != pre[i];
            snprintf(base, sizeof base, "transition%d.%d.", index, i);
            if (t->has_conv[i])
                s = sc_load_conv_bn(ld, &t->conv[i], base, "0", "1",
                                    sc_shape(pre[i], cur[i], 3, 1, 0), err);
        } else {
            t->has_conv[i] = 1;
            snprintf(base, sizeof base, "transition%d.%d.0.", index, i);
            s = sc_load_conv_bn(ld, &t->conv[i], base, "0", "1",
                                sc_shape(pre[pre_count - 1], cur[i], 3, 2, 0), err);
        }
        if (s != SC_OK)
            return s;
    }
    return SC_OK;
}

/* The stem and layer1, or the encoder; fills the widths of the branches that
 * enter transition1. */
static sc_status front_load(sc_loader *ld, sc_hrnet *net, const sc_coarse_cfg *cfg, int *pre,
                            int *pre_count, sc_error *err)
{
    sc_status s;
    net->has_encoder = cfg->encoder.present;
    if (net->has_encoder) {
        if ((s = sc_mobilenet_load(ld, &net->encoder, &cfg->encoder, err)) != SC_OK)
            return s;
        net->stem_channels = net->encoder.tap_channels[0];
        *pre_count = net->encoder.tap_count - 1;
        memcpy(pre, net->encoder.tap_channels + 1, (size_t)*pre_count * sizeof *pre);
        return SC_OK;
    }
    int stem = cfg->stem_channels;
    net->stem_channels = stem;
    if ((s = sc_load_conv_bn(ld, &net->conv1, "", "conv1", "bn1", sc_shape(3, stem, 3, 2, 0),
                             err)) != SC_OK ||
        (s = sc_load_conv_bn(ld, &net->conv2, "", "conv2", "bn2", sc_shape(stem, stem, 3, 2, 0),
                             err)) != SC_OK ||
        (s = sc_res_layer_load(ld, &net->layer1, "layer1.", &cfg->layer1, stem, err)) != SC_OK)
        return s;
    pre[0] = net->layer1.out_channels;
    *pre_count = 1;
    return SC_OK;
}

sc_status sc_hrnet_load(sc_loader *ld, sc_hrnet *net, const sc_coarse_cfg *cfg, sc_error *err)
{
    int pre[SC_MAX_BRANCHES] = {0};
    int pre_count = 0;
    sc_status s = front_load(ld, net, cfg, pre, &pre_count, err);
    if (s != SC_OK)
        return s;
    net->stage_count = cfg->stage_count;
    for (int i = 0; i < cfg->stage_count; i++) {
        const sc_stage_cfg *sc = &cfg->stages[i];
        int cur[SC_MAX_BRANCHES];
        for (int b = 0; b < sc->branches; b++)
            cur[b] = sc->channels[b] * sc_block_expansion(sc->block);
        char prefix[32];
        snprintf(prefix, sizeof prefix, "stage%d", i + 2);
        if ((s = transition_load(ld, &net->transition[i], i + 1, pre, pre_count, cur, sc->branches,
                                 err)) != SC_OK ||
            (s = sc_hr_stage_load(ld, &net->stage[i], prefix, sc, cur, err)) != SC_OK)
            return s;
        memcpy(pre, cur, sizeof pre);
        pre_count = sc->branches;
    }
    net->out_channels = 0;
    for (int b = 0; b < pre_count; b++)
        net->out_channels += pre[b];
    return SC_OK;
}

void sc_hrnet_free(sc_hrnet *net)
{
    sc_mobilenet_free(&net->encoder);
    sc_res_layer_free(&net->layer1);
    for (int i = 0; i < SC_MAX_STAGES; i++)
        sc_hr_stage_free(&net->stage[i]);
}

static const char *const stage_names[SC_MAX_STAGES] = {"stage2", "stage3", "stage4"};
static const char *const transition_names[SC_MAX_STAGES] = {"transition1", "transition2",
                                                            "transition3"};

/* Stem, then layer1 as the one branch in list[]; returns the branch count
 * and sets *mark to the arena offset just above the stem. */
static int stem_layer1_forward(sc_net_ctx *ctx, const sc_hrnet *net, const sc_tensor *x,
                               sc_tensor *stem, sc_tensor *list, size_t *mark)
{
    ctx->section = "stem";
    *stem = sc_conv_new(ctx, &net->conv1, x, 1);
    *mark = sc_arena_mark(ctx->arena); /* everything above the stem */
    sc_tensor t = sc_conv_new(ctx, &net->conv2, stem, 1);

    ctx->section = "layer1";
    list[0] = sc_res_layer_forward(ctx, &net->layer1, &t);
    sc_tensor *live[] = {&list[0]};
    sc_keep(ctx, *mark, live, 1);
    return 1;
}

/* The same from the encoder: its first tap is the stem, the others the branches. */
static int encoder_forward(sc_net_ctx *ctx, const sc_hrnet *net, const sc_tensor *x,
                           sc_tensor *stem, sc_tensor *list, size_t *mark)
{
    ctx->section = "encoder";
    sc_tensor taps[SC_MAX_ENCODER_TAPS];
    sc_mobilenet_forward(ctx, &net->encoder, x, taps);
    *stem = taps[0];
    /* The taps lie packed in order: everything after the first is above the stem. */
    *mark = sc_failed(ctx) ? sc_arena_mark(ctx->arena) : sc_mark_after(ctx, stem);
    for (int i = 1; i < net->encoder.tap_count; i++)
        list[i - 1] = taps[i];
    return net->encoder.tap_count - 1;
}

void sc_hrnet_forward(sc_net_ctx *ctx, const sc_hrnet *net, const sc_tensor *x, sc_tensor *stem,
                      sc_tensor *feats)
{
    size_t mark;
    sc_tensor list[SC_MAX_BRANCHES];
    sc_tensor *live[SC_MAX_BRANCHES];
    int count = net->has_encoder ? encoder_forward(ctx, net, x, stem, list, &mark)
                                 : stem_layer1_forward(ctx, net, x, stem, list, &mark);

    for (int s = 0; s < net->stage_count; s++) {
        ctx->section = transition_names[s];
        const sc_transition *tr = &net->transition[s];
        sc_tensor next[SC_MAX_BRANCHES];
        for (int i = 0; i < tr->branches; i++) {
            const sc_tensor *src = &list[i < count ? i : count - 1];
            if (tr->has_conv[i]) {
                next[i] = sc_conv_new(ctx, &tr->conv[i], src, 1);
            } else {
                next[i] = sc_new(ctx, src->c, src->h, src->w);
                sc_copy_into(ctx, src, &next[i]);
            }
            live[i] = &next[i];
        }
        count = tr->branches;
        sc_keep(ctx, mark, live, count);

        ctx->section = stage_names[s];
        sc_hr_stage_forward(ctx, &net->stage[s], next);
        sc_keep(ctx, mark, live, count);
        memcpy(list, next, sizeof list);
    }

    ctx->section = "concat";
    *feats = sc_concat_upsampled(ctx, list, count);
    live[0] = feats;
    sc_keep(ctx, mark, live, 1);
}
