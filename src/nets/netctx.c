#include "nets/netctx.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/error.h"
#include "ops/conv_plan.h"

sc_status sc_ctx_fail(sc_net_ctx *ctx, sc_status status, const char *what)
{
    if (ctx->status == SC_OK) {
        ctx->status = status;
        sc_fail(ctx->err, status, "%s (in %s)", what, ctx->section ? ctx->section : "network");
    }
    return ctx->status;
}

sc_tensor sc_new(sc_net_ctx *ctx, int c, int h, int w)
{
    sc_tensor t = {c, h, w, NULL};
    if (sc_failed(ctx))
        return t;
    t = sc_arena_tensor(ctx->arena, c, h, w);
    if (!t.data)
        sc_ctx_fail(ctx, SC_ERR_NO_MEMORY, "out of workspace memory for activations");
    return t;
}

sc_tensor sc_channels(const sc_tensor *t, int c0, int n)
{
    sc_tensor v = {n, t->h, t->w, NULL};
    if (t->data)
        v.data = t->data + (size_t)c0 * (size_t)t->h * (size_t)t->w;
    return v;
}

double sc_prof_start(const sc_net_ctx *ctx)
{
    return ctx->profile ? sc_now() : 0.0;
}

void sc_prof_stop(sc_net_ctx *ctx, double t0, double macs, int is_conv)
{
    sc_profile *p = ctx->profile;
    if (!p)
        return;
    double dt = sc_now() - t0;
    const char *name = ctx->section ? ctx->section : "other";
    sc_section_stat *s = NULL;
    for (int i = 0; i < p->count; i++)
        if (strcmp(p->sections[i].name, name) == 0)
            s = &p->sections[i];
    if (!s) {
        if (p->count == SC_PROFILE_MAX_SECTIONS)
            return;
        s = &p->sections[p->count++];
        memset(s, 0, sizeof *s);
        snprintf(s->name, sizeof s->name, "%s", name);
    }
    if (is_conv) {
        s->conv_seconds += dt;
        s->convs += is_conv == 1;
    } else {
        s->other_seconds += dt;
    }
    s->macs += macs;
}

/* cv's entry among the last entries of the current section, or NULL: a layer
 * run band by band, alone or with others in turn, is one entry. */
static sc_layer_stat *entry_in_run(const sc_net_ctx *ctx, const sc_conv *cv)
{
    sc_profile *p = ctx->profile;
    const char *section = ctx->section ? ctx->section : "other";
    for (int i = p->layer_count - 1; i >= 0; i--) {
        if (strncmp(p->layers[i].section, section, sizeof p->layers[i].section - 1) != 0)
            break;
        if (p->layers[i].conv == cv)
            return &p->layers[i];
    }
    return NULL;
}

static void record_layer(sc_net_ctx *ctx, const sc_conv *cv, const sc_tensor *in,
                         double seconds, double macs)
{
    sc_profile *p = ctx->profile;
    sc_layer_stat *earlier = entry_in_run(ctx, cv);
    if (earlier) {
        earlier->seconds += seconds;
        earlier->macs += macs;
        return;
    }
    if (p->layer_count >= SC_PROFILE_MAX_LAYERS)
        return;
    sc_layer_stat *l = &p->layers[p->layer_count++];
    l->conv = cv;
    sc_conv_plan plan;
    snprintf(l->section, sizeof l->section, "%s", ctx->section ? ctx->section : "other");
    l->cin = cv->cin;
    l->cout = cv->cout;
    l->k = cv->kh;
    l->stride = cv->stride;
    l->dilation = cv->dilation;
    l->in_h = in->h;
    l->in_w = in->w;
    l->algorithm =
        sc_conv_plan_make(cv, in->h, in->w, &plan) == 0 ? sc_conv_algorithm_name(&plan) : "?";
    l->seconds = seconds;
    l->macs = macs;
}

void sc_prof_full_height(sc_net_ctx *ctx, int h)
{
    if (ctx->profile && ctx->profile->layer_count > 0)
        ctx->profile->layers[ctx->profile->layer_count - 1].in_h = h;
}

int sc_prof_layers(const sc_net_ctx *ctx)
{
    return ctx->profile ? ctx->profile->layer_count : 0;
}

void sc_prof_full_size(sc_net_ctx *ctx, int from, int h, int w)
{
    if (!ctx->profile)
        return;
    for (int i = from < 0 ? 0 : from; i < ctx->profile->layer_count; i++) {
        ctx->profile->layers[i].in_h = h;
        ctx->profile->layers[i].in_w = w;
    }
}

