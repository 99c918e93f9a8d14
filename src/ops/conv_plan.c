#include "ops/conv_plan.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/reproducible.h"
#include "ops/conv_narrow.h"
#include "ops/conv_prepare.h"
#include "ops/gemm.h"

/* An im2col tile of about this size stays in L2 while OpenBLAS packs it. */
#define TILE_TARGET_BYTES ((size_t)1 << 20)
/* Narrower tiles make the GEMM inefficient, wider ones gain nothing. */
#define TILE_MIN 256
#define TILE_MAX 4096
/* Small layers are cut finer (down to TILE_FLOOR columns) so that they still
 * give every core some work. */
#define WORK_ITEMS_WANTED 16
#define TILE_FLOOR 64

/* Winograd: the transformed input and products of one work item take about
 * this much (16, 36 or 64 points x (cin + cout) x tiles), so that they stay in a core's
 * L2 between the transforms and the GEMMs (8 MiB made the refiner's 1280x1280
 * and 5x5 layers wait on memory: 4.6 s against 5.7-6.0 s for its full-size
 * network, bench_nets), between these many tiles: at least a full register
 * tile of columns for the GEMMs, even when that leaves fewer items than
 * WORK_ITEMS_WANTED (narrower GEMMs and the filters streamed once more per
 * item cost more than the lost parallelism). */
#define WINOGRAD_SLICE_TARGET ((size_t)1 << 20)
#define WINOGRAD_TILES_MIN 32
#define WINOGRAD_TILES_MAX 256
#define WINOGRAD_TILES_FLOOR 8
/* Deep layers on small grids (the original refiner's 80 and 160 px levels:
 * 13 and 50 runs) give too few runs for 16 workers to end a layer together
 * (20-30 % idle). Where there are fewer than RUNS_PER_WORKER runs a worker,
 * runs are shortened (to WINOGRAD_TILES_MIN tiles at least, shorter on tiny
 * grids: shortest_run) and then each run's output channels cut into parts,
 * each its own work item, until there are about ITEMS_PER_WORKER items a
 * worker. Parts keep at least WINOGRAD_PART_ROWS_MIN channels, whole multiples
 * of every GEMM kernel's row panel, so that their sums are the uncut ones: the
 * cut may follow the worker count, the results do not. The parts share one input transform of the
 * grid, made first in about as many pieces. Cut whatever the worker count,
 * it only cost time on 2 cores (8 % of a full-size mask), so fewer workers
 * keep whole runs. */
#define WINOGRAD_RUNS_PER_WORKER 6
#define WINOGRAD_ITEMS_PER_WORKER 8
#define WINOGRAD_PART_ROWS_MIN 24
#define WINOGRAD_INPUT_CHUNK_MIN 16

/* Narrower layers lose more to the transforms than the GEMMs save (bench_conv). */
#define WINOGRAD_MIN_CHANNELS 32

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

int sc_conv_choose_algorithm(const sc_conv *cv)
{
    const char *forced = getenv("SKYCHANGE_CONV");
    if (forced && !strcmp(forced, "im2col"))
        return SC_CONV_IM2COL;
    const int shape_fits = cv->kh == cv->kw && sc_winograd_supports(SC_WINOGRAD_OUT, cv->kh) &&
                           cv->stride == 1 && cv->groups == 1;
    const int wide = cv->cin >= WINOGRAD_MIN_CHANNELS && cv->cout >= WINOGRAD_MIN_CHANNELS;
    const int everywhere = forced && !strcmp(forced, "winograd");
    return shape_fits && (wide || everywhere) ? SC_CONV_WINOGRAD : SC_CONV_IM2COL;
}

const char *sc_conv_algorithm_name(const sc_conv_plan *plan)
{
    if (plan->algorithm == SC_CONV_WINOGRAD)
        return plan->grid.side == SC_WINOGRAD_OUT ? "winograd" : "wino2x2";
    if (plan->algorithm == SC_CONV_NARROW)
        return "narrow";
    return plan->direct ? "gemm" : "im2col";
}

/* Winograd runs where the layer was prepared for it, its packed filters fit
 * the kernel this thread would use, and the results need not be the same on
 * every CPU (its rounding differs from im2col's). */
static int runs_winograd(const sc_conv *cv)
{
    const sc_conv_prepared *p = cv->prepared;
    if (!p || p->algorithm != SC_CONV_WINOGRAD || sc_reproducible())
        return 0;
    for (int i = 0; i < sc_winograd_points(p->side, cv->kh); i++)
        if (!sc_sgemm_packed_usable(&p->points[i]))
            return 0;
    return 1;
}

