#include "io/decode_source.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/error.h"
#include "io/picture_decode.h"
#include "io/read_file.h"

/* The largest input read, as for files: the decoders index it with int. */
#define MAX_INPUT_BYTES ((size_t)INT_MAX)

static sc_status timed_decode(const void *data, size_t size, const char *name,
                              sc_decode_fn decode, void *out, double start, sc_error *err)
{
    sc_status status = decode(data, size, name, out, err);
    sc_timings_add_since(&sc_timings_thread()->decode, start);
    return status;
}

/* For the bytes the file and stream readers allocated. */
static sc_status decode_and_free(void *data, size_t size, const char *name, sc_decode_fn decode,
                                 void *out, double start, sc_error *err)
{
    sc_status status = timed_decode(data, size, name, decode, out, start, err);
    free(data);
    return status;
}

static sc_status clear_output(void *out, size_t out_size, const char *name, sc_error *err)
{
    if (!out)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: no output given", name);
    memset(out, 0, out_size);
    return SC_OK;
}

sc_status sc_decode_file(const char *path, sc_decode_fn decode, void *out, size_t out_size,
                         sc_error *err)
{
    double start = sc_now();
    sc_status status = clear_output(out, out_size, path ? path : "(file)", err);
    if (status != SC_OK)
        return status;
    if (!path)
        return sc_fail(err, SC_ERR_INVALID_ARG, "(file): no path given");
    status = sc_picture_check_file_head(path, err);
    if (status != SC_OK)
        return status;
    void *data = NULL;
    size_t size = 0;
    status = sc_read_file(path, MAX_INPUT_BYTES, &data, &size, err);
    if (status != SC_OK)
        return status;
    return decode_and_free(data, size, path, decode, out, start, err);
}

sc_status sc_decode_memory(const void *data, size_t size, const char *name, sc_decode_fn decode,
                           void *out, size_t out_size, sc_error *err)
{
    if (!name)
        name = "(memory)";
    sc_status status = clear_output(out, out_size, name, err);
    if (status != SC_OK)
        return status;
    if (!data)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: no data given", name);
    return timed_decode(data, size, name, decode, out, sc_now(), err);
}

/* The whole rest of the stream in a malloc'd buffer. The picture's header is
 * checked as soon as its bytes are in, so that a picture too large to decode
 * is not read in full either. */
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
            if (!head_checked && (status = sc_picture_check_head(buf, used, name, err)) != SC_OK)
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
        status = sc_picture_check_head(buf, used, name, err);
    if (status != SC_OK) {
        free(buf);
        return status;
    }
    *data = buf;
    *size = used;
    return SC_OK;
}

sc_status sc_decode_stream(FILE *file, const char *name, sc_decode_fn decode, void *out,
                           size_t out_size, sc_error *err)
{
    if (!name)
        name = "(stream)";
    sc_status status = clear_output(out, out_size, name, err);
    if (status != SC_OK)
        return status;
    if (!file)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: no stream given", name);
    double start = sc_now();
    void *data = NULL;
    size_t size = 0;
    status = read_stream(file, name, &data, &size, err);
    if (status != SC_OK)
        return status;
    return decode_and_free(data, size, name, decode, out, start, err);
}
