/* WebP pictures through libwebp: the header, the pixels, the EXIF and ICC chunks. */
#include <stdlib.h>
#include <string.h>
#include <webp/decode.h>

#include "core/error.h"
#include "io/byte_order.h"
#include "io/exif_orientation.h"
#include "io/picture_codecs.h"
#include "io/picture_metadata.h"

int sc_webp_dimensions(const uint8_t *data, size_t size, long long *width, long long *height)
{
    WebPBitstreamFeatures features;
    if (WebPGetFeatures(data, size, &features) != VP8_STATUS_OK)
        return -1;
    *width = features.width;
    *height = features.height;
    return 0;
}

/* The payload of the file's first chunk of that four-letter type, pointing
 * into data: 1, or 0 when there is none. The RIFF chunks are walked here
 * rather than by libwebp's demuxer, which allocates and cannot tell a
 * failed allocation from a malformed file. */
static int find_chunk(const uint8_t *data, size_t size, const char *type,
                      const uint8_t **payload, size_t *payload_size)
{
    size_t pos = 12; /* "RIFF", size, "WEBP" */
    while (size >= pos && size - pos >= 8) {
        size_t length = sc_le32(data + pos + 4);
        if (length > size - pos - 8)
            return 0;
        if (memcmp(data + pos, type, 4) == 0) {
            *payload = data + pos + 8;
            *payload_size = length;
            return 1;
        }
        pos += 8 + length + (length & 1); /* chunks are padded to an even size */
    }
    return 0;
}

/* The EXIF chunk holds a TIFF structure; some writers put JPEG's "Exif\0\0"
 * before it. */
static int find_exif(const uint8_t *data, size_t size, const uint8_t **exif, size_t *exif_size)
{
    int found = find_chunk(data, size, "EXIF", exif, exif_size);
    if (found && *exif_size >= 6 && memcmp(*exif, "Exif\0\0", 6) == 0) {
        *exif += 6;
        *exif_size -= 6;
    }
    return found;
}

static sc_status decode_failure(VP8StatusCode code, const char *name, sc_error *err)
{
    switch (code) {
    case VP8_STATUS_NOT_ENOUGH_DATA:
        return sc_fail(err, SC_ERR_IMAGE, "%s: truncated WebP", name);
    case VP8_STATUS_OUT_OF_MEMORY:
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory decoding WebP", name);
    case VP8_STATUS_UNSUPPORTED_FEATURE:
        return sc_fail(err, SC_ERR_IMAGE, "%s: cannot decode WebP (unsupported feature)", name);
    default:
        return sc_fail(err, SC_ERR_IMAGE, "%s: corrupt WebP (libwebp status %d)", name,
                       (int)code);
    }
}

sc_status sc_webp_decode(const uint8_t *data, size_t size, const char *name, sc_decoded *out,
                         sc_error *err)
{
    WebPDecoderConfig config;
    if (!WebPInitDecoderConfig(&config))
        return sc_fail(err, SC_ERR_IMAGE, "%s: libwebp version mismatch", name);
    VP8StatusCode code = WebPGetFeatures(data, size, &config.input);
    if (code != VP8_STATUS_OK)
        return decode_failure(code, name, err);
    if (config.input.has_animation)
        return sc_fail(err, SC_ERR_IMAGE, "%s: animated WebP pictures are not supported", name);
    int w = config.input.width, h = config.input.height;
    sc_status status = sc_picture_check_size("WebP", w, h, name, err);
    if (status != SC_OK)
        return status;
    int channels = config.input.has_alpha ? 4 : 3;
    size_t stride = (size_t)w * (size_t)channels, total = stride * (size_t)h;
    uint8_t *pixels = malloc(total);
    if (!pixels)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory decoding WebP", name);
    config.output.colorspace = channels == 4 ? MODE_RGBA : MODE_RGB;
    config.output.is_external_memory = 1;
    config.output.u.RGBA.rgba = pixels;
    config.output.u.RGBA.stride = (int)stride;
    config.output.u.RGBA.size = total;
    code = WebPDecode(data, size, &config);
    WebPFreeDecBuffer(&config.output);
    if (code != VP8_STATUS_OK) {
        free(pixels);
        return decode_failure(code, name, err);
    }
    out->pixels = pixels;
    out->width = w;
    out->height = h;
    out->channels = channels;
    out->bits = 8;
    const uint8_t *exif = NULL;
    size_t exif_size = 0;
    int orientation = 1;
    if (find_exif(data, size, &exif, &exif_size))
        orientation = sc_exif_orientation_of_tiff(exif, exif_size);
    if (orientation == 0)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory reading the EXIF orientation",
                       name);
    return sc_decoded_orient(out, orientation, name, err);
}

sc_status sc_webp_metadata(const uint8_t *data, size_t size, sc_image *img)
{
    const uint8_t *exif = NULL, *icc = NULL;
    size_t exif_size = 0, icc_size = 0;
    find_exif(data, size, &exif, &exif_size);
    find_chunk(data, size, "ICCP", &icc, &icc_size);
    return sc_picture_metadata_keep(img, exif, exif_size, icc, icc_size);
}
