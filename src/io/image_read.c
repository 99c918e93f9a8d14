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

sc_status sc_image_read_memory(const void *data, size_t size, const char *name, sc_image *out,
                               sc_error *err)
{
    return sc_decode_memory(data, size, name, image_from_bytes, out, sizeof *out, err);
}

sc_status sc_image_read_stream(FILE *file, const char *name, sc_image *out, sc_error *err)
{
    return sc_decode_stream(file, name, image_from_bytes, out, sizeof *out, err);
}

sc_status sc_image_read(const char *path, sc_image *out, sc_error *err)
{
    return sc_decode_file(path, image_from_bytes, out, sizeof *out, err);
}

void sc_image_free(sc_image *img)
{
    if (!img)
        return;
    free(img->rgb);
    img->rgb = NULL;
    img->width = img->height = 0;
}
