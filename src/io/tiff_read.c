/* TIFF pictures through libtiff: the first image of the file, 8 or 16 bits
 * per sample, upright by its orientation tag, with its ICC profile and text
 * fields. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/picture_codecs.h"
#include "io/picture_metadata.h"
#include "io/tiff_exif.h"
#include "io/tiff_memory.h"

int sc_tiff_dimensions(const uint8_t *data, size_t size, long long *width, long long *height)
{
    sc_tiff_memory mem;
    TIFF *tif = sc_tiff_open_memory(&mem, data, size, "r");
    if (!tif)
        return -1;
    uint32_t w = 0, h = 0;
    int known = TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w) == 1 &&
                TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h) == 1;
    TIFFClose(tif);
    if (!known)
        return -1;
    *width = w;
    *height = h;
    return 0;
}

typedef struct tiff_layout {
    uint32_t width, height;
    uint16_t bits, samples, photometric, planar, sample_format, orientation;
} tiff_layout;

/* Grey or RGB, with or without alpha, 8 or 16 bits, samples interleaved: the
 * samples are copied as stored. Anything else (palettes, YCbCr, CMYK, 1..4
 * bits, separate planes) goes through libtiff's 8-bit RGBA reader. */
static int stored_as_is(const tiff_layout *l)
{
    int grey = l->photometric == PHOTOMETRIC_MINISBLACK && (l->samples == 1 || l->samples == 2);
    int rgb = l->photometric == PHOTOMETRIC_RGB && (l->samples == 3 || l->samples == 4);
    return (l->bits == 8 || l->bits == 16) && l->planar == PLANARCONFIG_CONTIG &&
           l->sample_format == SAMPLEFORMAT_UINT && (grey || rgb);
}

static sc_status libtiff_failure(const sc_tiff_memory *mem, const char *what, const char *name,
                                 sc_error *err)
{
    if (!mem->error[0])
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory %s TIFF", name, what);
    return sc_fail(err, SC_ERR_IMAGE, "%s: corrupt TIFF (%s)", name, mem->error);
}

/* Tiles: each is read whole and its part inside the picture copied. */
static int read_tiles(TIFF *tif, const tiff_layout *l, uint8_t *pixels, size_t pixel_bytes)
{
    uint32_t tile_w = 0, tile_h = 0;
    TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tile_w);
    TIFFGetField(tif, TIFFTAG_TILELENGTH, &tile_h);
    tmsize_t tile_size = TIFFTileSize(tif);
    if (tile_w == 0 || tile_h == 0 || tile_size <= 0 ||
        (uint64_t)tile_size < (uint64_t)tile_w * tile_h * pixel_bytes)
        return 0;
    uint8_t *tile = malloc((size_t)tile_size);
    if (!tile)
        return -1;
    size_t row_bytes = (size_t)l->width * pixel_bytes;
    int ok = 1;
    for (uint32_t y = 0; ok && y < l->height; y += tile_h) {
        for (uint32_t x = 0; ok && x < l->width; x += tile_w) {
            if (TIFFReadTile(tif, tile, x, y, 0, 0) < 0) {
                ok = 0;
                break;
            }
            uint32_t rows = l->height - y < tile_h ? l->height - y : tile_h;
            uint32_t cols = l->width - x < tile_w ? l->width - x : tile_w;
            for (uint32_t r = 0; r < rows; r++)
                memcpy(pixels + (size_t)(y + r) * row_bytes + (size_t)x * pixel_bytes,
                       tile + (size_t)r * tile_w * pixel_bytes, (size_t)cols * pixel_bytes);
        }
    }
    free(tile);
    return ok;
}

/* 1 when read, 0 when libtiff failed, -1 when out of memory. */
static int read_stored(TIFF *tif, const tiff_layout *l, sc_decoded *out)
{
    size_t pixel_bytes = (size_t)l->samples * (l->bits / 8u);
    size_t row_bytes = (size_t)l->width * pixel_bytes;
    uint8_t *pixels = malloc(row_bytes * l->height);
    if (!pixels)
        return -1;
    int ok;
    if (TIFFIsTiled(tif)) {
        ok = read_tiles(tif, l, pixels, pixel_bytes);
    } else {
        ok = TIFFScanlineSize(tif) == (tmsize_t)row_bytes;
        for (uint32_t y = 0; ok && y < l->height; y++)
            ok = TIFFReadScanline(tif, pixels + (size_t)y * row_bytes, y, 0) == 1;
    }
    if (ok != 1) {
        free(pixels);
        return ok;
    }
    out->pixels = pixels;
    out->channels = l->samples;
    out->bits = l->bits;
    return 1;
}

