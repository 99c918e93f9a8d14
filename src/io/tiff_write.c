/* TIFF results through libtiff: 8-bit RGB, Deflate with the horizontal
 * predictor, the ICC profile and EXIF's text fields. The file is made in
 * memory (libtiff seeks back to finish it), then written out. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/picture_codecs.h"
#include "io/tiff_exif.h"
#include "io/tiff_memory.h"

static int set_fields(TIFF *tif, const sc_image *img)
{
    return TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, (uint32_t)img->width) &&
           TIFFSetField(tif, TIFFTAG_IMAGELENGTH, (uint32_t)img->height) &&
           TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 8) &&
           TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 3) &&
           TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB) &&
           TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG) &&
           TIFFSetField(tif, TIFFTAG_ORIENTATION, ORIENTATION_TOPLEFT) &&
           TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE) &&
           TIFFSetField(tif, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL) &&
           TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, TIFFDefaultStripSize(tif, 0)) &&
           (!img->icc ||
            TIFFSetField(tif, TIFFTAG_ICCPROFILE, (uint32_t)img->icc_size, img->icc));
}

/* 1 when written, 0 when libtiff failed. */
static int write_rows(TIFF *tif, const sc_image *img, uint8_t *row)
{
    size_t row_bytes = (size_t)img->width * 3;
    for (int y = 0; y < img->height; y++) {
        /* libtiff's predictor works on the row in place. */
        memcpy(row, img->rgb + (size_t)y * row_bytes, row_bytes);
        if (TIFFWriteScanline(tif, row, (uint32_t)y, 0) != 1)
            return 0;
    }
    return 1;
}

static sc_status make_file(const sc_image *img, sc_tiff_memory *mem, const char *name,
                           sc_error *err)
{
    TIFF *tif = sc_tiff_open_memory(mem, NULL, 0, "w");
    if (!tif)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: cannot encode TIFF (%s)", name,
                       mem->error[0] ? mem->error : "out of memory");
    uint8_t *row = malloc((size_t)img->width * 3);
    sc_status status = row ? SC_OK : SC_ERR_NO_MEMORY;
    if (status == SC_OK && img->exif)
        status = sc_tiff_exif_write(tif, img->exif, img->exif_size);
    int ok = status == SC_OK && set_fields(tif, img) && write_rows(tif, img, row);
    /* TIFFWriteDirectory flushes the last strip and the directory. */
    ok = ok && TIFFWriteDirectory(tif);
    TIFFClose(tif);
    free(row);
    if (ok && !mem->out_of_memory)
        return SC_OK;
    if (status == SC_OK && !mem->out_of_memory && mem->error[0])
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: cannot encode TIFF (%s)", name, mem->error);
    return sc_fail(err, SC_ERR_NO_MEMORY, "%s: cannot encode TIFF (out of memory)", name);
}

sc_status sc_encode_tiff(FILE *f, const sc_image *img, const char *name, sc_error *err)
{
    sc_tiff_memory mem;
    sc_status status = make_file(img, &mem, name, err);
    errno = 0;
    if (status == SC_OK && fwrite(mem.buffer, 1, mem.size, f) != mem.size)
        status = sc_fail(err, SC_ERR_IO, "%s: write error (%s)", name,
                         strerror(errno ? errno : EIO));
    free(mem.buffer);
    return status;
}
