/* Copying a validated tensor out of the mapping as float32. */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "io/half.h"
#include "io/safetensors.h"
#include "io/safetensors_shape.h"

void sc_st_format_shape(char *buf, size_t size, const int64_t *shape, int ndim)
{
    size_t used = 0;
    if (size == 0)
        return;
    buf[0] = '\0';
    int n = snprintf(buf, size, "[");
    for (int i = 0; n >= 0 && i < ndim; i++) {
        used += (size_t)n;
        if (used >= size)
            return;
        n = snprintf(buf + used, size - used, i ? ",%lld" : "%lld", (long long)shape[i]);
    }
    if (n < 0)
        return;
    used += (size_t)n;
    if (used < size)
        snprintf(buf + used, size - used, "]");
}

int sc_st_shape_count(const int64_t *shape, int ndim, size_t *count)
{
    size_t total = 1;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 0)
            return -1;
        if ((uint64_t)shape[i] > (uint64_t)SIZE_MAX)
            return -1;
        size_t d = (size_t)shape[i];
        if (d != 0 && total > SIZE_MAX / d)
            return -1;
        total *= d;
    }
    /* A zero dimension makes the product 0 even if other dimensions alone
     * would overflow; that is fine: zero elements is exact. */
    *count = total;
    return 0;
}

static int same_shape(const sc_st_tensor *t, const int64_t *shape, int ndim)
{
    if (t->ndim != ndim)
        return 0;
    for (int i = 0; i < ndim; i++)
        if (t->shape[i] != shape[i])
            return 0;
    return 1;
}

/* The mapping may put a tensor at any byte offset, so values are assembled
 * byte by byte rather than read through a (possibly misaligned) float*. */
static void copy_f32(const unsigned char *src, size_t count, float *dst)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(dst, src, count * sizeof(float));
#else
    for (size_t i = 0; i < count; i++) {
        const unsigned char *b = src + 4 * i;
        uint32_t bits = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                        (uint32_t)b[3] << 24;
        memcpy(&dst[i], &bits, sizeof bits);
    }
#endif
}

static void copy_f16(const unsigned char *src, size_t count, float *dst)
{
    for (size_t i = 0; i < count; i++) {
        uint16_t h = (uint16_t)(src[2 * i] | src[2 * i + 1] << 8);
        dst[i] = sc_half_to_float(h);
    }
}

sc_status sc_st_read_f32(const sc_safetensors *st, const char *name, const int64_t *shape,
                         int ndim, float *dst, sc_error *err)
{
    if (!st || !name || ndim < 0 || ndim > SC_ST_MAX_DIMS || (ndim > 0 && !shape))
        return sc_fail(err, SC_ERR_INVALID_ARG, "sc_st_read_f32: invalid arguments");
    const sc_st_tensor *t = sc_st_find(st, name);
    if (!t)
        return sc_fail(err, SC_ERR_MODEL, "%s: tensor '%s' not found", st->path, name);
    if (!same_shape(t, shape, ndim)) {
        char have[SC_ST_SHAPE_TEXT], want[SC_ST_SHAPE_TEXT];
        sc_st_format_shape(have, sizeof have, t->shape, t->ndim);
        sc_st_format_shape(want, sizeof want, shape, ndim);
        return sc_fail(err, SC_ERR_MODEL, "%s: tensor '%s' has shape %s, expected %s", st->path,
                       name, have, want);
    }
    size_t count = 0;
    sc_st_shape_count(t->shape, t->ndim, &count); /* validated at open */
    if (count == 0 || !dst)
        return SC_OK;
    if (t->dtype == SC_DTYPE_F32)
        copy_f32(t->data, count, dst);
    else
        copy_f16(t->data, count, dst);
    return SC_OK;
}
