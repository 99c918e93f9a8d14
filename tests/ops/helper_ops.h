/* Shared by the ops tests: reproducible inputs and the error measure. */
#ifndef SC_TESTS_OPS_HELPER_OPS_H
#define SC_TESTS_OPS_HELPER_OPS_H

#include <stddef.h>

#include "core/tensor.h"

/* Largest error allowed against a float64 twin, relative to the largest |value|. */
#define OPS_REL_TOLERANCE 1e-5

/* Fills x with uniform values in [lo, hi) from a fixed-seed generator. */
void fill_uniform(float *x, size_t n, unsigned seed, float lo, float hi);
/* Small integers in [0, levels): many exact ties, for max/argmax tests. */
void fill_levels(float *x, size_t n, unsigned seed, int levels);
/* A heap tensor filled with fill_uniform in [-1, 1); aborts the test if out of memory. */
sc_tensor random_tensor(int c, int h, int w, unsigned seed);
/* A zeroed heap tensor; aborts the test if out of memory. */
sc_tensor zero_tensor(int c, int h, int w);
/* max |got - want| / max |want| (0 when want is all zero). */
double max_rel_error(const float *got, const float *want, size_t n);

#endif
