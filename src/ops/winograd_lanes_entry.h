/* The transforms on 8 and 16 lanes (internal to ops/winograd*.c): the same
 * arguments and bits as sc_winograd_input and sc_winograd_output
 * (ops/winograd.h), which pick one by the instruction sets allowed. */
#ifndef SC_OPS_WINOGRAD_LANES_ENTRY_H
#define SC_OPS_WINOGRAD_LANES_ENTRY_H

#include <stddef.h>

#include "ops/winograd.h"

void sc_winograd_input_lanes8(const sc_tensor *in, const sc_winograd_grid *grid, long first,
                              int count, float *v, size_t row_stride, size_t point_stride);
void sc_winograd_output_lanes8(const float *m, int cout, const sc_winograd_grid *grid, long first,
                               int count, const float *bias, int act, sc_tensor *out);
void sc_winograd_input_lanes16(const sc_tensor *in, const sc_winograd_grid *grid, long first,
                               int count, float *v, size_t row_stride, size_t point_stride);
void sc_winograd_output_lanes16(const float *m, int cout, const sc_winograd_grid *grid,
                                long first, int count, const float *bias, int act,
                                sc_tensor *out);

#endif
