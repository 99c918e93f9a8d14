/* sc_image_read / sc_image_read_memory: any supported picture as 8-bit RGB. */
#include <limits.h>
#include <stdlib.h>

#include "core/error.h"
#include "io/picture_decode.h"
#include "io/read_file.h"
#include "skychange.h"

sc_status sc_image_read_memory(const void *data, size_t size, const char *name, sc_image *out,
                               sc_error *err)
{
    if (!out)
        return sc_fail(err, SC_ERR_INVALID_ARG, "sc_image_read_memory: no output given");
    out->width = out->height = 0;
    out->rgb = NULL;
    /* RGB as PIL's convert("RGB") gives it: grey replicated, alpha dropped
     * without premultiplying, 16-bit colour samples reduced to their high
     * byte. 16-bit grey is reduced the same way; PIL would saturate every
     * value above 255 to white there, which is not worth copying. */
    sc_decoded pic;
    sc_status status = sc_picture_decode(data, size, name, 3, 0, &pic, err);
    if (status != SC_OK)
        return status;
    out->width = pic.width;
    out->height = pic.height;
    out->rgb = pic.pixels;
    return SC_OK;
}

sc_status sc_image_read(const char *path, sc_image *out, sc_error *err)
{
    if (!out)
        return sc_fail(err, SC_ERR_INVALID_ARG, "sc_image_read: no output given");
    out->width = out->height = 0;
    out->rgb = NULL;
    if (!path)
        return sc_fail(err, SC_ERR_INVALID_ARG, "sc_image_read: no path given");
    sc_status status = sc_picture_check_file_head(path, err);
    if (status != SC_OK)
        return status;
    void *data;
    size_t size;
    status = sc_read_file(path, INT_MAX, &data, &size, err);
    if (status != SC_OK)
        return status;
    status = sc_image_read_memory(data, size, path, out, err);
    free(data);
    return status;
}

void sc_image_free(sc_image *img)
{
    if (!img)
        return;
    free(img->rgb);
    img->rgb = NULL;
    img->width = img->height = 0;
}
