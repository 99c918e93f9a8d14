#include "io/decode_source.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/error.h"
#include "io/pfm.h"
#include "io/picture_decode.h"
#include "io/read_file.h"

/* The largest input read, as for files: the decoders index it with int. */
#define MAX_INPUT_BYTES ((size_t)INT_MAX)

/* Names the input in messages (unnamed when the caller gave no name), empties
 * out so that a failed read leaves it empty, and refuses a missing input. */
static sc_status begin(void *out, size_t out_size, const char **name, const char *unnamed,
                       const void *input, sc_error *err)
{
    if (!*name)
        *name = unnamed;
    if (!out)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: no output given", *name);
    memset(out, 0, out_size);
    if (!input)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: no input given", *name);
    return SC_OK;
}

static sc_status timed_decode(const void *data, size_t size, const char *name,
                              sc_decode_fn decode, void *out, double start, sc_error *err)
{
    sc_status status = decode(data, size, name, out, err);
    sc_timings_add_since(&sc_timings_thread()->decode, start);
    return status;
}

/* The whole rest of the stream in a malloc'd buffer. The picture's or PFM's
 * header is checked as soon as its bytes are in, so that an input too large
 * to decode is not read in full either. */
static sc_status read_stream(FILE *file, const char *name, void **data, size_t *size,
                             sc_error *err)
{
    size_t capacity = SC_PICTURE_HEAD_BYTES, used = 0;
    int head_checked = 0;
    unsigned char *buf = malloc(capacity);
    if (!buf)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory reading the stream", name);
    sc_status status = SC_OK;
    for (;;) {
        if (used == capacity) {
            if (!head_checked && (status = sc_input_check_head(buf, used, SC_PFM_SIZE_UNKNOWN,
                                                               name, err)) != SC_OK)
                break;
            head_checked = 1;
            if (capacity > MAX_INPUT_BYTES) {
                status = sc_fail(err, SC_ERR_IO, "%s: stream too large", name);
                break;
            }
            unsigned char *bigger = realloc(buf, capacity * 2);
            if (!bigger) {
                status = sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory reading the stream",
                                 name);
                break;
            }
            buf = bigger;
            capacity *= 2;
        }
        size_t got = fread(buf + used, 1, capacity - used, file);
        used += got;
        if (got == 0) {
            if (ferror(file))
                status = sc_fail(err, SC_ERR_IO, "%s: read error (%s)", name, strerror(errno));
            break;
        }
    }
    if (status == SC_OK && !head_checked)
        status = sc_input_check_head(buf, used, used, name, err);
    if (status != SC_OK) {
        free(buf);
        return status;
    }
    *data = buf;
    *size = used;
    return SC_OK;
}

/* Where the bytes come from: a file or a stream. */
typedef struct byte_source {
    const char *path;
    FILE *file;
} byte_source;

static sc_status read_bytes(const byte_source *source, const char *name, void **data,
                            size_t *size, sc_error *err)
{
    if (source->file)
        return read_stream(source->file, name, data, size, err);
    sc_status status = sc_picture_check_file_head(source->path, err);
    if (status != SC_OK)
        return status;
    return sc_read_file(source->path, MAX_INPUT_BYTES, data, size, err);
}

static sc_status read_and_decode(const byte_source *source, const char *name,
                                 sc_decode_fn decode, void *out, sc_error *err)
{
    double start = sc_now();
    void *data = NULL;
    size_t size = 0;
    sc_status status = read_bytes(source, name, &data, &size, err);
    if (status != SC_OK)
        return status;
    status = timed_decode(data, size, name, decode, out, start, err);
    free(data);
    return status;
}

sc_status sc_decode_file(const char *path, sc_decode_fn decode, void *out, size_t out_size,
                         sc_error *err)
{
    const char *name = path;
    sc_status status = begin(out, out_size, &name, "(file)", path, err);
    return status != SC_OK ? status
                           : read_and_decode(&(byte_source){path, NULL}, name, decode, out, err);
}

sc_status sc_decode_memory(const void *data, size_t size, const char *name, sc_decode_fn decode,
                           void *out, size_t out_size, sc_error *err)
{
    sc_status status = begin(out, out_size, &name, "(memory)", data, err);
    return status != SC_OK ? status : timed_decode(data, size, name, decode, out, sc_now(), err);
}

sc_status sc_decode_stream(FILE *file, const char *name, sc_decode_fn decode, void *out,
                           size_t out_size, sc_error *err)
{
    sc_status status = begin(out, out_size, &name, "(stream)", file, err);
    return status != SC_OK ? status
                           : read_and_decode(&(byte_source){NULL, file}, name, decode, out, err);
}
