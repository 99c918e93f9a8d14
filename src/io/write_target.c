/* The writers' targets: a file (atomically), a stream, a new buffer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/error.h"
#include "io/image.h"

static sc_status timed(sc_status status, double start)
{
    sc_timings_add_since(&sc_timings_thread()->encode, start);
    return status;
}

sc_status sc_write_to_file(const char *path, const sc_writer *writer, sc_error *err)
{
    sc_status status = writer->check(writer->ctx, err);
    if (status != SC_OK)
        return status;
    double start = sc_now();
    return timed(sc_write_atomic(path, writer->write, writer->ctx, err), start);
}

sc_status sc_write_to_stream(FILE *f, const sc_writer *writer, sc_error *err)
{
    if (!f)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: no stream given", writer->name);
    sc_status status = writer->check(writer->ctx, err);
    if (status != SC_OK)
        return status;
    double start = sc_now();
    status = writer->write(f, writer->ctx, err);
    errno = 0;
    /* Most of the bytes usually sit in the stream's buffer until this flush,
     * so a full disk or a closed pipe shows up here. */
    if (status == SC_OK && (fflush(f) != 0 || ferror(f)))
        status = sc_fail(err, SC_ERR_IO, "%s: write error (%s)", writer->name,
                         strerror(errno ? errno : EIO));
    return timed(status, start);
}

sc_status sc_write_to_buffer(const sc_writer *writer, void **data, size_t *size, sc_error *err)
{
    if (!data || !size)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: no output given", writer->name);
    *data = NULL;
    *size = 0;
    sc_status status = writer->check(writer->ctx, err);
    if (status != SC_OK)
        return status;
    double start = sc_now();
    char *buf = NULL;
    size_t length = 0;
    FILE *f = open_memstream(&buf, &length);
    if (!f)
        return timed(sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory", writer->name), start);
    status = writer->write(f, writer->ctx, err);
    if (fclose(f) != 0 && status == SC_OK)
        status = sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory", writer->name);
    if (status != SC_OK) {
        free(buf);
        return timed(status, start);
    }
    *data = buf;
    *size = length;
    return timed(SC_OK, start);
}

void sc_buffer_free(void *data)
{
    free(data);
}