/* Narrow layers run their loops in the default mode unless told otherwise;
 * reproducible mode keeps its one summation order (im2col + GEMM). */
static int runs_narrow(const sc_conv *cv)
{
    if (!sc_conv_narrow_fits(cv) || sc_reproducible())
        return 0;
    const char *forced = getenv("SKYCHANGE_CONV");
    return !forced || strcmp(forced, "im2col") != 0;
}

/* Bands of output rows, several per wanted work item so that 16 workers
 * stay busy to the end; each worker has its own scratch (ops/conv_narrow.h). */
#define NARROW_ITEMS_WANTED (4 * WORK_ITEMS_WANTED)

static void plan_narrow(const sc_conv *cv, int in_w, sc_conv_plan *plan)
{
    plan->tile = (plan->out_h + NARROW_ITEMS_WANTED - 1) / NARROW_ITEMS_WANTED;
    plan->tiles = (plan->out_h + plan->tile - 1) / plan->tile;
    plan->slice_bytes = sc_arena_align_up(sc_conv_narrow_scratch_floats(cv, in_w) * sizeof(float));
}

/* A worker's scratch: its run's transformed input and its part's products. */
static size_t winograd_slice_bytes(const sc_conv *cv, const sc_conv_plan *plan)
{
    const int points = sc_winograd_points(plan->grid.side, plan->grid.k);
    const size_t gaps = (size_t)points * 2 * SC_WINOGRAD_POINT_GAP;
    const size_t per_tile = (size_t)points * (size_t)(cv->cin + plan->part_rows) * sizeof(float);
    return (size_t)round_up((long)(per_tile * (size_t)plan->tile + gaps * sizeof(float)), 64);
}

static void plan_winograd(const sc_conv *cv, sc_conv_plan *plan)
{
    sc_winograd_grid *g = &plan->grid;
    g->k = cv->kh;
    g->side = cv->prepared->side;
    g->dilation = cv->dilation;
    /* The largest phase has ceil(out / d) rows and columns. */
    const int phase_w = (plan->out_w + cv->dilation - 1) / cv->dilation;
    const int phase_h = (plan->out_h + cv->dilation - 1) / cv->dilation;
    g->tiles_x = (phase_w + g->side - 1) / g->side;
    g->tiles_y = (phase_h + g->side - 1) / g->side;
    g->pad = cv->pad;
    g->out_h = plan->out_h;
    g->out_w = plan->out_w;
    plan->grid_tiles = sc_winograd_grid_tiles(g);
    const size_t per_tile =
        (size_t)sc_winograd_points(g->side, g->k) * (size_t)(cv->cin + cv->cout) * sizeof(float);
    long tile = (long)(WINOGRAD_SLICE_TARGET / per_tile);
    tile = tile / WINOGRAD_TILES_FLOOR * WINOGRAD_TILES_FLOOR;
    if (tile < WINOGRAD_TILES_MIN)
        tile = WINOGRAD_TILES_MIN;
    if (tile > WINOGRAD_TILES_MAX)
        tile = WINOGRAD_TILES_MAX;
    if ((plan->grid_tiles + tile - 1) / tile < WORK_ITEMS_WANTED) {
        tile = round_up((plan->grid_tiles + WORK_ITEMS_WANTED - 1) / WORK_ITEMS_WANTED,
                        WINOGRAD_TILES_FLOOR);
        if (tile < WINOGRAD_TILES_MIN)
            tile = WINOGRAD_TILES_MIN;
    }
    if (tile > plan->grid_tiles)
        tile = plan->grid_tiles;
    plan->tile = tile;
    plan->runs = (plan->grid_tiles + tile - 1) / tile;
    plan->part_rows = cv->cout;
    plan->cout_parts = 1;
    plan->tiles = plan->runs;
    plan->slice_bytes = winograd_slice_bytes(cv, plan);
}

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
    memset(&plan->grid, 0, sizeof plan->grid);
    plan->grid_tiles = plan->runs = plan->input_items = 0;
    plan->cout_parts = plan->part_rows = plan->input_chunk = 0;
    plan->shared_bytes = 0;
    if (runs_narrow(cv)) {
        plan->algorithm = SC_CONV_NARROW;
        plan_narrow(cv, in_w, plan);
        return 0;
    }
    plan->algorithm = runs_winograd(cv) ? SC_CONV_WINOGRAD : SC_CONV_IM2COL;
    if (plan->algorithm == SC_CONV_WINOGRAD) {
        plan_winograd(cv, plan);
        return 0;
    }

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

/* GEMM layers with fewer column tiles than this many a worker get narrower
 * tiles (down to TILE_FLOOR columns) when many workers share them: a column's
 * sums do not depend on the cut with our kernels (ops/gemm.h). */
