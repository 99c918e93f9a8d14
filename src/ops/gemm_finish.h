/*
 * The output pass of a register tile's row, in registers (internal to
 * gemm_avx2.c and gemm_avx512.c, which define GEMM_OP(op) as their intrinsic
 * for op first): the bias added to the finished sum, then the activation, with
 * the values of gemm.c's separate pass. max(0, x) with zero as the first
 * operand keeps -0 and NaN, as x < 0 ? 0 : x does; min(6, x) likewise.
 */
#ifndef SC_OPS_GEMM_FINISH_H
#define SC_OPS_GEMM_FINISH_H

#include "ops/ops.h"

/* v = act(v + *bias); bias may be NULL (no bias). */
#define SC_GEMM_FINISH(v, bias, act)                                  \
    do {                                                              \
        if (bias)                                                     \
            (v) = GEMM_OP(add_ps)((v), GEMM_OP(set1_ps)(*(bias)));    \
        if ((act) != SC_ACT_NONE)                                     \
            (v) = GEMM_OP(max_ps)(GEMM_OP(setzero_ps)(), (v));        \
        if ((act) == SC_ACT_RELU6)                                    \
            (v) = GEMM_OP(min_ps)(GEMM_OP(set1_ps)(6.0f), (v));       \
    } while (0)

#endif
