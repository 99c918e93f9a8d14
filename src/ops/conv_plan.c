#include "ops/conv_plan.h"

#include <limits.h>

/* An im2col tile of about this size stays in L2 while OpenBLAS packs it. */
#define TILE_TARGET_BYTES ((size_t)1 << 20)
/* Narrower tiles make the GEMM inefficient, wider ones gain nothing. */
#define TILE_MIN 256
#define TILE_MAX 4096
/* Small layers are cut finer (down to TILE_FLOOR columns) so that they still
 * give every core some work. */
#define WORK_ITEMS_WANTED 16
#define TILE_FLOOR 64

int sc_conv_out_size(int in, int k, int stride, int pad, int dilation)
{
    if (in <= 0 || k <= 0 || stride <= 0 || pad < 0 || dilation <= 0)
        return 0;
    long span = (long)in + 2L * pad - (long)dilation * (k - 1) - 1;
    if (span < 0)
        return 0;
    long out = span / stride + 1;
    return out > INT_MAX ? 0 : (int)out;
}

static long round_up(long v, long multiple) { return (v + multiple - 1) / multiple * multiple; }

int sc_conv_plan_make(const sc_conv *cv, int in_h, int in_w, sc_conv_plan *plan)
{
    if (!cv || !cv->weight || cv->cout <= 0 || cv->cin <= 0 || cv->kh <= 0 || cv->kw <= 0 ||
        cv->groups <= 0 || cv->cin % cv->groups || cv->cout % cv->groups)
        return -1;
    plan->out_h = sc_conv_out_size(in_h, cv->kh, cv->stride, cv->pad, cv->dilation);
    plan->out_w = sc_conv_out_size(in_w, cv->kw, cv->stride, cv->pad, cv->dilation);
    if (plan->out_h <= 0 || plan->out_w <= 0)
        return -1;
    plan->cin_g = cv->cin / cv->groups;
    plan->cout_g = cv->cout / cv->groups;
    long rows = (long)plan->cin_g * cv->kh * cv->kw;
    plan->columns = (long)plan->out_h * plan->out_w;
    /* cblas takes int sizes and leading dimensions. */
    if (rows > INT_MAX || plan->columns > INT_MAX)
        return -1;
    plan->rows = (int)rows;
    plan->direct = cv->kh == 1 && cv->kw == 1 && cv->stride == 1 && cv->pad == 0;

    long tile = (long)(TILE_TARGET_BYTES / ((size_t)rows * sizeof(float)));
    tile = tile / TILE_FLOOR * TILE_FLOOR;
    if (tile < TILE_MIN)
        tile = TILE_MIN;
    if (tile > TILE_MAX)
        tile = TILE_MAX;
    long tiles = (plan->columns + tile - 1) / tile;
    if (tiles * cv->groups < WORK_ITEMS_WANTED) {
        long per_group = (WORK_ITEMS_WANTED + cv->groups - 1) / cv->groups;
        tile = round_up((plan->columns + per_group - 1) / per_group, TILE_FLOOR);
    }
    if (tile > plan->columns)
        tile = plan->columns;
    plan->tile = tile;
    plan->tiles = (plan->columns + tile - 1) / tile;
    plan->slice_bytes =
        plan->direct ? 0 : sc_arena_align_up((size_t)(rows * tile * (long)sizeof(float)));
    return 0;
}
