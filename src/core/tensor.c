#include "core/tensor.h"

#include <stdlib.h>

sc_tensor sc_tensor_alloc(int c, int h, int w)
{
    sc_tensor t = {c, h, w, NULL};
    if (c > 0 && h > 0 && w > 0)
        t.data = calloc((size_t)c * (size_t)h * (size_t)w, sizeof(float));
    return t;
}

void sc_tensor_free(sc_tensor *t)
{
    free(t->data);
    t->data = NULL;
}
