#include "nets/ocr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/parallel.h"
#include "core/reproducible.h"

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
    o->factored = k == 2 && o->scale == 1;
    if (o->factored)
        s = sc_derive_conv_inputs(ld, &o->fuse, m, m, "ocr_distri_head.conv_bn_dropout.",
                                  "0 (feature inputs)", &o->fuse_features, err);
    return s;
}

/* About this many bytes of per-pixel maps are made at a time after the gather:
 * the queries, attention and context of a band of pixels, and the fusing
 * layer's input. Bands bound the memory (at 320x320 the original's concat
 * alone is 400 MB); every value is computed as on the whole map (a 1x1 layer
 * and the attention are per pixel, the products' sums run over channels). */
#define OCR_BAND_BYTES ((size_t)24 << 20)

/* The pixels [p0, p0 + count) of each channel of `map` into `band` (c x count),
 * or back from it when `back`. */
static void copy_pixels(const sc_tensor *map, sc_tensor *band, long p0, int back)
{
    const long n = (long)map->h * map->w, count = (long)band->h * band->w;
#pragma omp parallel for num_threads(sc_get_threads()) if ((long)band->c * count >= SC_PARALLEL_MIN_VALUES) schedule(static)
    for (int c = 0; c < band->c; c++) {
        float *in_map = map->data + (size_t)c * (size_t)n + (size_t)p0;
        float *in_band = band->data + (size_t)c * (size_t)count;
        if (back)
            memcpy(in_map, in_band, (size_t)count * sizeof(float));
        else
            memcpy(in_band, in_map, (size_t)count * sizeof(float));
    }
}

/* The attention of the pixels in `f_band` (m x N) over the K class centres
 * (key: Kc x K): queries, scaled products, softmax; N x K, row-major. */
static sc_tensor attention(sc_net_ctx *ctx, const sc_ocr *o, const sc_tensor *f_band,
                           const sc_tensor *key)
{
    const int k = o->classes, kc = o->key, np = f_band->h * f_band->w;
    sc_tensor q = sc_conv_new(ctx, &o->pixel[0], f_band, 1);
    q = sc_conv_over(ctx, &o->pixel[1], &q, 1);
    sc_tensor sim = sc_new(ctx, 1, np, k);
    sc_gemm(ctx, q.data, 1, key->data, 0, sim.data, np, k, kc);
    if (!sc_failed(ctx)) {
        /* A square root rounds the same on every CPU, glibc's pow not
         * necessarily (its variant is picked by CPU). */
        const float scale = (float)(1.0 / sqrt((double)kc));
        for (size_t i = 0; i < (size_t)np * (size_t)k; i++)
            sim.data[i] = scale * sim.data[i];
        sc_softmax_rows(sim.data, np, k);
    }
    return sim;
}

/* The object context of the pixels in `f_band` (m x N), into `out` (m x N):
 * their attention over the class centres (value: Kc x K) and f_up. */
static void pixel_context(sc_net_ctx *ctx, const sc_ocr *o, const sc_tensor *f_band,
                          const sc_tensor *key, const sc_tensor *value, sc_tensor *out)
{
    const int k = o->classes, kc = o->key, np = f_band->h * f_band->w;
    const size_t mark = sc_arena_mark(ctx->arena);
    sc_tensor sim = attention(ctx, o, f_band, key);
    sc_tensor context = sc_new(ctx, kc, f_band->h, f_band->w); /* value . sim^T, Kc x N */
    sc_gemm(ctx, value->data, 0, sim.data, 1, context.data, kc, np, k);
    sc_conv_into(ctx, &o->up, &context, out, 1);
    sc_arena_reset(ctx->arena, mark);
}

/*
 * The factored context (two classes, unpooled queries). A pixel's context is
 * f_up of the mix t v0 + (1 - t) v1 of the two class values, t its attention
 * to class 0; f_up is affine up to its ReLU (batch-norm folded in) and the
 * weights sum to 1, so the mix moves behind it: channel j of the context is
 * ReLU(u1_j + t (u0_j - u1_j)), u_k the affine part of f_up at v_k. The fusing
 * layer's context half sums those channels with its weights; each channel is
 * affine in t on either side of the one t where it crosses 0, so between
 * consecutive crossings the whole sum is affine in t: base + t * slope, one
 * pair per interval and output channel, summed in double once a call. A
 * pixel then costs one lookup and an add there instead of f_up's Kc x m and
 * the context half's m x m multiply-adds; the features half stays a 1x1
 * layer (fuse_features). The same sums as the direct path, up to rounding.
 */
typedef struct context_table {
    int cuts;            /* crossings strictly inside (0, 1): cut[0..cuts), ascending */
    const double *cut;
    const float *base;   /* [m][cuts + 1]: the context half of output channel o */
    const float *slope;  /* on interval i is base[o][i] + t * slope[o][i] */
} context_table;

