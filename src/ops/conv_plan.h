/*
 * How sc_conv2d cuts a layer into GEMMs (internal to ops). The cut depends only
 * on the layer and input shape, so every output value is produced by the same
 * GEMM call whatever --threads is. The one exception, sc_conv_plan_for_workers,
 * cuts finer for many workers only where our GEMM kernels sum every value the
 * same way however the calls are cut (by columns; by output channels at whole
 * row panels), so the values still do not depend on the thread count.
 */
#ifndef SC_OPS_CONV_PLAN_H
#define SC_OPS_CONV_PLAN_H

#include <stddef.h>

#include "ops/ops.h"
#include "ops/winograd.h"

/* How a layer is computed. */
enum { SC_CONV_IM2COL = 0, SC_CONV_WINOGRAD = 1, SC_CONV_NARROW = 2 };

typedef struct sc_conv_plan {
    int algorithm;     /* SC_CONV_IM2COL (direct GEMM when 1x1), _WINOGRAD or _NARROW */
    int out_h, out_w;
    int cin_g, cout_g; /* channels per group */
    int rows;          /* GEMM depth: cin_g * kh * kw */
    long columns;      /* output positions: out_h * out_w */
    long tile;         /* output positions per work item (Winograd: output tiles;
                          narrow: output rows) */
    long tiles;        /* work items per group (Winograd: runs x cout_parts) */
    int direct;        /* 1x1, stride 1, no padding: GEMM straight on the input */
    size_t slice_bytes; /* scratch of one worker (0 when direct) */
    sc_winograd_grid grid; /* Winograd: where the output tiles lie */
    long grid_tiles;       /* Winograd: sc_winograd_grid_tiles(&grid) */
    long runs;             /* Winograd: runs of `tile` output tiles */
    int cout_parts;        /* Winograd: each run's output channels cut into this many
                              items of part_rows (the last may have fewer) */
    int part_rows;
    /* Winograd with cout_parts > 1: the input transform of the whole grid,
     * done once before the items in input_items pieces (runs x channel
     * chunks of input_chunk), kept in shared_bytes of scratch for the parts
     * to share; where the scratch lacks room, each item transforms its own
     * run (the same values, so the same results). 0 otherwise. */
    long input_items;
    int input_chunk;
    size_t shared_bytes;
} sc_conv_plan;

/* 0 on success, -1 when the layer or the input size is unusable. Layers with
 * at most SC_CONV_NARROW_MAX_COUT output channels and stride 1 run narrow
 * (ops/conv_narrow.h); others the algorithm they were prepared for
 * (cv->prepared), when that preparation still fits the GEMM kernel in use;
 * else im2col. Reproducible mode and SKYCHANGE_CONV=im2col run im2col. */
int sc_conv_plan_make(const sc_conv *cv, int in_h, int in_w, sc_conv_plan *plan);

/* With `workers` sharing the layer: cuts a Winograd layer with too few runs
 * to keep them all busy into parts of its output channels (cout_parts,
 * part_rows, tiles, slice_bytes) with a shared input transform (input_items,
 * input_chunk, shared_bytes), and an im2col or 1x1 layer with too few column
 * tiles into narrower ones (tile, tiles, slice_bytes) where the GEMM kernel
 * allows it. Narrow plans, and fewer than 2 workers, stay as they are. */
void sc_conv_plan_for_workers(const sc_conv *cv, long workers, sc_conv_plan *plan);

/* The algorithm a layer is prepared for at load, by its shape alone:
 * Winograd for 3x3 and 5x5, stride-1, dilation-1, ungrouped layers wide enough to
 * gain from it, im2col for the rest. For comparisons and error measurements
 * the environment can say SKYCHANGE_CONV=im2col (every layer im2col) or
 * SKYCHANGE_CONV=winograd (Winograd on every layer of that shape, narrow
 * ones too). */
int sc_conv_choose_algorithm(const sc_conv *cv);

/* "im2col", "gemm" (1x1 straight on the input), "winograd" (4x4 output
 * tiles), "wino2x2" (2x2 tiles) or "narrow": for reports. */
const char *sc_conv_algorithm_name(const sc_conv_plan *plan);

#endif
