/*
 * JPEG pictures through libjpeg(-turbo), with the settings the original's
 * Pillow decodes with: the accurate integer IDCT and fancy upsampling, so a
 * colour JPEG gives the original's pixels bit for bit (spec §1.2), about
 * twice as fast as stb_image. CMYK and YCCK JPEGs (four components) stay
 * with stb_image, whose conversion to RGB the project has always used.
 */
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h> /* before jpeglib.h, which uses FILE and size_t */
#include <stdlib.h>

#include <jerror.h>
#include <jpeglib.h>

#include "core/error.h"
#include "io/image.h"
#include "io/image_probe.h"
#include "io/jpeg_read.h"

/* A visitor of the markers: the first frame header's component count into
 * *ctx (left 0 when there is none). */
static void count_components(void *ctx, uint8_t marker, const uint8_t *payload, size_t size)
{
    int *components = ctx;
    const int frame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 &&
                      marker != 0xcc;
    if (frame && *components == 0 && size >= 6)
        *components = payload[5];
}

int sc_jpeg_decodes(const uint8_t *data, size_t size)
{
    int components = 0;
    sc_jpeg_info info;
    sc_jpeg_walk(data, size, &info, count_components, &components);
    return components == 1 || components == 3;
}

/* libjpeg reports errors by calling error_exit, which must not return: it
 * jumps back into sc_jpeg_decode with the message. */
typedef struct jpeg_failure {
    struct jpeg_error_mgr manager;
    jmp_buf back;
    int truncated;
    char message[JMSG_LENGTH_MAX];
} jpeg_failure;

static void jump_back(j_common_ptr cinfo)
{
    jpeg_failure *f = (jpeg_failure *)cinfo->err;
    f->manager.format_message(cinfo, f->message);
    longjmp(f->back, 1);
}

/* Warnings (level -1) about corrupt data are tolerated, as Pillow does (many
 * cameras write a few stray bytes), except the end of the data before the
 * end of the picture: a truncated file is refused, not filled with grey. */
static void note_warning(j_common_ptr cinfo, int level)
{
    jpeg_failure *f = (jpeg_failure *)cinfo->err;
    if (level < 0 && f->manager.msg_code == JWRN_JPEG_EOF)
        f->truncated = 1;
}

sc_status sc_jpeg_decode(const uint8_t *data, size_t size, const char *name, sc_decoded *out,
                         sc_error *err)
{
    struct jpeg_decompress_struct cinfo;
    jpeg_failure failure;
    /* volatile: read after the jump back */
    unsigned char *volatile pixels = NULL;
    cinfo.err = jpeg_std_error(&failure.manager);
    failure.manager.error_exit = jump_back;
    failure.manager.emit_message = note_warning;
    failure.truncated = 0;
    if (setjmp(failure.back)) {
        jpeg_destroy_decompress(&cinfo);
        free(pixels);
        if (failure.manager.msg_code == JERR_OUT_OF_MEMORY)
            return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory decoding JPEG", name);
        return sc_fail(err, SC_ERR_IMAGE, "%s: cannot decode JPEG (%s)", name, failure.message);
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    const int grey = cinfo.num_components == 1;
    cinfo.out_color_space = grey ? JCS_GRAYSCALE : JCS_RGB;
    cinfo.dct_method = JDCT_ISLOW;
    cinfo.do_fancy_upsampling = TRUE;
    jpeg_start_decompress(&cinfo);
    const int w = (int)cinfo.output_width, h = (int)cinfo.output_height;
    const int channels = cinfo.output_components;
    if (w <= 0 || h <= 0 || (long long)w * h > SC_MAX_PIXELS || channels != (grey ? 1 : 3)) {
        jpeg_destroy_decompress(&cinfo);
        return sc_fail(err, SC_ERR_IMAGE, "%s: JPEG of %dx%d pixels, %d channels, cannot be read",
                       name, w, h, channels);
    }
    const size_t row_bytes = (size_t)w * (size_t)channels;
    pixels = malloc(row_bytes * (size_t)h);
    if (!pixels) {
        jpeg_destroy_decompress(&cinfo);
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory for a %dx%d picture", name, w, h);
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = pixels + (size_t)cinfo.output_scanline * row_bytes;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    if (failure.truncated) {
        free(pixels);
        return sc_fail(err, SC_ERR_IMAGE, "%s: truncated JPEG (the data ends before the picture)",
                       name);
    }
    out->pixels = pixels;
    out->width = w;
    out->height = h;
    out->channels = channels;
    out->bits = 8;
    return SC_OK;
}
