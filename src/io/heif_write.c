/* HEIC results through libheif's HEVC encoder, with the picture's EXIF and
 * ICC profile. */
#include <errno.h>
#include <string.h>

#include "core/error.h"
#include "io/heif_library.h"
#include "io/picture_codecs.h"

typedef struct stream_writer {
    FILE *f;
    int error; /* errno of the first failed write */
} stream_writer;

static struct heif_error write_bytes(struct heif_context *ctx, const void *data, size_t size,
                                     void *userdata)
{
    (void)ctx;
    stream_writer *w = userdata;
    errno = 0;
    if (size && fwrite(data, 1, size, w->f) != size) {
        w->error = errno ? errno : EIO;
        return (struct heif_error){heif_error_Encoding_error,
                                   heif_suberror_Cannot_write_output_data, "write error"};
    }
    return (struct heif_error){heif_error_Ok, heif_suberror_Unspecified, "ok"};
}

/* The picture as a libheif image, its profile attached. */
static struct heif_error make_image(const sc_heif_api *h, const sc_image *img,
                                   struct heif_image **out)
{
    struct heif_error e = h->image_create(img->width, img->height, heif_colorspace_RGB,
                                          heif_chroma_interleaved_RGB, out);
    if (e.code == heif_error_Ok)
        e = h->image_add_plane(*out, heif_channel_interleaved, img->width, img->height, 8);
    if (e.code != heif_error_Ok)
        return e;
    int stride = 0;
    uint8_t *plane = h->image_get_plane(*out, heif_channel_interleaved, &stride);
    size_t row_bytes = (size_t)img->width * 3;
    for (int y = 0; y < img->height; y++)
        memcpy(plane + (size_t)y * (size_t)stride, img->rgb + (size_t)y * row_bytes, row_bytes);
    if (img->icc)
        e = h->image_set_raw_color_profile(*out, "prof", img->icc, img->icc_size);
    return e;
}

/* libheif's reason for a failure, copied into why. */
static void keep_reason(struct heif_error e, char *why, size_t why_size)
{
    if (e.code != heif_error_Ok)
        snprintf(why, why_size, "%s", e.message ? e.message : "unknown error");
}

static struct heif_error encode(const sc_heif_api *h, struct heif_context *ctx,
                                 const sc_image *img, int quality, const char *preset, char *why,
                                 size_t why_size)
{
    struct heif_encoder *encoder = NULL;
    struct heif_image *image = NULL;
    struct heif_image_handle *handle = NULL;
    struct heif_error e = h->context_get_encoder_for_format(ctx, heif_compression_HEVC, &encoder);
    if (e.code == heif_error_Ok)
        e = h->encoder_set_lossy_quality(encoder, quality);
    if (e.code == heif_error_Ok)
        e = h->encoder_set_parameter_string(encoder, "preset", preset);
    if (e.code == heif_error_Ok)
        e = make_image(h, img, &image);
    if (e.code == heif_error_Ok)
        e = h->context_encode_image(ctx, image, encoder, NULL, &handle);
    if (e.code == heif_error_Ok && img->exif)
        e = h->context_add_exif_metadata(ctx, handle, img->exif, (int)img->exif_size);
    keep_reason(e, why, why_size); /* the message may belong to what is released here */
    if (handle)
        h->image_handle_release(handle);
    if (image)
        h->image_release(image);
    if (encoder)
        h->encoder_release(encoder);
    return e;
}

sc_status sc_encode_heic(FILE *f, const sc_image *img, int quality, const char *name,
                         sc_error *err)
{
    /* x265's "slow", libheif's default, encodes about three times slower than
     * "fast" for a file 4 % smaller (bench/bench_picture_formats). */
    return sc_encode_heic_preset(f, img, quality, "fast", name, err);
}

sc_status sc_encode_heic_preset(FILE *f, const sc_image *img, int quality, const char *preset,
                                const char *name, sc_error *err)
{
    const char *missing;
    const sc_heif_api *h = sc_heif(&missing);
    if (!h)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: cannot encode HEIC: %s", name, missing);
    struct heif_context *ctx = h->context_alloc();
    if (!ctx)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: cannot encode HEIC (out of memory)", name);
    char why[160] = "";
    struct heif_error e = encode(h, ctx, img, quality, preset, why, sizeof why);
    stream_writer w = {f, 0};
    if (e.code == heif_error_Ok) {
        struct heif_writer writer = {1, write_bytes};
        e = h->context_write(ctx, &writer, &w);
        keep_reason(e, why, sizeof why);
    }
    h->context_free(ctx);
    if (w.error)
        return sc_fail(err, SC_ERR_IO, "%s: write error (%s)", name, strerror(w.error));
    if (e.code == heif_error_Memory_allocation_error)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: cannot encode HEIC (out of memory)", name);
    if (e.code != heif_error_Ok)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: cannot encode HEIC (%s)", name, why);
    return SC_OK;
}
