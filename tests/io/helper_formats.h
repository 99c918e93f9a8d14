/* Fixtures for the WebP, TIFF and HEIF tests, made at test time by the
 * libraries themselves (libtiff, libheif, libexif) and by our writers. */
#ifndef TESTS_IO_HELPER_FORMATS_H
#define TESTS_IO_HELPER_FORMATS_H

#include <stddef.h>
#include <stdint.h>

#include "skychange.h"

/* A w x h picture of smooth gradients with a little texture, so that lossy
 * coders keep it close; free with sc_image_free. */
sc_image fmt_pattern(int w, int h);
/* sc_image_encode's bytes, checked to have succeeded; free(). */
uint8_t *fmt_encode(const sc_image *img, sc_file_type type, int quality, size_t *size);
/* The mean absolute difference of two pictures of the same size. */
double fmt_mean_difference(const sc_image *a, const sc_image *b);

/* EXIF as a TIFF structure (sc_image.exif's form), big-endian: Make "FmtMake",
 * IFD0 DateTime, the orientation (0: none) and PixelXDimension /
 * PixelYDimension as LONGs (0: none). free(). */
uint8_t *fmt_exif(int orientation, int pixel_x, int pixel_y, size_t *size);
/* IFD0's SHORT or LONG tag (-1 when absent) and EXIF's pixel size tags. */
int fmt_exif_number(const uint8_t *exif, size_t size, int in_exif_ifd, int tag);
/* 1 when the EXIF holds the ASCII tag with that text. */
int fmt_exif_has_text(const uint8_t *exif, size_t size, int tag, const char *text);
/* A profile as readers check it: its size first, "acsp" at byte 36. free(). */
uint8_t *fmt_icc(size_t size);

/* A TIFF made by libtiff: samples per pixel 1..4 of bits 8 or 16 (host
 * order, interleaved rows), photometric MINISBLACK or RGB, an orientation
 * tag (0: none), tiles of 16x16 when tiled. free(). */
uint8_t *fmt_tiff(int w, int h, int bits, int samples, int orientation, int tiled,
                  const void *pixels, size_t *size);
/* A 1-bit palette TIFF (libtiff's RGBA reader) of two colours: pixel i is
 * colour (i % 3 == 0). */
uint8_t *fmt_tiff_palette(int w, int h, int orientation, size_t *size);

/* A HEIC made by libheif with irot/imir for orientation (1..8) and, when
 * exif is not NULL, that EXIF block; lossless: x265's lossless mode on 4:4:4
 * samples in RGB order (the matrix GBR), else quality 90. NULL when libheif
 * has no HEVC encoder. */
uint8_t *fmt_heic(const sc_image *img, int orientation, int lossless, const uint8_t *exif,
                  size_t exif_size, size_t *size);

#endif
