/* A float32 tensor in CHW layout (batch is always 1 at inference). */
#ifndef SC_CORE_TENSOR_H
#define SC_CORE_TENSOR_H

#include <stddef.h>

typedef struct sc_tensor {
    int c, h, w;
    float *data; /* c*h*w values, not owned unless allocated by sc_tensor_alloc */
} sc_tensor;

static inline size_t sc_tensor_size(const sc_tensor *t)
{
    return (size_t)t->c * (size_t)t->h * (size_t)t->w;
}

static inline float *sc_tensor_at(const sc_tensor *t, int c, int y, int x)
{
    return t->data + ((size_t)c * (size_t)t->h + (size_t)y) * (size_t)t->w + (size_t)x;
}

/* Heap tensor (for tests and long-lived buffers); data NULL on failure. */
sc_tensor sc_tensor_alloc(int c, int h, int w);
void sc_tensor_free(sc_tensor *t);

#endif
