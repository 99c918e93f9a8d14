/* Shape helpers shared by the safetensors reader's validation and reads. */
#ifndef SC_IO_SAFETENSORS_SHAPE_H
#define SC_IO_SAFETENSORS_SHAPE_H

#include <stddef.h>
#include <stdint.h>

#include "io/safetensors.h"

/* Room for "[d0,...,d7]" with 19-digit dimensions. */
#define SC_ST_SHAPE_TEXT (SC_ST_MAX_DIMS * 21 + 3)

/* "[64,3,3,3]"; "[]" for a scalar. */
void sc_st_format_shape(char *buf, size_t size, const int64_t *shape, int ndim);
/* Product of the dimensions; -1 if a dimension is negative or the product
 * does not fit in size_t. */
int sc_st_shape_count(const int64_t *shape, int ndim, size_t *count);

#endif
