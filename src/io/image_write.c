/* sc_image_write / sc_image_write_png_stream. */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "io/encode.h"
#include "io/image.h"

typedef enum image_kind { KIND_PNG, KIND_JPEG, KIND_BMP } image_kind;

typedef struct image_job {
    const sc_image *img;
    image_kind kind;
    int quality;
    const char *path;
} image_job;

static sc_status check_image(const sc_image *img, const char *name, sc_error *err)
{
    if (!img || !img->rgb || img->width <= 0 || img->height <= 0)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: no picture to write", name);
    if ((long long)img->width * img->height > SC_MAX_PIXELS)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: %dx%d pixels is more than the limit of %lld",
                       name, img->width, img->height, SC_MAX_PIXELS);
    return SC_OK;
}

static sc_status write_image(FILE *f, const void *ctx, sc_error *err)
{
    const image_job *job = ctx;
    const sc_image *img = job->img;
    switch (job->kind) {
    case KIND_PNG: return sc_encode_png(f, img->rgb, img->width, img->height, 3, job->path, err);
    case KIND_JPEG:
        return sc_encode_jpeg(f, img->rgb, img->width, img->height, 3, job->quality, job->path,
                              err);
    case KIND_BMP: return sc_encode_bmp(f, img->rgb, img->width, img->height, 3, job->path, err);
    }
    return sc_fail(err, SC_ERR_INVALID_ARG, "%s: unknown picture kind", job->path);
}

sc_status sc_image_write(const char *path, const sc_image *img, int jpeg_quality, sc_error *err)
{
    if (!path || !*path)
        return sc_fail(err, SC_ERR_INVALID_ARG, "sc_image_write: no path given");
    sc_status status = check_image(img, path, err);
    if (status != SC_OK)
        return status;
    char ext[32];
    sc_path_extension(path, ext, sizeof ext);
    image_job job = {img, KIND_PNG, jpeg_quality, path};
    if (strcmp(ext, "png") == 0) {
        job.kind = KIND_PNG;
    } else if (strcmp(ext, "jpg") == 0 || strcmp(ext, "jpeg") == 0) {
        job.kind = KIND_JPEG;
        if (jpeg_quality < 1 || jpeg_quality > 100)
            return sc_fail(err, SC_ERR_INVALID_ARG, "%s: JPEG quality %d is not in 1..100", path,
                           jpeg_quality);
        /* The JPEG header stores each side in 16 bits. */
        if (img->width > 65535 || img->height > 65535)
            return sc_fail(err, SC_ERR_INVALID_ARG,
                           "%s: %dx%d is too large for JPEG (at most 65535 per side)", path,
                           img->width, img->height);
    } else if (strcmp(ext, "bmp") == 0) {
        job.kind = KIND_BMP;
    } else if (!*ext) {
        return sc_fail(err, SC_ERR_INVALID_ARG,
                       "%s: no file extension to choose the picture type (use .png, .jpg, .jpeg "
                       "or .bmp)",
                       path);
    } else {
        return sc_fail(err, SC_ERR_INVALID_ARG,
                       "%s: unknown picture type '.%s' (use .png, .jpg, .jpeg or .bmp)", path,
                       ext);
    }
    return sc_write_atomic(path, write_image, &job, err);
}

sc_status sc_image_write_png_stream(void *file, const sc_image *img, sc_error *err)
{
    if (!file)
        return sc_fail(err, SC_ERR_INVALID_ARG, "sc_image_write_png_stream: no stream given");
    sc_status status = check_image(img, "(stream)", err);
    if (status != SC_OK)
        return status;
    FILE *f = file;
    status = sc_encode_png(f, img->rgb, img->width, img->height, 3, "(stream)", err);
    if (status == SC_OK && (fflush(f) != 0 || ferror(f)))
        return sc_fail(err, SC_ERR_IO, "(stream): write error");
    return status;
}