/* A context channel j as a function of t: ReLU(u1 + t d), on just above t = 0
 * or not. */
typedef struct context_channel {
    double u1, d;
    int on_first;
} context_channel;

typedef struct crossing {
    double t;
    int channel;
} crossing;

static int earlier_crossing(const void *a, const void *b)
{
    const crossing *x = a, *y = b;
    return x->t < y->t ? -1 : x->t > y->t ? 1 : x->channel - y->channel;
}

/* The table of the call's class values (value: Kc x 2), on the arena. */
static context_table context_table_make(sc_net_ctx *ctx, const sc_ocr *o, const sc_tensor *value)
{
    context_table tab = {0, NULL, NULL, NULL};
    const int m = o->mid;
    sc_tensor u = sc_conv_new(ctx, &o->up, value, SC_ACT_NONE); /* m x 2 x 1: u[j][k] */
    sc_tensor cut_slots = sc_new(ctx, 1, 1, 2 * m + 2); /* m + 1 doubles, kept for lookups */
    context_channel *channel = malloc((size_t)m * sizeof *channel);
    crossing *order = malloc((size_t)m * sizeof *order);
    if (!channel || !order)
        sc_ctx_fail(ctx, SC_ERR_NO_MEMORY, "out of memory for the OCR context table");
    int cuts = 0;
    if (!sc_failed(ctx)) {
        for (int j = 0; j < m; j++) {
            const double u1 = u.data[2 * j + 1], d = (double)u.data[2 * j] - u1;
            channel[j] = (context_channel){u1, d, u1 > 0 || (u1 == 0 && d > 0)};
            if (d != 0 && -u1 / d > 0 && -u1 / d < 1)
                order[cuts++] = (crossing){-u1 / d, j};
        }
        qsort(order, (size_t)cuts, sizeof *order, earlier_crossing);
    }
    sc_tensor base = sc_new(ctx, m, 1, cuts + 1), slope = sc_new(ctx, m, 1, cuts + 1);
    if (!sc_failed(ctx)) {
        double *cut = (double *)(void *)cut_slots.data;
        for (int i = 0; i < cuts; i++)
            cut[i] = order[i].t;
        const int stride = o->fuse.cin; /* the context's weights are columns 0..m-1 */
#pragma omp parallel for num_threads(sc_get_threads()) if ((long)m * (m + cuts) >= SC_PARALLEL_MIN_VALUES) schedule(static)
        for (int out = 0; out < m; out++) {
            const float *w = o->fuse.weight + (size_t)out * (size_t)stride;
            double a = 0, b = 0;
            for (int j = 0; j < m; j++)
                if (channel[j].on_first) {
                    a += w[j] * channel[j].u1;
                    b += w[j] * channel[j].d;
                }
            float *row_a = base.data + (size_t)out * (size_t)(cuts + 1);
            float *row_b = slope.data + (size_t)out * (size_t)(cuts + 1);
            row_a[0] = (float)a;
            row_b[0] = (float)b;
            for (int i = 0; i < cuts; i++) {
                const context_channel *c = &channel[order[i].channel];
                const double sign = c->on_first ? -1.0 : 1.0; /* it turns off, or on */
                a += sign * w[order[i].channel] * c->u1;
                b += sign * w[order[i].channel] * c->d;
                row_a[i + 1] = (float)a;
                row_b[i + 1] = (float)b;
            }
        }
        tab = (context_table){cuts, cut, base.data, slope.data};
    }
    free(channel);
    free(order);
    return tab;
}

