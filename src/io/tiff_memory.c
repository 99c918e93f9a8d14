#include "io/tiff_memory.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static tmsize_t memory_read(thandle_t handle, void *buf, tmsize_t n)
{
    sc_tiff_memory *mem = handle;
    const uint8_t *bytes = mem->data ? mem->data : mem->buffer;
    if (n < 0 || mem->pos >= mem->size)
        return 0;
    size_t count = mem->size - mem->pos < (size_t)n ? mem->size - mem->pos : (size_t)n;
    memcpy(buf, bytes + mem->pos, count);
    mem->pos += count;
    return (tmsize_t)count;
}

static int grow(sc_tiff_memory *mem, size_t need)
{
    if (need <= mem->capacity)
        return 1;
    size_t capacity = mem->capacity ? mem->capacity : 64 * 1024;
    while (capacity < need)
        capacity *= 2;
    uint8_t *bigger = realloc(mem->buffer, capacity);
    if (!bigger) {
        mem->out_of_memory = 1;
        return 0;
    }
    mem->buffer = bigger;
    mem->capacity = capacity;
    return 1;
}

static tmsize_t memory_write(thandle_t handle, void *buf, tmsize_t n)
{
    sc_tiff_memory *mem = handle;
    if (mem->data || n < 0 || mem->pos > SIZE_MAX - (size_t)n ||
        !grow(mem, mem->pos + (size_t)n))
        return -1;
    if (mem->pos > mem->size) /* a seek past the end leaves a gap of zeros */
        memset(mem->buffer + mem->size, 0, mem->pos - mem->size);
    memcpy(mem->buffer + mem->pos, buf, (size_t)n);
    mem->pos += (size_t)n;
    if (mem->pos > mem->size)
        mem->size = mem->pos;
    return n;
}

static toff_t memory_seek(thandle_t handle, toff_t offset, int whence)
{
    sc_tiff_memory *mem = handle;
    uint64_t base = whence == SEEK_CUR ? mem->pos : whence == SEEK_END ? mem->size : 0;
    uint64_t to = base + offset;
    if (to < base || to > SIZE_MAX / 2)
        return (toff_t)-1;
    mem->pos = (size_t)to;
    return to;
}

static int memory_close(thandle_t handle)
{
    (void)handle;
    return 0;
}

static toff_t memory_size(thandle_t handle)
{
    return ((sc_tiff_memory *)handle)->size;
}

/* Reading maps the bytes in place, so that strips are not copied. */
static int memory_map(thandle_t handle, void **base, toff_t *size)
{
    sc_tiff_memory *mem = handle;
    if (!mem->data)
        return 0;
    *base = (void *)mem->data;
    *size = mem->size;
    return 1;
}

static void memory_unmap(thandle_t handle, void *base, toff_t size)
{
    (void)handle;
    (void)base;
    (void)size;
}

static int keep_error(TIFF *tif, void *user_data, const char *module, const char *fmt,
                      va_list ap)
{
    (void)tif;
    (void)module;
    sc_tiff_memory *mem = user_data;
    if (!mem->error[0])
        vsnprintf(mem->error, sizeof mem->error, fmt, ap);
    return 1;
}

static int drop_warning(TIFF *tif, void *user_data, const char *module, const char *fmt,
                        va_list ap)
{
    (void)tif;
    (void)user_data;
    (void)module;
    (void)fmt;
    (void)ap;
    return 1;
}

TIFF *sc_tiff_open_memory(sc_tiff_memory *mem, const uint8_t *data, size_t size,
                          const char *mode)
{
    memset(mem, 0, sizeof *mem);
    mem->data = data;
    mem->size = data ? size : 0;
    TIFFOpenOptions *options = TIFFOpenOptionsAlloc();
    if (!options)
        return NULL;
    TIFFOpenOptionsSetErrorHandlerExtR(options, keep_error, mem);
    TIFFOpenOptionsSetWarningHandlerExtR(options, drop_warning, mem);
    TIFF *tif = TIFFClientOpenExt("memory", mode, mem, memory_read, memory_write, memory_seek,
                                  memory_close, memory_size, memory_map, memory_unmap, options);
    TIFFOpenOptionsFree(options);
    return tif;
}
