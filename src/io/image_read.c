/* sc_image_read*: any supported picture as 8-bit RGB, from a file, memory or a stream. */
#include <stdlib.h>

#include "io/decode_source.h"
#include "io/picture_decode.h"
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
    return SC_OK;
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
}