void sc_conv_into(sc_net_ctx *ctx, const sc_conv *cv, const sc_tensor *in, sc_tensor *out,
                  int act)
{
    if (sc_failed(ctx))
        return;
    int oh = sc_conv_out_size(in->h, cv->kh, cv->stride, cv->pad, cv->dilation);
    int ow = sc_conv_out_size(in->w, cv->kw, cv->stride, cv->pad, cv->dilation);
    if (in->c != cv->cin || out->c != cv->cout || out->h != oh || out->w != ow) {
        sc_ctx_fail(ctx, SC_ERR_INVALID_ARG, "convolution shapes do not match");
        return;
    }
    double t0 = sc_prof_start(ctx);
    if (sc_conv2d(cv, in, out, act, ctx->arena) != 0) {
        sc_ctx_fail(ctx, SC_ERR_NO_MEMORY, "out of workspace memory for a convolution");
        return;
    }
    double macs = (double)cv->cout * cv->cin / cv->groups * cv->kh * cv->kw * oh * ow;
    const int band = ctx->profile && entry_in_run(ctx, cv);
    sc_prof_stop(ctx, t0, macs, band ? 2 : 1);
    if (ctx->profile)
        record_layer(ctx, cv, in, sc_now() - t0, macs);
}

sc_tensor sc_conv_unpooled_new(sc_net_ctx *ctx, const sc_conv *cv, const sc_tensor *pooled,
                               const uint8_t *where, int h, int w, int act)
{
    sc_tensor out = {0, 0, 0, NULL};
    if (sc_failed(ctx))
        return out;
    const size_t mark = sc_arena_mark(ctx->arena);
    const sc_tensor map = {pooled->c, h, w, NULL}; /* the unpooled map's shape */
    if (sc_conv_out_size(h, cv->kh, cv->stride, cv->pad, cv->dilation) == h &&
        sc_conv_out_size(w, cv->kw, cv->stride, cv->pad, cv->dilation) == w) {
        out = sc_new(ctx, cv->cout, h, w);
        if (sc_failed(ctx))
            return out;
        double t0 = sc_prof_start(ctx);
        if (sc_conv2d_unpooled(cv, pooled, where, &out, act, ctx->arena) == 0) {
            const double macs = (double)cv->cout * cv->cin * cv->kh * cv->kw * h * w;
            sc_prof_stop(ctx, t0, macs, 1);
            if (ctx->profile)
                record_layer(ctx, cv, &map, sc_now() - t0, macs);
            return out;
        }
        sc_arena_reset(ctx->arena, mark);
    }
    sc_tensor unpooled = sc_new(ctx, map.c, h, w);
    if (sc_failed(ctx))
        return unpooled;
    sc_maxunpool2x2(pooled, where, &unpooled);
    return sc_conv_new(ctx, cv, &unpooled, act);
}

sc_tensor sc_conv_over(sc_net_ctx *ctx, const sc_conv *cv, sc_tensor *in, int act)
{
    sc_tensor out = sc_channels(in, 0, cv->cout < in->c ? cv->cout : in->c);
    if (sc_failed(ctx))
        return out;
    if (in->c != cv->cin || cv->cout > cv->cin || cv->kh != 1 || cv->kw != 1 || cv->stride != 1 ||
        cv->pad != 0) {
        sc_ctx_fail(ctx, SC_ERR_INVALID_ARG, "convolution shapes do not match");
        return out;
    }
    double t0 = sc_prof_start(ctx);
    if (sc_conv2d_over_input(cv, in, act, ctx->arena) == 0) {
        const double macs = (double)cv->cout * cv->cin * in->h * in->w;
        sc_prof_stop(ctx, t0, macs, ctx->profile && entry_in_run(ctx, cv) ? 2 : 1);
        if (ctx->profile)
            record_layer(ctx, cv, in, sc_now() - t0, macs);
        return out;
    }
    /* Not a direct GEMM here (or no scratch for it): made aside, then moved. */
    const size_t mark = sc_arena_mark(ctx->arena);
    sc_tensor aside = sc_conv_new(ctx, cv, in, act);
    sc_copy_into(ctx, &aside, &out);
    sc_arena_reset(ctx->arena, mark);
    return out;
}

sc_tensor sc_conv_new(sc_net_ctx *ctx, const sc_conv *cv, const sc_tensor *in, int act)
{
    sc_tensor out = {0, 0, 0, NULL};
    if (sc_failed(ctx))
        return out;
    out = sc_new(ctx, cv->cout, sc_conv_out_size(in->h, cv->kh, cv->stride, cv->pad, cv->dilation),
                 sc_conv_out_size(in->w, cv->kw, cv->stride, cv->pad, cv->dilation));
    sc_conv_into(ctx, cv, in, &out, act);
    return out;
}