/* libtiff's RGBA reader, in the file's own row order (its orientation is
 * applied afterwards, as for the other layouts). */
static int read_rgba(TIFF *tif, const tiff_layout *l, sc_decoded *out, char *why, size_t why_size)
{
    char message[1024] = "";
    TIFFRGBAImage img;
    if (!TIFFRGBAImageOK(tif, message) || !TIFFRGBAImageBegin(&img, tif, 1, message)) {
        snprintf(why, why_size, "%s", message);
        return 0;
    }
    img.req_orientation = img.orientation;
    size_t count = (size_t)l->width * l->height;
    uint32_t *raster = malloc(count * sizeof *raster);
    int ok = raster ? TIFFRGBAImageGet(&img, raster, l->width, l->height) : -1;
    TIFFRGBAImageEnd(&img);
    if (ok != 1) {
        free(raster);
        return ok;
    }
    uint8_t *rgba = (uint8_t *)raster;
    for (size_t i = 0; i < count; i++) {
        uint32_t p = raster[i];
        rgba[4 * i] = (uint8_t)TIFFGetR(p);
        rgba[4 * i + 1] = (uint8_t)TIFFGetG(p);
        rgba[4 * i + 2] = (uint8_t)TIFFGetB(p);
        rgba[4 * i + 3] = (uint8_t)TIFFGetA(p);
    }
    out->pixels = rgba;
    out->channels = 4;
    out->bits = 8;
    return 1;
}

static void read_layout(TIFF *tif, tiff_layout *l)
{
    TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &l->bits);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &l->samples);
    TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &l->planar);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &l->sample_format);
    TIFFGetFieldDefaulted(tif, TIFFTAG_ORIENTATION, &l->orientation);
    if (TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &l->photometric) != 1)
        l->photometric = l->samples >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;
}

static sc_status decode_open(TIFF *tif, const sc_tiff_memory *mem, const char *name,
                             sc_decoded *out, sc_error *err)
{
    tiff_layout l;
    memset(&l, 0, sizeof l);
    if (TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &l.width) != 1 ||
        TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &l.height) != 1)
        return sc_fail(err, SC_ERR_IMAGE, "%s: corrupt TIFF (no picture size)", name);
    sc_status status = sc_picture_check_size("TIFF", l.width, l.height, name, err);
    if (status != SC_OK)
        return status;
    read_layout(tif, &l);
    char why[1024] = "";
    int ok = stored_as_is(&l) ? read_stored(tif, &l, out)
                              : read_rgba(tif, &l, out, why, sizeof why);
    if (ok < 0)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory decoding TIFF", name);
    if (ok == 0 && why[0])
        return sc_fail(err, SC_ERR_IMAGE, "%s: cannot decode TIFF (%s)", name, why);
    if (ok == 0)
        return libtiff_failure(mem, "decoding", name, err);
    out->width = (int)l.width;
    out->height = (int)l.height;
    return sc_decoded_orient(out, l.orientation, name, err);
}

sc_status sc_tiff_decode(const uint8_t *data, size_t size, const char *name, sc_decoded *out,
                         sc_error *err)
{
    sc_tiff_memory mem;
    TIFF *tif = sc_tiff_open_memory(&mem, data, size, "r");
    if (!tif)
        return libtiff_failure(&mem, "opening", name, err);
    sc_status status = decode_open(tif, &mem, name, out, err);
    TIFFClose(tif);
    return status;
}

sc_status sc_tiff_metadata(const uint8_t *data, size_t size, sc_image *img)
{
    sc_tiff_memory mem;
    TIFF *tif = sc_tiff_open_memory(&mem, data, size, "r");
    if (!tif)
        return mem.error[0] ? SC_OK : SC_ERR_NO_MEMORY;
    uint32_t icc_size = 0;
    const uint8_t *icc = NULL;
    if (TIFFGetField(tif, TIFFTAG_ICCPROFILE, &icc_size, &icc) != 1)
        icc = NULL;
    uint8_t *exif = NULL;
    size_t exif_size = 0;
    sc_status status = sc_tiff_exif_read(tif, &exif, &exif_size);
    if (status == SC_OK)
        status = sc_picture_metadata_keep(img, exif, exif_size, icc, icc_size);
    free(exif);
    TIFFClose(tif);
    return status;
}
