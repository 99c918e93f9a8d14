/* sc_image_read*: any supported picture as 8-bit RGB, from a file, memory or a stream. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/page_hints.h"
#include "io/decode_source.h"
#include "io/picture_decode.h"
#include "io/picture_metadata.h"
#include "skychange.h"

static sc_status image_from_bytes(const void *data, size_t size, const char *name, void *out,
                                  sc_error *err)
{
    /* RGB as PIL's convert("RGB") gives it: grey replicated, alpha dropped
     * without premultiplying, 16-bit colour samples reduced to their high
     * byte. 16-bit grey is reduced the same way; PIL would saturate every
     * value above 255 to white there, which is not worth copying. */
    sc_decoded pic;
    sc_status status = sc_picture_decode(data, size, name, 3, 0, &pic, err);
    if (status != SC_OK)
        return status;
    sc_image *img = out;
    img->width = pic.width;
    img->height = pic.height;
    img->rgb = pic.pixels;
    status = sc_picture_metadata_read(data, size, name, img, err);
    if (status != SC_OK)
        sc_image_free(img);
    return status;
}

static void free_metadata(sc_image *img)
{
    free(img->exif);
    free(img->icc);
    img->exif = img->icc = NULL;
    img->exif_size = img->icc_size = 0;
}

/* A copy of size bytes, or NULL (for none, or when out of memory: *failed). */
static uint8_t *copy_bytes(const uint8_t *bytes, size_t size, int *failed)
{
    if (!bytes || !size)
        return NULL;
    uint8_t *copy = SC_MALLOC_LARGE(size);
    if (copy)
        memcpy(copy, bytes, size);
    else
        *failed = 1;
    return copy;
}

sc_status sc_image_copy_metadata(sc_image *dst, const sc_image *src, sc_error *err)
{
    if (!dst || !src)
        return sc_fail(err, SC_ERR_INVALID_ARG, "copy metadata: no picture given");
    if (dst == src)
        return SC_OK;
    free_metadata(dst);
    int failed = 0;
    dst->exif = copy_bytes(src->exif, src->exif_size, &failed);
    dst->exif_size = dst->exif ? src->exif_size : 0;
    dst->icc = copy_bytes(src->icc, src->icc_size, &failed);
    dst->icc_size = dst->icc ? src->icc_size : 0;
    if (!failed)
        return SC_OK;
    free_metadata(dst);
    return sc_fail(err, SC_ERR_NO_MEMORY, "copy metadata: out of memory");
}

/* sc_image_read, sc_image_read_memory, sc_image_read_stream */
SC_DEFINE_READERS(image, sc_image, image_from_bytes)

void sc_image_free(sc_image *img)
{
    if (!img)
        return;
    free(img->rgb);
    img->rgb = NULL;
    img->width = img->height = 0;
    free_metadata(img);
}
