/*
 * Convolution as GEMM. The output is cut into column tiles (conv_plan.c); each
 * tile unfolds its part of the input into its worker's own scratch slice and
 * runs one single-threaded sgemm, so the workspace is bounded by the tile size
 * and every output value comes from the same call whatever the thread count.
 */
#include <omp.h>

#include "core/parallel.h"
#include "ops/conv_plan.h"
#include "ops/gemm.h"
#include "ops/im2col.h"
#include "ops/ops.h"

size_t sc_conv2d_scratch_bytes(const sc_conv *cv, int in_h, int in_w, int threads)
{
    sc_conv_plan plan;
    if (sc_conv_plan_make(cv, in_h, in_w, &plan) != 0 || plan.direct)
        return 0;
    if (threads <= 0)
        threads = omp_get_num_procs();
    long items = plan.tiles * cv->groups;
    long workers = threads < items ? threads : items;
    /* + SC_ARENA_ALIGN: the arena aligns the start of the block. */
    return (size_t)workers * plan.slice_bytes + SC_ARENA_ALIGN;
}

/* How many im2col slices fit in what is left of the arena. */
static long slices_that_fit(const sc_arena *scratch, size_t slice_bytes)
{
    return (long)(sc_arena_available(scratch) / slice_bytes);
}

/* Run per tile right after its GEMM, while the tile's outputs are still in cache. */
static void add_bias_relu(float *out, long row_stride, int rows, long count, const float *bias,
                          int relu)
{
    for (int m = 0; m < rows; m++) {
        float *row = out + (size_t)m * (size_t)row_stride;
        if (bias) {
            const float b = bias[m];
            for (long i = 0; i < count; i++)
                row[i] += b;
        }
        if (relu) {
            for (long i = 0; i < count; i++)
                row[i] = row[i] < 0.0f ? 0.0f : row[i];
        }
    }
}

int sc_conv2d(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int relu, sc_arena *scratch)
{
    sc_conv_plan plan;
    if (!in || !out || !in->data || !out->data || in->data == out->data ||
        sc_conv_plan_make(cv, in->h, in->w, &plan) != 0 || in->c != cv->cin ||
        out->c != cv->cout || out->h != plan.out_h || out->w != plan.out_w)
        return -1;

    const long items = plan.tiles * cv->groups;
    long workers = sc_get_threads();
    if (workers > items)
        workers = items;
    /* Waking a second thread and meeting it at the barrier costs more than a
     * small layer's work, and on a busy machine (a batch run beside others)
     * far more. The tiles stay the same, so the results do too. */
    const double flops = 2.0 * cv->cout * (double)plan.rows * (double)plan.columns;
    if (flops < SC_PARALLEL_MIN_FLOPS)
        workers = 1;
    float *columns = NULL;
    size_t mark = 0;
    if (!plan.direct) {
        if (!scratch)
            return -1;
        /* With less scratch than asked for, fewer workers share the tiles:
         * slower, but every value is still computed the same way. */
        long fit = slices_that_fit(scratch, plan.slice_bytes);
        if (fit < 1)
            return -1;
        if (workers > fit)
            workers = fit;
        mark = sc_arena_mark(scratch);
        columns = sc_arena_alloc(scratch, (size_t)workers * plan.slice_bytes);
        if (!columns)
            return -1;
    }

    const size_t in_plane = (size_t)in->h * (size_t)in->w;
    const size_t out_plane = (size_t)plan.columns;
    const size_t weights_per_group = (size_t)plan.cout_g * (size_t)plan.rows;
#pragma omp parallel for num_threads(workers) schedule(dynamic, 1)
    for (long item = 0; item < items; item++) {
        const int group = (int)(item / plan.tiles);
        const long first = item % plan.tiles * plan.tile;
        const long count = plan.columns - first < plan.tile ? plan.columns - first : plan.tile;
        const float *b;
        int ldb;
        if (plan.direct) {
            b = in->data + (size_t)group * (size_t)plan.cin_g * in_plane + (size_t)first;
            ldb = (int)plan.columns;
        } else {
            float *col = columns + (size_t)omp_get_thread_num() * (plan.slice_bytes / sizeof(float));
            sc_im2col_tile(cv, in, group, plan.out_w, first, count, col);
            b = col;
            ldb = (int)count;
        }
        float *c = out->data + (size_t)group * (size_t)plan.cout_g * out_plane + (size_t)first;
        sc_sgemm(plan.cout_g, (int)count, plan.rows, cv->weight + (size_t)group * weights_per_group,
                 plan.rows, b, ldb, c, (int)plan.columns);
        add_bias_relu(c, plan.columns, plan.cout_g, count,
                      cv->bias ? cv->bias + (size_t)group * (size_t)plan.cout_g : NULL, relu);
    }

    if (!plan.direct)
        sc_arena_reset(scratch, mark);
    return 0;
}