#define GEMM_ITEMS_PER_WORKER 8

static void cut_columns_for_workers(const sc_conv *cv, long workers, sc_conv_plan *plan)
{
    const long wanted = GEMM_ITEMS_PER_WORKER * workers;
    if (plan->tiles * cv->groups >= wanted || !sc_sgemm_cuts_freely())
        return;
    const long per_group = (wanted + cv->groups - 1) / cv->groups;
    /* Rounded down, so that there are at least `wanted` items where the
     * floor allows. */
    long tile = plan->columns / per_group / TILE_FLOOR * TILE_FLOOR;
    if (tile < TILE_FLOOR)
        tile = TILE_FLOOR;
    if (tile >= plan->tile)
        return;
    plan->tile = tile;
    plan->tiles = (plan->columns + tile - 1) / tile;
    if (!plan->direct)
        plan->slice_bytes = sc_arena_align_up((size_t)plan->rows * (size_t)tile * sizeof(float));
}

/* Runs are kept to WINOGRAD_TILES_MIN tiles unless the grid is so small that
 * such runs, cut into as many channel parts as the layer allows, would leave
 * more than a tenth of the workers idle in the last round (the HRNet
 * branches' 20-px maps: one run, 6 parts of a 144-channel layer, a quarter of
 * 4 workers idle); then down to a register tile of columns. */
static long shortest_run(const sc_conv *cv, const sc_conv_plan *plan, long workers)
{
    const long parts =
        cv->cout >= 2 * WINOGRAD_PART_ROWS_MIN ? cv->cout / WINOGRAD_PART_ROWS_MIN : 1;
    const long items = (plan->grid_tiles + WINOGRAD_TILES_MIN - 1) / WINOGRAD_TILES_MIN * parts;
    const long rounds = (items + workers - 1) / workers;
    return 10 * items < 9 * workers * rounds ? WINOGRAD_TILES_FLOOR : WINOGRAD_TILES_MIN;
}

void sc_conv_plan_for_workers(const sc_conv *cv, long workers, sc_conv_plan *plan)
{
    if (workers < 2 || plan->algorithm == SC_CONV_NARROW)
        return;
    if (plan->algorithm == SC_CONV_IM2COL) {
        cut_columns_for_workers(cv, workers, plan);
        return;
    }
    if (plan->runs >= WINOGRAD_RUNS_PER_WORKER * workers)
        return;
    /* Shorter runs first, down to a register tile of columns (each tile's
     * values do not depend on the run it is in), then parts of the channels. */
    const long wanted = WINOGRAD_ITEMS_PER_WORKER * workers;
    long tile = plan->grid_tiles / wanted;
    tile = tile / WINOGRAD_TILES_FLOOR * WINOGRAD_TILES_FLOOR;
    const long shortest = shortest_run(cv, plan, workers);
    if (tile < shortest)
        tile = shortest;
    if (tile < plan->tile) {
        plan->tile = tile;
        plan->runs = plan->tiles = (plan->grid_tiles + tile - 1) / tile;
        plan->slice_bytes = winograd_slice_bytes(cv, plan);
        if (plan->runs >= WINOGRAD_RUNS_PER_WORKER * workers)
            return;
    }
    const long parts = (wanted + plan->runs - 1) / plan->runs;
    long rows = round_up((cv->cout + parts - 1) / parts, SC_SGEMM_ROWS_ALIGN);
    if (rows < WINOGRAD_PART_ROWS_MIN)
        rows = WINOGRAD_PART_ROWS_MIN;
    if (rows >= cv->cout)
        return;
    plan->part_rows = (int)rows;
    plan->cout_parts = (cv->cout + plan->part_rows - 1) / plan->part_rows;
    plan->tiles = plan->runs * plan->cout_parts;
    plan->slice_bytes = winograd_slice_bytes(cv, plan);
    /* As many pieces of the input transform as items. */
    long chunk = (cv->cin + parts - 1) / parts;
    if (chunk < WINOGRAD_INPUT_CHUNK_MIN)
        chunk = WINOGRAD_INPUT_CHUNK_MIN;
    if (chunk > cv->cin)
        chunk = cv->cin;
    plan->input_chunk = (int)chunk;
    plan->input_items = plan->runs * ((cv->cin + chunk - 1) / chunk);
    const int points = sc_winograd_points(plan->grid.side, plan->grid.k);
    plan->shared_bytes = sc_arena_align_up(
        (size_t)points * sc_winograd_point_stride(cv->cin, (int)plan->grid_tiles) * sizeof(float));
}
