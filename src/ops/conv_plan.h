/*
 * How sc_conv2d cuts a layer into GEMMs (internal to ops). The cut depends only
 * on the layer and input shape, never on the thread count, so every output
 * value is produced by the same GEMM call whatever --threads is.
 */
#ifndef SC_OPS_CONV_PLAN_H
#define SC_OPS_CONV_PLAN_H

#include <stddef.h>

#include "ops/ops.h"

typedef struct sc_conv_plan {
    int out_h, out_w;
    int cin_g, cout_g; /* channels per group */
    int rows;          /* GEMM depth: cin_g * kh * kw */
    long columns;      /* output positions: out_h * out_w */
    long tile;         /* output positions per work item */
    long tiles;        /* work items per group */
    int direct;        /* 1x1, stride 1, no padding: GEMM straight on the input */
    size_t slice_bytes; /* im2col scratch of one worker (0 when direct) */
} sc_conv_plan;

/* 0 on success, -1 when the layer or the input size is unusable. */
int sc_conv_plan_make(const sc_conv *cv, int in_h, int in_w, sc_conv_plan *plan);

#endif
