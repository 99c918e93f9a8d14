#include "io/encode.h"

#include <errno.h>
#include <string.h>
#include <stb_image_write.h>

#include "core/error.h"

/* stb_image_write reports only "failed" (out of memory); write errors on the
 * stream are remembered here so they are not lost. */
typedef struct stream_sink {
    FILE *f;
    int write_error;
} stream_sink;

static void sink_write(void *context, void *data, int size)
{
    stream_sink *sink = context;
    if (sink->write_error || size <= 0)
        return;
    if (fwrite(data, 1, (size_t)size, sink->f) != (size_t)size)
        sink->write_error = errno ? errno : EIO;
}

static sc_status finish(int encoded, const stream_sink *sink, const char *format,
                        const char *name, sc_error *err)
{
    if (sink->write_error)
        return sc_fail(err, SC_ERR_IO, "%s: write error (%s)", name, strerror(sink->write_error));
    if (!encoded)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: cannot encode %s (out of memory)", name,
                       format);
    return SC_OK;
}

sc_status sc_encode_png(FILE *f, const uint8_t *pixels, int width, int height, int channels,
                        const char *name, sc_error *err)
{
    stream_sink sink = {f, 0};
    errno = 0;
    int ok = stbi_write_png_to_func(sink_write, &sink, width, height, channels, pixels,
                                    width * channels);
    return finish(ok, &sink, "PNG", name, err);
}

sc_status sc_encode_jpeg(FILE *f, const uint8_t *pixels, int width, int height, int channels,
                         int quality, const char *name, sc_error *err)
{
    stream_sink sink = {f, 0};
    errno = 0;
    int ok = stbi_write_jpg_to_func(sink_write, &sink, width, height, channels, pixels, quality);
    return finish(ok, &sink, "JPEG", name, err);
}

sc_status sc_encode_bmp(FILE *f, const uint8_t *pixels, int width, int height, int channels,
                        const char *name, sc_error *err)
{
    stream_sink sink = {f, 0};
    errno = 0;
    int ok = stbi_write_bmp_to_func(sink_write, &sink, width, height, channels, pixels);
    return finish(ok, &sink, "BMP", name, err);
}
