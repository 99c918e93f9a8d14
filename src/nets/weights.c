#include "nets/weights.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/page_hints.h"
#include "core/parallel.h"
#include "core/reproducible.h"
#include "ops/conv_plan.h"
#include "ops/conv_prepare.h"

#define SC_BN_EPS 1e-5f

void sc_weights_free(sc_weights *w)
{
    for (int i = 0; i < w->count; i++)
        free(w->buffers[i]);
    free(w->buffers);
    free(w->pending);
    memset(w, 0, sizeof *w);
}

/* A zeroed buffer the store owns (freed by sc_weights_free). */
static void *store_alloc(sc_weights *w, size_t bytes)
{
    if (w->count == w->capacity) {
        int cap = w->capacity ? 2 * w->capacity : 64;
        void **grown = realloc(w->buffers, (size_t)cap * sizeof *grown);
        if (!grown)
            return NULL;
        w->buffers = grown;
        w->capacity = cap;
    }
    void *p = SC_CALLOC_LARGE(bytes, 1);
    if (!p)
        return NULL;
    w->buffers[w->count++] = p;
    return p;
}

/* The weights packed (and for Winograd transformed) for the algorithm the
 * layer will run, once: every later call reads them as they are. Grouped
 * layers, and CPUs whose GEMM packs nothing, keep only the plain weights.
 * Here the buffers are allocated and the layer noted; sc_weights_prepare
 * fills them once everything is loaded, on several threads. */
static sc_status prepare_conv(sc_loader *ld, sc_conv *cv, const char *base, const char *conv,
                              sc_error *err)
{
    int algorithm = sc_conv_choose_algorithm(cv), side = SC_WINOGRAD_OUT;
    if (algorithm == SC_CONV_WINOGRAD && cv->kh == 3) {
        if (ld->precise_3x3 == SC_3X3_SMALL_TILES)
            side = 2;
        else if (ld->precise_3x3 == SC_3X3_IM2COL)
            algorithm = SC_CONV_IM2COL;
    }
    const size_t floats = sc_conv_prepared_floats(cv, algorithm, side);
    if (floats == 0)
        return SC_OK;
    sc_weights *w = ld->store;
    if (w->pending_count == w->pending_capacity) {
        int cap = w->pending_capacity ? 2 * w->pending_capacity : 64;
        sc_weights_pending *grown = realloc(w->pending, (size_t)cap * sizeof *grown);
        if (!grown)
            return sc_fail(err, SC_ERR_NO_MEMORY, "%s%s%s: out of memory packing weights",
                           ld->prefix, base, conv);
        w->pending = grown;
        w->pending_capacity = cap;
    }
    sc_conv_prepared *prepared = store_alloc(w, sizeof *prepared);
    float *storage = prepared ? store_alloc(w, floats * sizeof(float)) : NULL;
    if (!storage)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s%s%s: out of memory packing weights",
                       ld->prefix, base, conv);
    sc_weights_pending *p = &w->pending[w->pending_count++];
    p->conv = *cv;
    p->algorithm = algorithm;
    p->side = side;
    p->storage = storage;
    p->floats = floats;
    p->prepared = prepared;
    snprintf(p->name, sizeof p->name, "%s%s%s", ld->prefix, base, conv);
    w->packed_floats += floats;
    cv->prepared = prepared;
    return SC_OK;
}

/* Below this many packed floats in all, one thread does it: waking a team
 * costs more than the small models' packing. */
#define PREPARE_PARALLEL_MIN_FLOATS ((size_t)1 << 20)
/* Each worker holds one layer's transformed filters while it packs them (67 MB
 * for the original's 512 -> 512 5x5 layers): at most this many workers, so
 * that loading on many cores stays below inference's peak memory. */
#define PREPARE_MAX_WORKERS 4

/* A layer to prepare and the work it takes. */
typedef struct prepare_job {
    size_t floats;
    int index;
} prepare_job;

/* Larger layers first; equal ones in loading order. */
static int larger_first(const void *a, const void *b)
{
    const prepare_job *x = a, *y = b;
    return x->floats < y->floats ? 1 : x->floats > y->floats ? -1 : x->index - y->index;
}

sc_status sc_weights_prepare(sc_weights *w, sc_error *err)
{
    const int reproducible = sc_reproducible();
    int workers = w->packed_floats >= PREPARE_PARALLEL_MIN_FLOATS ? sc_get_threads() : 1;
    if (workers > PREPARE_MAX_WORKERS)
        workers = PREPARE_MAX_WORKERS;
    /* The largest layers are handed out first: taken last, the 512 -> 512
     * 5x5 layer kept one worker busy alone for a tenth of a second. */
    prepare_job *order = malloc(sizeof *order * (size_t)(w->pending_count > 0 ? w->pending_count : 1));
    if (!order)
        return sc_fail(err, SC_ERR_NO_MEMORY, "out of memory packing weights");
    for (int i = 0; i < w->pending_count; i++)
        order[i] = (prepare_job){w->pending[i].floats, i};
    qsort(order, (size_t)w->pending_count, sizeof *order, larger_first);
    int failed = w->pending_count;
#pragma omp parallel for num_threads(workers) schedule(dynamic, 1) reduction(min : failed)
    for (int k = 0; k < w->pending_count; k++) {
        sc_set_reproducible(reproducible);
        const int i = order[k].index;
        sc_weights_pending *p = &w->pending[i];
        if (sc_conv_prepare(&p->conv, p->algorithm, p->side, p->storage, p->prepared) != 0 &&
            i < failed)
            failed = i;
    }
    free(order);
    sc_status st = SC_OK;
    if (failed < w->pending_count)
        st = sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory packing weights",
                     w->pending[failed].name);
    free(w->pending);
    w->pending = NULL;
    w->pending_count = w->pending_capacity = 0;
    return st;
}

