#include "io/picture_decode.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stb_image.h>

#include "core/error.h"
#include "io/exif_orientation.h"
#include "io/image.h"
#include "io/image_probe.h"
#include "io/jpeg_read.h"
#include "io/picture_codecs.h"

static const char *stb_reason(void)
{
    const char *reason = stbi_failure_reason();
    return reason ? reason : "unknown error";
}

static sc_status identify(const uint8_t *bytes, size_t size, const char *name,
                          sc_picture_format *format, sc_error *err)
{
    const char *other = NULL;
    *format = sc_picture_sniff(bytes, size, &other);
    if (other)
        return sc_fail(err, SC_ERR_IMAGE,
                       "%s: %s pictures are not supported (only PNG, JPEG, BMP, TGA, WebP, TIFF "
                       "and HEIF)", name,
                       other);
    if (*format == SC_PICTURE_UNKNOWN) {
        /* TGA has no signature; stb's TGA probe checks the header fields. But stb
         * probes every format here, and its JPEG reader skips 0xff fill bytes
         * before the first marker: "ff ff ff d8 ..." would reach its Huffman
         * tables without our DHT check (which runs for pictures sniffed as JPEG).
         * A TGA whose ID field is 255 bytes long is refused with them. */
        if (size > 0 && bytes[0] == 0xff)
            return sc_fail(err, SC_ERR_IMAGE, "%s: not a picture (unknown format)", name);
        int w, h, c;
        if (!stbi_info_from_memory(bytes, (int)size, &w, &h, &c))
            return sc_fail(err, SC_ERR_IMAGE, "%s: not a picture (unknown format)", name);
        *format = SC_PICTURE_TGA;
    }
    switch (sc_picture_container(*format, bytes, size)) {
    case SC_CONTAINER_TRUNCATED:
        return sc_fail(err, SC_ERR_IMAGE, "%s: truncated %s", name,
                       sc_picture_format_name(*format));
    case SC_CONTAINER_CORRUPT:
        return sc_fail(err, SC_ERR_IMAGE, "%s: corrupt %s", name,
                       sc_picture_format_name(*format));
    case SC_CONTAINER_COMPLETE: break;
    }
    return SC_OK;
}

sc_status sc_decoded_orient(sc_decoded *out, int orientation, const char *name, sc_error *err)
{
    if (orientation < 2 || orientation > 8)
        return SC_OK;
    size_t pixel_bytes = (size_t)out->channels * (size_t)(out->bits / 8);
    void *turned = sc_orient_pixels(out->pixels, &out->width, &out->height, pixel_bytes,
                                    orientation);
    if (!turned)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory applying the orientation",
                       name);
    free(out->pixels);
    out->pixels = turned;
    return SC_OK;
}

static sc_status apply_jpeg_orientation(const uint8_t *bytes, size_t size, const char *name,
                                        sc_decoded *out, sc_error *err)
{
    sc_jpeg_info info;
    sc_jpeg_scan(bytes, size, &info);
    return sc_decoded_orient(out, sc_exif_orientation(info.exif, info.exif_size), name, err);
}

sc_status sc_picture_check_size(const char *format, long long width, long long height,
                                const char *name, sc_error *err)
{
    if (width <= 0 || height <= 0)
        return sc_fail(err, SC_ERR_IMAGE, "%s: %s of zero size (%lldx%lld)", name, format, width,
                       height);
    if (width > SC_MAX_PIXELS || height > SC_MAX_PIXELS || width * height > SC_MAX_PIXELS)
        return sc_fail(err, SC_ERR_IMAGE, "%s: %lldx%lld pixels is more than the limit of %lld",
                       name, width, height, SC_MAX_PIXELS);
    return SC_OK;
}

/* SC_OK unless the header, as far as size bytes show it, states no pixels or
 * more than SC_MAX_PIXELS. */
static sc_status check_stated_size(sc_picture_format format, const uint8_t *bytes, size_t size,
                                   const char *name, sc_error *err)
{
    long long stated_w, stated_h;
    if (sc_picture_dimensions(format, bytes, size, &stated_w, &stated_h) != 0)
        return SC_OK;
    return sc_picture_check_size(sc_picture_format_name(format), stated_w, stated_h, name, err);
}

sc_status sc_picture_check_head(const void *head, size_t size, const char *name, sc_error *err)
{
    const char *other = NULL;
    sc_picture_format format = sc_picture_sniff(head, size, &other);
    if (format == SC_PICTURE_UNKNOWN)
        return SC_OK; /* TGA (no signature) or no picture: the decode tells */
    return check_stated_size(format, head, size, name, err);
}