sc_tensor sc_depthwise_new(sc_net_ctx *ctx, const sc_conv *cv, const sc_tensor *in, int relu6)
{
    sc_tensor out = {0, 0, 0, NULL};
    if (sc_failed(ctx))
        return out;
    out = sc_new(ctx, cv->cout, sc_conv_out_size(in->h, cv->kh, cv->stride, cv->pad, cv->dilation),
                 sc_conv_out_size(in->w, cv->kw, cv->stride, cv->pad, cv->dilation));
    if (sc_failed(ctx))
        return out;
    double t0 = sc_prof_start(ctx);
    if (sc_depthwise3x3(cv, in, &out, relu6) != 0) {
        sc_ctx_fail(ctx, SC_ERR_INVALID_ARG, "depthwise convolution shapes do not match");
        return out;
    }
    sc_prof_stop(ctx, t0, 9.0 * out.c * out.h * out.w, 1);
    return out;
}

void sc_upsample_into(sc_net_ctx *ctx, const sc_tensor *in, sc_tensor *out)
{
    if (sc_failed(ctx))
        return;
    double t0 = sc_prof_start(ctx);
    sc_resize_bilinear_ac(in, out);
    sc_prof_stop(ctx, t0, 0.0, 0);
}

sc_tensor sc_upsample(sc_net_ctx *ctx, const sc_tensor *in, int h, int w)
{
    sc_tensor out = sc_new(ctx, in->c, h, w);
    sc_upsample_into(ctx, in, &out);
    return out;
}

void sc_accumulate(sc_net_ctx *ctx, sc_tensor *acc, const sc_tensor *x, int relu)
{
    if (sc_failed(ctx))
        return;
    double t0 = sc_prof_start(ctx);
    sc_add(acc, x, acc, relu);
    sc_prof_stop(ctx, t0, 0.0, 0);
}

void sc_copy_into(sc_net_ctx *ctx, const sc_tensor *in, sc_tensor *out)
{
    if (sc_failed(ctx))
        return;
    sc_arena_move(out->data, in->data, sc_tensor_size(in) * sizeof(float));
}

void sc_gemm(sc_net_ctx *ctx, const float *a, int trans_a, const float *b, int trans_b, float *c,
             int m, int n, int k)
{
    if (sc_failed(ctx))
        return;
    double t0 = sc_prof_start(ctx);
    sc_matmul(a, trans_a, b, trans_b, c, m, n, k);
    sc_prof_stop(ctx, t0, (double)m * n * k, ctx->repeat ? 2 : 1);
}

size_t sc_mark_after(const sc_net_ctx *ctx, const sc_tensor *t)
{
    return (size_t)((unsigned char *)t->data - ctx->arena->base) + sc_tensor_size(t) * sizeof(float);
}

void sc_keep_buffers(sc_arena *a, size_t mark, void **ptrs, const size_t *bytes, int n)
{
    /* Pack in address order so every move goes downwards (never over a live
     * buffer not yet moved). n is tiny: insertion order by a simple scan. */
    unsigned char *cursor = a->base + mark;
    int done[SC_KEEP_MAX] = {0};
    if (n > SC_KEEP_MAX)
        n = SC_KEEP_MAX;
    for (int step = 0; step < n; step++) {
        int best = -1;
        for (int i = 0; i < n; i++)
            if (!done[i] && (best < 0 || (unsigned char *)ptrs[i] < (unsigned char *)ptrs[best]))
                best = i;
        done[best] = 1;
        size_t off = sc_arena_align_up((size_t)(cursor - a->base));
        unsigned char *dst = a->base + off;
        if (dst != (unsigned char *)ptrs[best])
            sc_arena_move(dst, ptrs[best], bytes[best]);
        ptrs[best] = dst;
        cursor = dst + bytes[best];
    }
    a->used = (size_t)(cursor - a->base);
}

void sc_keep(sc_net_ctx *ctx, size_t mark, sc_tensor *const *live, int n)
{
    if (sc_failed(ctx))
        return;
    void *ptrs[SC_KEEP_MAX] = {0};
    size_t bytes[SC_KEEP_MAX] = {0};
    if (n > SC_KEEP_MAX)
        n = SC_KEEP_MAX;
    for (int i = 0; i < n; i++) {
        ptrs[i] = live[i]->data;
        bytes[i] = sc_tensor_size(live[i]) * sizeof(float);
    }
    sc_keep_buffers(ctx->arena, mark, ptrs, bytes, n);
    for (int i = 0; i < n; i++)
        live[i]->data = ptrs[i];
}