static sc_status read_named(sc_loader *ld, const char *base, const char *leaf, const char *field,
                            const int64_t *shape, int ndim, float *dst, sc_error *err)
{
    char name[256];
    int n = snprintf(name, sizeof name, "%s%s%s.%s", ld->prefix, base, leaf, field);
    if (n < 0 || (size_t)n >= sizeof name)
        return sc_fail(err, SC_ERR_MODEL, "tensor name too long: %s%s%s", ld->prefix, base, leaf);
    return ld->read(ld->ctx, name, shape, ndim, dst, err);
}

/* Reads weight and (optional) bias into a fresh buffer; fills cv. */
static sc_status load_conv_raw(sc_loader *ld, sc_conv *cv, const char *base, const char *conv,
                               sc_conv_shape s, sc_error *err)
{
    const int groups = s.groups > 1 ? s.groups : 1;
    size_t per_out = (size_t)(s.cin / groups) * (size_t)s.k * (size_t)s.k;
    int64_t wshape[4] = {s.cout, s.cin / groups, s.k, s.k};
    int64_t bshape[1] = {s.cout};
    /* The weight's shape is checked before its buffer is allocated: a config
     * asking for enormous widths is then refused as a shape mismatch, and what
     * is allocated stays bounded by what the source holds. */
    sc_status st = read_named(ld, base, conv, "weight", wshape, 4, NULL, err);
    if (st != SC_OK)
        return st;
    const size_t floats = (size_t)s.cout * per_out + (size_t)s.cout;
    float *buf = store_alloc(ld->store, floats * sizeof(float));
    if (!buf)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s%s%s: out of memory for weights", ld->prefix,
                       base, conv);
    float *bias = buf + (size_t)s.cout * per_out;
    st = read_named(ld, base, conv, "weight", wshape, 4, buf, err);
    if (st == SC_OK && s.has_bias)
        st = read_named(ld, base, conv, "bias", bshape, 1, bias, err);
    if (st != SC_OK)
        return st;
    ld->store->floats += floats;
    sc_conv c = {s.cout, s.cin, s.k, s.k, s.stride, s.pad, s.dilation, groups, buf, bias, NULL};
    if ((int)per_out > ld->store->max_depth)
        ld->store->max_depth = (int)per_out;
    *cv = c;
    return SC_OK;
}

sc_status sc_load_conv(sc_loader *ld, sc_conv *cv, const char *base, const char *conv,
                       sc_conv_shape shape, sc_error *err)
{
    sc_status st = load_conv_raw(ld, cv, base, conv, shape, err);
    return st == SC_OK ? prepare_conv(ld, cv, base, conv, err) : st;
}

sc_status sc_derive_conv_inputs(sc_loader *ld, const sc_conv *src, int c0, int n,
                               const char *base, const char *conv, sc_conv *out, sc_error *err)
{
    if (src->groups != 1 || src->kh != 1 || src->kw != 1 || c0 < 0 || n <= 0 || c0 + n > src->cin)
        return sc_fail(err, SC_ERR_MODEL, "%s%s%s: inputs %d..%d of a %d-input layer", ld->prefix,
                       base, conv, c0, c0 + n, src->cin);
    const size_t floats = (size_t)src->cout * (size_t)n + (size_t)src->cout;
    float *buf = store_alloc(ld->store, floats * sizeof(float));
    if (!buf)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s%s%s: out of memory for weights", ld->prefix,
                       base, conv);
    float *bias = buf + (size_t)src->cout * (size_t)n;
    for (int o = 0; o < src->cout; o++)
        memcpy(buf + (size_t)o * (size_t)n, src->weight + (size_t)o * (size_t)src->cin + c0,
               (size_t)n * sizeof(float));
    if (src->bias)
        memcpy(bias, src->bias, (size_t)src->cout * sizeof(float));
    /* A copy, not a parameter of the model: not counted in store->floats. */
    sc_conv c = {src->cout, n, 1, 1, src->stride, src->pad, src->dilation, 1, buf, bias, NULL};
    *out = c;
    return prepare_conv(ld, out, base, conv, err);
}

sc_status sc_load_conv_bn(sc_loader *ld, sc_conv *cv, const char *base, const char *conv,
                          const char *bn, sc_conv_shape shape, sc_error *err)
{
    sc_status st = load_conv_raw(ld, cv, base, conv, shape, err);
    if (st != SC_OK)
        return st;
    float *stats = malloc(4 * (size_t)shape.cout * sizeof(float));
    if (!stats)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s%s%s: out of memory", ld->prefix, base, bn);
    int64_t vshape[1] = {shape.cout};
    static const char *const fields[4] = {"weight", "bias", "running_mean", "running_var"};
    for (int i = 0; i < 4 && st == SC_OK; i++)
        st = read_named(ld, base, bn, fields[i], vshape, 1, stats + (size_t)i * shape.cout, err);
    if (st == SC_OK) {
        int per_out = cv->cin / cv->groups * cv->kh * cv->kw;
        sc_fold_batchnorm((float *)cv->weight, (float *)cv->bias, shape.cout, per_out, stats,
                          stats + shape.cout, stats + 2 * shape.cout, stats + 3 * shape.cout,
                          SC_BN_EPS);
    }
    free(stats);
    return st == SC_OK ? prepare_conv(ld, cv, base, conv, err) : st;
}
