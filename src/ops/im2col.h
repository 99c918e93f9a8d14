/* Unfolding part of a convolution's input into GEMM columns (internal to ops). */
#ifndef SC_OPS_IM2COL_H
#define SC_OPS_IM2COL_H

#include "core/tensor.h"
#include "ops/ops.h"

/* Fills col (rows = (cin/groups)*kh*kw, row length = count) with the input
 * values under output positions first .. first+count-1 (flattened y*out_w+x),
 * for the input channels of group `group`; taps in the padding read 0. */
void sc_im2col_tile(const sc_conv *cv, const sc_tensor *in, int group, int out_w,
                    long first, long count, float *col);

#endif
