/*
 * Convolution as GEMM. The output is cut into work items (conv_plan.c): column
 * tiles that unfold their part of the input (im2col) into their worker's own
 * scratch slice and run one single-threaded sgemm, runs of output tiles that
 * go through Winograd's transforms and 16, 36 or 64 sgemms in that slice (for
 * many workers, parts of a run's output channels sharing one input transform
 * of the grid), or (layers with very few output channels) bands of output
 * rows summed in place. The workspace is bounded by the item size and every
 * output value comes out the same whatever the thread count.
 */
#include <omp.h>
#include <string.h>

#include "core/parallel.h"
#include "core/reproducible.h"
#include "ops/conv_plan.h"
#include "ops/conv_prepare.h"
#include "ops/conv_trace.h"
#include "ops/gemm.h"
#include "ops/im2col.h"
#include "ops/ops.h"
#include "ops/conv_narrow.h"
#include "ops/winograd.h"

/* The workers a layer runs on. Waking a second thread and meeting it at the
 * barrier costs more than a small layer's work, and on a busy machine (a batch
 * run beside others) far more. The tiles stay the same, so the results do too. */
static long layer_workers(const sc_conv *cv, const sc_conv_plan *plan, long threads)
{
    const double flops = 2.0 * cv->cout * (double)plan->rows * (double)plan->columns;
    return flops < SC_PARALLEL_MIN_FLOPS ? 1 : threads;
}

size_t sc_conv2d_scratch_bytes(const sc_conv *cv, int in_h, int in_w, int threads)
{
    sc_conv_plan plan;
    if (sc_conv_plan_make(cv, in_h, in_w, &plan) != 0 || plan.slice_bytes == 0)
        return 0;
    if (threads <= 0)
        threads = omp_get_num_procs();
    long workers = layer_workers(cv, &plan, threads);
    sc_conv_plan_for_workers(cv, workers, &plan);
    long items = plan.tiles * cv->groups;
    if (workers > items)
        workers = items;
    /* + SC_ARENA_ALIGN: the arena aligns the start of each block. */
    return plan.shared_bytes + (size_t)workers * plan.slice_bytes + 2 * SC_ARENA_ALIGN;
}

static _Thread_local sc_conv_trace *g_trace;

void sc_conv_trace_set(sc_conv_trace *trace) { g_trace = trace; }

static void trace_start(sc_conv_trace *trace, long first_phase, long items, long workers)
{
    trace->first_phase = first_phase;
    trace->items = first_phase + items;
    trace->workers = (int)workers;
    for (int i = 0; i < SC_CONV_TRACE_WORKERS; i++)
        trace->busy[i] = 0.0;
}

/* Each item and each worker's sum are written by one worker only. */
static void trace_item(sc_conv_trace *trace, long item, int worker, double seconds)
{
    if (item < trace->capacity)
        trace->item_seconds[item] = seconds;
    if (worker < SC_CONV_TRACE_WORKERS)
        trace->busy[worker] += seconds;
}

/* How many scratch slices fit in what is left of the arena. */
static long slices_that_fit(const sc_arena *scratch, size_t slice_bytes)
{
    return (long)(sc_arena_available(scratch) / slice_bytes);
}

/* One column tile of one group: im2col (unless direct), then one GEMM whose
 * output pass adds the bias and applies the activation. */
static void gemm_item(const sc_conv *cv, const sc_conv_plan *plan, const sc_tensor *in,
                      sc_tensor *out, long item, int act, float *col)
{
    const int group = (int)(item / plan->tiles);
    const long first = item % plan->tiles * plan->tile;
    const long count = plan->columns - first < plan->tile ? plan->columns - first : plan->tile;
    const float *b;
    int ldb;
    if (plan->direct) {
        const size_t in_plane = (size_t)in->h * (size_t)in->w;
        b = in->data + (size_t)group * (size_t)plan->cin_g * in_plane + (size_t)first;
        ldb = (int)plan->columns;
    } else {
        sc_im2col_tile(cv, in, group, plan->out_w, first, count, col);
        b = col;
        ldb = (int)count;
    }
    float *c = out->data + (size_t)group * (size_t)plan->cout_g * (size_t)plan->columns +
               (size_t)first;
    const size_t weights_per_group = (size_t)plan->cout_g * (size_t)plan->rows;
    const sc_sgemm_packed *packed = cv->prepared && cv->groups == 1 ? &cv->prepared->gemm : NULL;
    sc_sgemm_fused(plan->cout_g, (int)count, plan->rows,
                   cv->weight + (size_t)group * weights_per_group, plan->rows, packed, b, ldb, c,
                   (int)plan->columns,
                   cv->bias ? cv->bias + (size_t)group * (size_t)plan->cout_g : NULL, act);
}