/* The formats of picture_codecs.h: their pixels as stored, then converted. */
static sc_status library_decode(sc_picture_format format, const uint8_t *bytes, size_t size,
                                const char *name, int channels, int allow_16bit,
                                sc_decoded *out, sc_error *err)
{
    sc_status status;
    switch (format) {
    case SC_PICTURE_WEBP: status = sc_webp_decode(bytes, size, name, out, err); break;
    case SC_PICTURE_TIFF: status = sc_tiff_decode(bytes, size, name, out, err); break;
    case SC_PICTURE_HEIF: status = sc_heif_decode(bytes, size, name, out, err); break;
    case SC_PICTURE_JPEG:
        status = sc_jpeg_decode(bytes, size, name, out, err);
        if (status == SC_OK)
            status = apply_jpeg_orientation(bytes, size, name, out, err);
        break;
    default: return sc_fail(err, SC_ERR_IMAGE, "%s: not a picture (unknown format)", name);
    }
    if (status == SC_OK)
        status = sc_decoded_convert(out, channels, allow_16bit, name, err);
    if (status != SC_OK) {
        free(out->pixels);
        out->pixels = NULL;
    }
    return status;
}

static sc_status stb_decode(sc_picture_format format, const uint8_t *bytes, size_t size,
                            const char *name, int channels, int allow_16bit, sc_decoded *out,
                            sc_error *err)
{
    const char *format_name = sc_picture_format_name(format);
    int w, h, stored_channels;
    /* stb tries every format in turn here, so its failure reason would only
     * say that the last one did not match. */
    if (!stbi_info_from_memory(bytes, (int)size, &w, &h, &stored_channels))
        return sc_fail(err, SC_ERR_IMAGE, "%s: corrupt %s header", name, format_name);
    if (w <= 0 || h <= 0)
        return sc_fail(err, SC_ERR_IMAGE, "%s: %s of zero size", name, format_name);
    if ((long long)w * h > SC_MAX_PIXELS)
        return sc_fail(err, SC_ERR_IMAGE, "%s: %dx%d pixels is more than the limit of %lld",
                       name, w, h, SC_MAX_PIXELS);

    int is16 = allow_16bit && stbi_is_16_bit_from_memory(bytes, (int)size);
    int got_w, got_h, got_channels;
    void *pixels = is16 ? (void *)stbi_load_16_from_memory(bytes, (int)size, &got_w, &got_h,
                                                           &got_channels, channels)
                        : (void *)stbi_load_from_memory(bytes, (int)size, &got_w, &got_h,
                                                        &got_channels, channels);
    if (!pixels) {
        const char *reason = stb_reason();
        if (strcmp(reason, "outofmem") == 0)
            return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory decoding %s", name,
                           format_name);
        return sc_fail(err, SC_ERR_IMAGE, "%s: cannot decode %s (%s)", name, format_name,
                       reason);
    }
    if (got_w != w || got_h != h) {
        stbi_image_free(pixels);
        return sc_fail(err, SC_ERR_IMAGE, "%s: corrupt %s (size changed while decoding)", name,
                       format_name);
    }
    out->pixels = pixels;
    out->width = w;
    out->height = h;
    out->channels = channels ? channels : got_channels;
    out->bits = is16 ? 16 : 8;
    if (format == SC_PICTURE_JPEG) {
        sc_status status = apply_jpeg_orientation(bytes, size, name, out, err);
        if (status != SC_OK) {
            free(out->pixels);
            out->pixels = NULL;
            return status;
        }
    }
    return SC_OK;
}

sc_status sc_picture_decode(const void *data, size_t size, const char *name, int channels,
                            int allow_16bit, sc_decoded *out, sc_error *err)
{
    out->pixels = NULL;
    out->width = out->height = out->channels = out->bits = 0;
    if (!name)
        name = "(picture)";
    if (channels < 0 || channels > 4 || (!data && size))
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: invalid decode arguments", name);
    if (size == 0)
        return sc_fail(err, SC_ERR_IMAGE, "%s: empty file, not a picture", name);
    if (size > INT_MAX)
        return sc_fail(err, SC_ERR_IMAGE, "%s: file too large (%zu bytes)", name, size);
    const uint8_t *bytes = data;
    sc_picture_format format;
    sc_status status = identify(bytes, size, name, &format, err);
    if (status != SC_OK)
        return status;
    /* Refuse huge pictures from the header, before anything is allocated
     * (stb's own check would name a wrong reason for some of them). */
    status = check_stated_size(format, bytes, size, name, err);
    if (status != SC_OK)
        return status;
    if (!sc_picture_format_is_stb(format) ||
        (format == SC_PICTURE_JPEG && sc_jpeg_decodes(bytes, size)))
        return library_decode(format, bytes, size, name, channels, allow_16bit, out, err);
    return stb_decode(format, bytes, size, name, channels, allow_16bit, out, err);
}
