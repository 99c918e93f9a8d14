/*
 * Reading a model file in the safetensors layout: u64 little-endian header
 * length, a JSON header {name: {dtype, shape, data_offsets}, "__metadata__":
 * {string: string}}, then raw little-endian tensor bytes. The file is mmap'd;
 * everything is validated at open so later lookups cannot read out of bounds.
 */
#ifndef SC_IO_SAFETENSORS_H
#define SC_IO_SAFETENSORS_H

#include <stddef.h>
#include <stdint.h>

#include "skychange.h"

#define SC_ST_MAX_DIMS 8

typedef enum sc_dtype { SC_DTYPE_F32, SC_DTYPE_F16 } sc_dtype;

typedef struct sc_st_tensor {
    char *name;
    sc_dtype dtype;
    int ndim;
    int64_t shape[SC_ST_MAX_DIMS];
    const void *data; /* inside the mapping */
    size_t nbytes;
} sc_st_tensor;

typedef struct sc_safetensors {
    char *path; /* as given, for messages */
    void *map;
    size_t map_size;
    int count;
    sc_st_tensor *tensors;
    int meta_count;
    char **meta_keys, **meta_values;
} sc_safetensors;

/* Opens and validates: header length in range, JSON well formed, dtypes known,
 * shape product x dtype size == byte size, offsets in range, no overlaps.
 * Errors name the file (and tensor). */
sc_status sc_st_open(const char *path, sc_safetensors *st, sc_error *err);
void sc_st_close(sc_safetensors *st);

const sc_st_tensor *sc_st_find(const sc_safetensors *st, const char *name);
/* Metadata value or NULL. */
const char *sc_st_metadata(const sc_safetensors *st, const char *key);

/* Copies tensor `name` as float32 (F16 widened) into dst after checking it exists
 * and has exactly the expected shape; with dst NULL only checks. Error e.g.
 * "m.safetensors: tensor 'refine.down1.conv1.cbr_unit.0.weight' has shape [64,4,3,3], expected [64,3,3,3]" */
sc_status sc_st_read_f32(const sc_safetensors *st, const char *name, const int64_t *shape,
                         int ndim, float *dst, sc_error *err);

#endif