/* Tiles in the run that starts at tile `first`. */
static int run_count(const sc_conv_plan *plan, long first)
{
    return (int)(plan->grid_tiles - first < plan->tile ? plan->grid_tiles - first : plan->tile);
}

/* One piece of the shared input transform: one run's tiles of a chunk of the
 * input channels, into the grid-wide v. */
static void winograd_input_item(const sc_conv_plan *plan, const sc_tensor *in, long item,
                                float *v)
{
    const long chunks = (in->c + plan->input_chunk - 1) / plan->input_chunk;
    const long first = item / chunks * plan->tile;
    const int c0 = (int)(item % chunks) * plan->input_chunk;
    const int channels = in->c - c0 < plan->input_chunk ? in->c - c0 : plan->input_chunk;
    const size_t plane = (size_t)in->h * (size_t)in->w;
    const sc_tensor part = {channels, in->h, in->w, in->data + (size_t)c0 * plane};
    const size_t row_stride = (size_t)plan->grid_tiles;
    sc_winograd_input(&part, &plan->grid, first, run_count(plan, first),
                      v + (size_t)c0 * row_stride + (size_t)first, row_stride,
                      sc_winograd_point_stride(in->c, (int)plan->grid_tiles));
}

/* One run of output tiles, or one part of its output channels: input
 * transform, the 16, 36 or 64 GEMMs on the packed filters' rows of those
 * channels, output transform with bias and activation. shared_v: the grid's
 * input transform (winograd_input_item), or NULL: the item makes its run's
 * own in its slice. */
static void winograd_item(const sc_conv *cv, const sc_conv_plan *plan, const sc_tensor *in,
                          sc_tensor *out, long item, int act, const float *shared_v,
                          float *slice)
{
    const long first = item / plan->cout_parts * plan->tile;
    const int count = run_count(plan, first);
    const int o0 = (int)(item % plan->cout_parts) * plan->part_rows;
    const int rows = cv->cout - o0 < plan->part_rows ? cv->cout - o0 : plan->part_rows;
    const int points = sc_winograd_points(plan->grid.side, cv->kh);
    size_t v_row = (size_t)count, v_point = sc_winograd_point_stride(cv->cin, count);
    const size_t m_point = sc_winograd_point_stride(rows, count);
    float *m = slice + (size_t)points * v_point;
    const float *v = slice;
    if (shared_v) {
        v_row = (size_t)plan->grid_tiles;
        v_point = sc_winograd_point_stride(cv->cin, (int)plan->grid_tiles);
        v = shared_v + first;
    } else {
        sc_winograd_input(in, &plan->grid, first, count, slice, v_row, v_point);
    }
    for (int p = 0; p < points; p++) {
        sc_sgemm_packed part;
        /* Cannot fail: the plan cuts at multiples of SC_SGEMM_ROWS_ALIGN, whole
         * panels of every kernel Winograd runs on (their static asserts). */
        (void)sc_sgemm_packed_rows(&cv->prepared->points[p], o0, rows, &part);
        sc_sgemm_fused(rows, count, cv->cin, NULL, cv->cin, &part, v + (size_t)p * v_point,
                       (int)v_row, m + (size_t)p * m_point, count, NULL, SC_ACT_NONE);
    }
    sc_tensor channels = {rows, out->h, out->w, out->data + (size_t)o0 * out->h * out->w};
    sc_winograd_output(m, rows, &plan->grid, first, count, cv->bias ? cv->bias + o0 : NULL, act,
                       &channels);
}