/* The interval of t: how many crossings lie below it. */
static int interval_of(const context_table *tab, double t)
{
    int lo = 0, hi = tab->cuts;
    while (lo < hi) {
        const int mid = (lo + hi) / 2;
        if (tab->cut[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The fused features of the pixels in `f_band` (m x N), the factored way:
 * a new m x N tensor. */
static sc_tensor fuse_factored(sc_net_ctx *ctx, const sc_ocr *o, const context_table *tab,
                               const sc_tensor *f_band, const sc_tensor *key)
{
    const int m = o->mid, np = f_band->h * f_band->w;
    sc_tensor g = sc_conv_new(ctx, &o->fuse_features, f_band, SC_ACT_NONE);
    const size_t mark = sc_arena_mark(ctx->arena);
    sc_tensor sim = attention(ctx, o, f_band, key);
    sc_tensor at = sc_new(ctx, 1, 1, np); /* each pixel's interval, int in a float slot */
    if (!sc_failed(ctx)) {
        int *interval = (int *)(void *)at.data;
        for (int p = 0; p < np; p++)
            interval[p] = interval_of(tab, sim.data[2 * (size_t)p]);
        const int width = tab->cuts + 1;
#pragma omp parallel for num_threads(sc_get_threads()) if ((long)m * np >= SC_PARALLEL_MIN_VALUES) schedule(static)
        for (int out = 0; out < m; out++) {
            float *row = g.data + (size_t)out * (size_t)np;
            const float *a = tab->base + (size_t)out * (size_t)width;
            const float *b = tab->slope + (size_t)out * (size_t)width;
            for (int p = 0; p < np; p++) {
                const int i = interval[p];
                const float v = row[p] + (a[i] + sim.data[2 * (size_t)p] * b[i]);
                row[p] = v > 0 ? v : 0;
            }
        }
    }
    sc_arena_reset(ctx->arena, mark);
    return g;
}

/*
 * Memory: f (the 3x3 layer's output) is kept whole, for the gather over all
 * pixels and the fusing layer. Everything after the gather is per pixel, so
 * it runs in bands of pixels: each band's concat([context, f]) is made in a
 * small buffer, fused, and the fused values are written over the band's f,
 * which nothing reads again. The peak is f, the input and the auxiliary
 * logits, not a concat of twice f's size beside the queries.
 * With pooled queries (scale > 1) the context is made whole at the pooled
 * size and upsampled first, as the original does; the fusing runs in bands.
 */
sc_tensor sc_ocr_forward_bands(sc_net_ctx *ctx, const sc_ocr *o, const sc_tensor *x,
                               size_t band_bytes)
{
    const int m = o->mid, kc = o->key, k = o->classes;
    const int n = x->h * x->w;
    ctx->section = "conv3x3_ocr";
    sc_tensor f = sc_conv_new(ctx, &o->conv3x3, x, 1);
    const size_t above_f = sc_mark_after(ctx, &f);
    sc_tensor *live[1];

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
    sc_keep(ctx, above_f, live, 1);

    /* Object attention: keys and values of the K class centres. */
    sc_tensor key = sc_conv_new(ctx, &o->object[0], &proxy, 1);
    key = sc_conv_new(ctx, &o->object[1], &key, 1);
    sc_tensor value = sc_conv_new(ctx, &o->down, &proxy, 1);

    sc_tensor pooled_context = {0, 0, 0, NULL}; /* scale > 1: the whole context, upsampled */
    if (o->scale > 1 && !sc_failed(ctx)) {
        const size_t mark = sc_arena_mark(ctx->arena);
        sc_tensor px = sc_new(ctx, m, x->h / o->scale, x->w / o->scale);
        if (!sc_failed(ctx))
            sc_maxpool(&f, o->scale, &px);
        sc_tensor up = sc_new(ctx, m, px.h, px.w);
        if (!sc_failed(ctx))
            pixel_context(ctx, o, &px, &key, &value, &up);
        sc_tensor whole = sc_upsample(ctx, &up, x->h, x->w);
        live[0] = &whole;
        sc_keep(ctx, mark, live, 1);
        pooled_context = whole;
    }

    context_table table = {0, NULL, NULL, NULL};
    const int factored = o->factored && !pooled_context.data && !sc_reproducible();
    if (factored)
        table = context_table_make(ctx, o, &value);

    /* Per pixel from here: bands of the map's pixels. */
    const int first_banded = sc_prof_layers(ctx);
    const size_t per_pixel = (2 * (size_t)m + 3 * (size_t)kc + (size_t)k) * sizeof(float);
    long band = (long)(band_bytes / per_pixel);
    if (band < 1)
        band = 1;
    for (long p0 = 0; p0 < n && !sc_failed(ctx); p0 += band) {
        const int count = (int)(n - p0 < band ? n - p0 : band);
        const size_t mark = sc_arena_mark(ctx->arena);
        ctx->repeat = p0 > 0;
        sc_tensor g;
        if (factored) {
            sc_tensor f_band = sc_new(ctx, m, 1, count);
            if (sc_failed(ctx))
                break;
            copy_pixels(&f, &f_band, p0, 0);
            g = fuse_factored(ctx, o, &table, &f_band, &key);
        } else {
            sc_tensor cat = sc_new(ctx, 2 * m, 1, count);
            if (sc_failed(ctx))
                break;
            sc_tensor context = sc_channels(&cat, 0, m), f_band = sc_channels(&cat, m, m);
            copy_pixels(&f, &f_band, p0, 0);
            if (pooled_context.data)
                copy_pixels(&pooled_context, &context, p0, 0);
            else
                pixel_context(ctx, o, &f_band, &key, &value, &context);
            g = sc_conv_new(ctx, &o->fuse, &cat, 1);
        }
        if (!sc_failed(ctx))
            copy_pixels(&f, &g, p0, 1);
        sc_arena_reset(ctx->arena, mark);
    }
    ctx->repeat = 0;
    sc_prof_full_size(ctx, first_banded, x->h, x->w);
    /* The fused map g is where f was. */
    sc_arena_reset(ctx->arena, above_f);
    return f;
}

sc_tensor sc_ocr_forward(sc_net_ctx *ctx, const sc_ocr *o, const sc_tensor *x)
{
    return sc_ocr_forward_bands(ctx, o, x, OCR_BAND_BYTES);
}
