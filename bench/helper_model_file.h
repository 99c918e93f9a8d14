/*
 * The tensors a source gives sc_model_build, kept and written out as a model
 * file (docs/model-format.md): bench_nets' random full-size model, saved so
 * that other builds and the Python reference can run the same one.
 */
#ifndef SC_BENCH_HELPER_MODEL_FILE_H
#define SC_BENCH_HELPER_MODEL_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "nets/weights.h"

typedef struct kept_tensor {
    char *name;
    int64_t shape[8];
    int ndim;
    float *data;
    size_t count;
} kept_tensor;

typedef struct kept_tensors {
    sc_tensor_read_fn source; /* where the values come from */
    void *source_ctx;
    kept_tensor *tensors;
    int count, capacity;
} kept_tensors;

/* An sc_tensor_read_fn over k->source that keeps a copy of each tensor read. */
sc_status kept_tensors_read(void *ctx, const char *name, const int64_t *shape, int ndim,
                            float *dst, sc_error *err);
/* Writes the kept tensors with config_json as a model file; 0 or -1 (errno). */
int kept_tensors_write(const kept_tensors *k, const char *config_json, const char *path);
void kept_tensors_free(kept_tensors *k);

#endif