/* One band of output rows of a narrow layer; `where`: in is pooled, and the
 * layer's input the map its unpooling would make (out's size). */
static void narrow_item(const sc_conv *cv, const sc_conv_plan *plan, const sc_tensor *in,
                        const uint8_t *where, sc_tensor *out, long item, int act, float *slice)
{
    const long y0 = item * plan->tile;
    const long y1 = y0 + plan->tile < plan->out_h ? y0 + plan->tile : plan->out_h;
    if (where)
        sc_conv_narrow_rows_unpooled(cv, in, where, out, (int)y0, (int)y1, act, slice);
    else
        sc_conv_narrow_rows(cv, in, out, (int)y0, (int)y1, act, slice);
}

static int conv_run(const sc_conv *cv, const sc_tensor *in, const uint8_t *where,
                    sc_conv_plan plan, sc_tensor *out, int act, sc_arena *scratch);

int sc_conv2d(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int act, sc_arena *scratch)
{
    sc_conv_plan plan;
    if (!in || !out || !in->data || !out->data || in->data == out->data ||
        sc_conv_plan_make(cv, in->h, in->w, &plan) != 0 || in->c != cv->cin ||
        out->c != cv->cout || out->h != plan.out_h || out->w != plan.out_w)
        return -1;
    return conv_run(cv, in, NULL, plan, out, act, scratch);
}

int sc_conv2d_unpooled(const sc_conv *cv, const sc_tensor *pooled, const uint8_t *where,
                       sc_tensor *out, int act, sc_arena *scratch)
{
    sc_conv_plan plan;
    if (!pooled || !where || !out || !pooled->data || !out->data || pooled->c != cv->cin ||
        out->c != cv->cout || 2 * pooled->h > out->h || 2 * pooled->w > out->w ||
        !sc_conv_narrow_unpooled_fits(cv) || sc_conv_plan_make(cv, out->h, out->w, &plan) != 0 ||
        plan.algorithm != SC_CONV_NARROW || out->h != plan.out_h || out->w != plan.out_w)
        return -1;
    return conv_run(cv, pooled, where, plan, out, act, scratch);
}

