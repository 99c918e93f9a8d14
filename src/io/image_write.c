/* sc_image_write, sc_image_write_stream, sc_image_encode. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/error.h"
#include "io/encode.h"
#include "io/image.h"
#include "io/picture_codecs.h"
#include "io/picture_metadata.h"

typedef struct image_job {
    const sc_image *img;
    sc_file_type type;
    int quality;
    const char *name;
} image_job;

/* The quality, and each side at most max_side pixels. */
static sc_status check_quality_and_side(const image_job *job, int max_side, sc_error *err)
{
    const char *type_name = sc_file_type_name(job->type);
    if (job->quality < 1 || job->quality > 100)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: %s quality %d is not in 1..100", job->name,
                       type_name, job->quality);
    if (job->img->width > max_side || job->img->height > max_side)
        return sc_fail(err, SC_ERR_INVALID_ARG,
                       "%s: %dx%d is too large for %s (at most %d per side)", job->name,
                       job->img->width, job->img->height, type_name, max_side);
    return SC_OK;
}

/* The picture, and whether it can be written as job->type. */
static sc_status check_job(const void *ctx, sc_error *err)
{
    const image_job *job = ctx;
    const sc_image *img = job->img;
    const char *name = job->name;
    if (!img || !img->rgb || img->width <= 0 || img->height <= 0)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: no picture to write", name);
    if ((long long)img->width * img->height > SC_MAX_PIXELS)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: %dx%d pixels is more than the limit of %lld",
                       name, img->width, img->height, SC_MAX_PIXELS);
    sc_status status = sc_picture_metadata_check(img, name, err);
    if (status != SC_OK)
        return status;
    const char *type_name = sc_file_type_name(job->type);
    switch (job->type) {
    case SC_FILE_PNG:
    case SC_FILE_BMP:
    case SC_FILE_TIFF: return SC_OK;
    case SC_FILE_JPEG: /* the JPEG header stores each side in 16 bits */
        return check_quality_and_side(job, 65535, err);
    case SC_FILE_WEBP: /* and WebP's in 14 */
        return check_quality_and_side(job, 16383, err);
    case SC_FILE_HEIC: {
        const char *why = sc_heif_cannot_encode();
        if (why)
            return sc_fail(err, SC_ERR_INVALID_ARG, "%s: cannot write HEIC: %s", name, why);
        return check_quality_and_side(job, INT_MAX, err);
    }
    case SC_FILE_PFM: break;
    }
    return sc_fail(err, SC_ERR_INVALID_ARG, "%s: a picture is written as %s, not %s", name,
                   sc_output_types(0), type_name);
}

static sc_status write_image(FILE *f, const void *ctx, sc_error *err)
{
    const image_job *job = ctx;
    const sc_image *img = job->img;
    switch (job->type) {
    case SC_FILE_BMP: /* BMP has no place for metadata */
        return sc_encode_bmp(f, img->rgb, img->width, img->height, 3, job->name, err);
    case SC_FILE_WEBP: return sc_encode_webp(f, img, job->quality, job->name, err);
    case SC_FILE_TIFF: return sc_encode_tiff(f, img, job->name, err);
    case SC_FILE_HEIC: return sc_encode_heic(f, img, job->quality, job->name, err);
    case SC_FILE_PNG:
    case SC_FILE_JPEG:
    case SC_FILE_PFM: break;
    }
    uint8_t *block;
    sc_encode_insert insert = {NULL, 0, 0};
    sc_status status = sc_picture_metadata_block(img, job->type, job->name, &block, &insert.size,
                                                 &insert.at, err);
    if (status != SC_OK)
        return status;
    insert.bytes = block;
    const sc_encode_insert *with = block ? &insert : NULL;
    if (job->type == SC_FILE_JPEG)
        status = sc_encode_jpeg(f, img->rgb, img->width, img->height, 3, job->quality, with,
                                job->name, err);
    else
        status = sc_encode_png(f, img->rgb, img->width, img->height, 3, with, job->name, err);
    free(block);
    return status;
}

static sc_writer image_writer(const image_job *job)
{
    return (sc_writer){job->name, check_job, write_image, job};
}

sc_status sc_image_write(const char *path, const sc_image *img, int jpeg_quality, sc_error *err)
{
    if (!path || !*path)
        return sc_fail(err, SC_ERR_INVALID_ARG, "sc_image_write: no path given");
    image_job job = {img, SC_FILE_PNG, jpeg_quality, path};
    if (sc_file_type_of_path(path, &job.type) != 0 || job.type == SC_FILE_PFM) {
        char ext[32];
        sc_path_extension(path, ext, sizeof ext);
        if (!*ext)
            return sc_fail(err, SC_ERR_INVALID_ARG,
                           "%s: no file extension to choose the picture type (use %s)", path,
                           sc_output_types(0));
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: unknown picture type '.%s' (use %s)", path,
                       ext, sc_output_types(0));
    }
    sc_writer writer = image_writer(&job);
    return sc_write_to_file(path, &writer, err);
}

sc_status sc_image_write_stream(FILE *file, const char *name, const sc_image *img,
                                sc_file_type type, int jpeg_quality, sc_error *err)
{
    image_job job = {img, type, jpeg_quality, name ? name : "(stream)"};
    sc_writer writer = image_writer(&job);
    return sc_write_to_stream(file, &writer, err);
}

sc_status sc_image_encode(const sc_image *img, sc_file_type type, int jpeg_quality, void **data,
                          size_t *size, sc_error *err)
{
    image_job job = {img, type, jpeg_quality, "(buffer)"};
    sc_writer writer = image_writer(&job);
    return sc_write_to_buffer(&writer, data, size, err);
}
