/*
 * Deterministic pseudo-random parameters of sane magnitude (He-style conv
 * weights, batch-norm variances in [0.5, 2]): a full-size model for the
 * benchmarks without a model file. A tensor source for sc_model_build.
 */
#ifndef SC_BENCH_HELPER_RANDOM_WEIGHTS_H
#define SC_BENCH_HELPER_RANDOM_WEIGHTS_H

#include <stdint.h>

#include "skychange.h"

typedef struct random_weights {
    uint64_t state;
} random_weights;

/* An sc_tensor_read_fn; ctx is a random_weights seeded with a non-zero state. */
sc_status random_weights_read(void *ctx, const char *name, const int64_t *shape, int ndim,
                              float *dst, sc_error *err);

#endif