/* The layer's work items on the calling thread's workers; `where`: see narrow_item. */
static int conv_run(const sc_conv *cv, const sc_tensor *in, const uint8_t *where,
                    sc_conv_plan plan, sc_tensor *out, int act, sc_arena *scratch)
{

    long workers = layer_workers(cv, &plan, sc_get_threads());
    sc_conv_trace *trace = g_trace;
    sc_conv_plan_for_workers(cv, trace && trace->plan_workers ? trace->plan_workers : workers,
                             &plan);
    const long items = plan.tiles * cv->groups;
    if (workers > items)
        workers = items;
    float *columns = NULL, *shared_v = NULL;
    size_t mark = 0;
    if (plan.slice_bytes > 0) {
        if (!scratch)
            return -1;
        mark = sc_arena_mark(scratch);
        /* The shared input transform where it fits beside a slice per worker;
         * else each item makes its own (the same values). */
        if (plan.shared_bytes > 0 &&
            sc_arena_available(scratch) >=
                plan.shared_bytes + (size_t)workers * plan.slice_bytes + 2 * SC_ARENA_ALIGN)
            shared_v = sc_arena_alloc(scratch, plan.shared_bytes);
        /* With less scratch than asked for, fewer workers share the tiles:
         * slower, but every value is still computed the same way. */
        long fit = slices_that_fit(scratch, plan.slice_bytes);
        if (fit < 1) {
            sc_arena_reset(scratch, mark);
            return -1;
        }
        if (workers > fit)
            workers = fit;
        columns = sc_arena_alloc(scratch, (size_t)workers * plan.slice_bytes);
        if (!columns) {
            sc_arena_reset(scratch, mark);
            return -1;
        }
    }
    const long input_items = shared_v ? plan.input_items : 0;

    /* The workers run this call's GEMMs in this call's mode. */
    const int reproducible = sc_reproducible();
    const size_t slice_floats = plan.slice_bytes / sizeof(float);
    if (trace)
        trace_start(trace, input_items, items, workers);
    const double start = trace ? omp_get_wtime() : 0.0;
#pragma omp parallel num_threads(workers)
    {
        sc_set_reproducible(reproducible);
        /* The same test on every thread: all meet this loop's barrier or none. */
        if (input_items > 0) {
#pragma omp for schedule(dynamic, 1)
            for (long item = 0; item < input_items; item++) {
                const double t0 = trace ? omp_get_wtime() : 0.0;
                winograd_input_item(&plan, in, item, shared_v);
                if (trace)
                    trace_item(trace, item, omp_get_thread_num(), omp_get_wtime() - t0);
            }
        }
#pragma omp for schedule(dynamic, 1)
        for (long item = 0; item < items; item++) {
            const double t0 = trace ? omp_get_wtime() : 0.0;
            float *slice = columns ? columns + (size_t)omp_get_thread_num() * slice_floats : NULL;
            if (plan.algorithm == SC_CONV_WINOGRAD)
                winograd_item(cv, &plan, in, out, item, act, shared_v, slice);
            else if (plan.algorithm == SC_CONV_NARROW)
                narrow_item(cv, &plan, in, where, out, item, act, slice);
            else
                gemm_item(cv, &plan, in, out, item, act, slice);
            if (trace)
                trace_item(trace, input_items + item, omp_get_thread_num(),
                           omp_get_wtime() - t0);
        }
    }
    if (trace)
        trace->wall = omp_get_wtime() - start;

    if (columns)
        sc_arena_reset(scratch, mark);
    return 0;
}

int sc_conv2d_over_input(const sc_conv *cv, sc_tensor *inout, int act, sc_arena *scratch)
{
    sc_conv_plan plan;
    if (!inout || !inout->data || !scratch || inout->c != cv->cin || cv->cout > cv->cin ||
        sc_conv_plan_make(cv, inout->h, inout->w, &plan) != 0 || !plan.direct ||
        plan.algorithm != SC_CONV_IM2COL || cv->groups != 1)
        return -1;
    long workers = layer_workers(cv, &plan, sc_get_threads());
    sc_conv_plan_for_workers(cv, workers, &plan);
    if (workers > plan.tiles)
        workers = plan.tiles;
    const size_t slice_floats =
        sc_arena_align_up((size_t)cv->cout * (size_t)plan.tile * sizeof(float)) / sizeof(float);
    const size_t mark = sc_arena_mark(scratch);
    const long fit = (long)(sc_arena_available(scratch) / (slice_floats * sizeof(float)));
    if (fit < 1)
        return -1;
    if (workers > fit)
        workers = fit;
    float *slices = sc_arena_alloc(scratch, (size_t)workers * slice_floats * sizeof(float));
    if (!slices)
        return -1;
    const int reproducible = sc_reproducible();
    const sc_sgemm_packed *packed = cv->prepared ? &cv->prepared->gemm : NULL;
#pragma omp parallel num_threads(workers)
    {
        sc_set_reproducible(reproducible);
        float *slice = slices + (size_t)omp_get_thread_num() * slice_floats;
#pragma omp for schedule(dynamic, 1)
        for (long item = 0; item < plan.tiles; item++) {
            const long first = item * plan.tile;
            const long count = plan.columns - first < plan.tile ? plan.columns - first : plan.tile;
            sc_sgemm_fused(cv->cout, (int)count, plan.rows, cv->weight, plan.rows, packed,
                           inout->data + first, (int)plan.columns, slice, (int)count, cv->bias,
                           act);
            for (int o = 0; o < cv->cout; o++)
                memcpy(inout->data + (size_t)o * (size_t)plan.columns + (size_t)first,
                       slice + (size_t)o * (size_t)count, (size_t)count * sizeof(float));
        }
    }
    sc_arena_reset(scratch, mark);
    return 0;
}
