/* HEIF/HEIC pictures through libheif: the primary image, as shown (libheif
 * applies the file's rotation and mirroring, which stand in for the EXIF
 * orientation, so that is not applied again), with its EXIF and ICC profile. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/byte_order.h"
#include "io/heif_library.h"
#include "io/picture_codecs.h"
#include "io/picture_metadata.h"

/* The file's primary image; *handle is NULL on failure, when the error holds
 * libheif's reason, a string of *ctx's: close_primary only after using it. */
static struct heif_error open_primary(const sc_heif_api *h, const uint8_t *data, size_t size,
                                      struct heif_context **ctx, struct heif_image_handle **handle)
{
    *handle = NULL;
    *ctx = h->context_alloc();
    if (!*ctx)
        return (struct heif_error){heif_error_Memory_allocation_error, heif_suberror_Unspecified,
                                   "out of memory"};
    struct heif_error e = h->context_read_from_memory_without_copy(*ctx, data, size, NULL);
    if (e.code == heif_error_Ok)
        e = h->context_get_primary_image_handle(*ctx, handle);
    if (e.code != heif_error_Ok)
        *handle = NULL;
    return e;
}

static void close_primary(const sc_heif_api *h, struct heif_context *ctx,
                          struct heif_image_handle *handle)
{
    if (handle)
        h->image_handle_release(handle);
    if (ctx)
        h->context_free(ctx);
}

static sc_status heif_failure(struct heif_error e, const char *name, sc_error *err)
{
    if (e.code == heif_error_Memory_allocation_error)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory decoding HEIF", name);
    return sc_fail(err, SC_ERR_IMAGE, "%s: cannot decode HEIF (%s)", name,
                   e.message ? e.message : "unknown error");
}

int sc_heif_dimensions(const uint8_t *data, size_t size, long long *width, long long *height)
{
    const sc_heif_api *h = sc_heif(NULL);
    if (!h)
        return -1;
    struct heif_context *ctx;
    struct heif_image_handle *handle;
    if (open_primary(h, data, size, &ctx, &handle).code != heif_error_Ok) {
        close_primary(h, ctx, handle);
        return -1;
    }
    *width = h->image_handle_get_width(handle);
    *height = h->image_handle_get_height(handle);
    close_primary(h, ctx, handle);
    return 0;
}

/* The decoded image's interleaved plane copied row by row into out; samples
 * of more than 8 bits are scaled to the full 16-bit range. */
static sc_status copy_plane(const sc_heif_api *h, const struct heif_image *img, int bits,
                            const char *name, sc_decoded *out, sc_error *err)
{
    int stride = 0;
    const uint8_t *plane = h->image_get_plane_readonly(img, heif_channel_interleaved, &stride);
    int width = h->image_get_width(img, heif_channel_interleaved);
    int height = h->image_get_height(img, heif_channel_interleaved);
    if (!plane || width != out->width || height != out->height)
        return sc_fail(err, SC_ERR_IMAGE, "%s: corrupt HEIF (size changed while decoding)", name);
    size_t row_bytes = (size_t)width * (size_t)out->channels * (size_t)(out->bits / 8);
    uint8_t *pixels = malloc(row_bytes * (size_t)height);
    if (!pixels)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory decoding HEIF", name);
    for (int y = 0; y < height; y++)
        memcpy(pixels + (size_t)y * row_bytes, plane + (size_t)y * (size_t)stride, row_bytes);
    if (out->bits == 16) { /* little-endian samples of bits bits */
        uint16_t *samples = (uint16_t *)pixels;
        size_t count = row_bytes / 2 * (size_t)height;
        for (size_t i = 0; i < count; i++) {
            unsigned v = sc_le16((const uint8_t *)&samples[i]);
            samples[i] = (uint16_t)(bits < 16 ? v << (16 - bits) | v >> (2 * bits - 16) : v);
        }
    }
    out->pixels = pixels;
    return SC_OK;
}

