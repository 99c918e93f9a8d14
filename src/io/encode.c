#include "io/encode.h"

#include <errno.h>
#include <string.h>
#include <stb_image_write.h>

#include "core/error.h"
#include "io/png_write.h"

/* The encoders report only "failed" (out of memory); write errors on the
 * stream are remembered here so they are not lost. */
typedef struct stream_sink {
    FILE *f;
    int write_error;
    const sc_encode_insert *insert; /* NULL, or not yet written */
    size_t written;                 /* bytes of the encoder's file so far */
} stream_sink;

static void put(stream_sink *sink, const void *data, size_t size)
{
    if (!sink->write_error && size && fwrite(data, 1, size, sink->f) != size)
        sink->write_error = errno ? errno : EIO;
}

/* The encoders hand their file over in pieces of any size; the inserted bytes
 * go in wherever the piece that crosses their offset is split. */
static void sink_append(void *context, const void *data, size_t n)
{
    stream_sink *sink = context;
    if (sink->write_error)
        return;
    const uint8_t *bytes = data;
    const sc_encode_insert *insert = sink->insert;
    if (insert && insert->at - sink->written <= n) {
        size_t before = insert->at - sink->written;
        put(sink, bytes, before);
        put(sink, insert->bytes, insert->size);
        bytes += before;
        n -= before;
        sink->written += before;
        sink->insert = NULL;
    }
    put(sink, bytes, n);
    sink->written += n;
}

static void stb_sink_write(void *context, void *data, int size)
{
    if (size > 0)
        sink_append(context, data, (size_t)size);
}

static sc_status finish(int encoded, const stream_sink *sink, const char *format,
                        const char *name, sc_error *err)
{
    /* A file shorter than the insert's offset never reaches it (encoding failed). */
    if (encoded && !sink->write_error && sink->insert)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: cannot encode %s (metadata not written)",
                       name, format);
    if (sink->write_error)
        return sc_fail(err, SC_ERR_IO, "%s: write error (%s)", name, strerror(sink->write_error));
    if (!encoded)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: cannot encode %s (out of memory)", name,
                       format);
    return SC_OK;
}

sc_status sc_encode_png(FILE *f, const uint8_t *pixels, int width, int height, int channels,
                        const sc_encode_insert *insert, const char *name, sc_error *err)
{
    stream_sink sink = {f, 0, insert, 0};
    errno = 0;
    int ok = sc_png_write(sink_append, &sink, pixels, width, height, channels);
    return finish(ok, &sink, "PNG", name, err);
}

sc_status sc_encode_jpeg(FILE *f, const uint8_t *pixels, int width, int height, int channels,
                         int quality, const sc_encode_insert *insert, const char *name,
                         sc_error *err)
{
    stream_sink sink = {f, 0, insert, 0};
    errno = 0;
    int ok = stbi_write_jpg_to_func(stb_sink_write, &sink, width, height, channels, pixels,
                                    quality);
    return finish(ok, &sink, "JPEG", name, err);
}

sc_status sc_encode_bmp(FILE *f, const uint8_t *pixels, int width, int height, int channels,
                        const char *name, sc_error *err)
{
    stream_sink sink = {f, 0, NULL, 0};
    errno = 0;
    int ok = stbi_write_bmp_to_func(stb_sink_write, &sink, width, height, channels, pixels);
    return finish(ok, &sink, "BMP", name, err);
}