sc_status sc_heif_decode(const uint8_t *data, size_t size, const char *name, sc_decoded *out,
                         sc_error *err)
{
    const char *why;
    const sc_heif_api *h = sc_heif(&why);
    if (!h)
        return sc_fail(err, SC_ERR_IMAGE, "%s: cannot decode HEIF: %s", name, why);
    struct heif_context *ctx;
    struct heif_image_handle *handle;
    struct heif_error e = open_primary(h, data, size, &ctx, &handle);
    if (e.code != heif_error_Ok) {
        sc_status status = heif_failure(e, name, err);
        close_primary(h, ctx, handle);
        return status;
    }
    out->width = h->image_handle_get_width(handle);
    out->height = h->image_handle_get_height(handle);
    sc_status status = sc_picture_check_size("HEIF", out->width, out->height, name, err);
    int alpha = h->image_handle_has_alpha_channel(handle);
    int bits = h->image_handle_get_luma_bits_per_pixel(handle);
    out->channels = alpha ? 4 : 3;
    out->bits = bits > 8 && bits <= 16 ? 16 : 8;
    enum heif_chroma chroma = out->bits == 16
                                  ? (alpha ? heif_chroma_interleaved_RRGGBBAA_LE
                                           : heif_chroma_interleaved_RRGGBB_LE)
                                  : (alpha ? heif_chroma_interleaved_RGBA
                                           : heif_chroma_interleaved_RGB);
    struct heif_image *img = NULL;
    if (status == SC_OK) {
        e = h->decode_image(handle, &img, heif_colorspace_RGB, chroma, NULL);
        status = e.code == heif_error_Ok ? copy_plane(h, img, bits, name, out, err)
                                         : heif_failure(e, name, err);
    }
    if (img)
        h->image_release(img);
    close_primary(h, ctx, handle);
    return status;
}

/* The first EXIF block: libheif gives it with a 4-byte offset to the TIFF
 * header before it. *exif is NULL when there is none. */
static sc_status read_exif(const sc_heif_api *h, const struct heif_image_handle *handle,
                           uint8_t **block, const uint8_t **exif, size_t *exif_size)
{
    *block = NULL;
    *exif = NULL;
    *exif_size = 0;
    heif_item_id id;
    if (h->image_handle_get_list_of_metadata_block_IDs(handle, "Exif", &id, 1) < 1)
        return SC_OK;
    size_t size = h->image_handle_get_metadata_size(handle, id);
    if (size < 4 || size > 4 + 4 + (size_t)SC_EXIF_MAX * 2)
        return SC_OK;
    *block = malloc(size);
    if (!*block)
        return SC_ERR_NO_MEMORY;
    if (h->image_handle_get_metadata(handle, id, *block).code != heif_error_Ok)
        return SC_OK;
    size_t offset = sc_be32(*block);
    if (offset <= size - 4) {
        *exif = *block + 4 + offset;
        *exif_size = size - 4 - offset;
    }
    return SC_OK;
}

static sc_status read_icc(const sc_heif_api *h, const struct heif_image_handle *handle,
                          uint8_t **icc, size_t *icc_size)
{
    *icc = NULL;
    *icc_size = 0;
    enum heif_color_profile_type type = h->image_handle_get_color_profile_type(handle);
    if (type != heif_color_profile_type_prof && type != heif_color_profile_type_rICC)
        return SC_OK; /* none, or colour described by numbers (nclx), not a profile */
    size_t size = h->image_handle_get_raw_color_profile_size(handle);
    if (size == 0 || size > SC_ICC_MAX)
        return SC_OK;
    *icc = malloc(size);
    if (!*icc)
        return SC_ERR_NO_MEMORY;
    if (h->image_handle_get_raw_color_profile(handle, *icc).code == heif_error_Ok)
        *icc_size = size;
    return SC_OK;
}

sc_status sc_heif_metadata(const uint8_t *data, size_t size, sc_image *img)
{
    const sc_heif_api *h = sc_heif(NULL);
    if (!h)
        return SC_OK; /* no metadata to keep: the decode reports why */
    struct heif_context *ctx;
    struct heif_image_handle *handle;
    struct heif_error e = open_primary(h, data, size, &ctx, &handle);
    if (e.code != heif_error_Ok) {
        close_primary(h, ctx, handle);
        return e.code == heif_error_Memory_allocation_error ? SC_ERR_NO_MEMORY : SC_OK;
    }
    uint8_t *block = NULL, *icc = NULL;
    const uint8_t *exif = NULL;
    size_t exif_size = 0, icc_size = 0;
    sc_status status = read_exif(h, handle, &block, &exif, &exif_size);
    if (status == SC_OK)
        status = read_icc(h, handle, &icc, &icc_size);
    if (status == SC_OK)
        status = sc_picture_metadata_keep(img, exif, exif_size, icc_size ? icc : NULL, icc_size);
    free(block);
    free(icc);
    close_primary(h, ctx, handle);
    return status;
}
