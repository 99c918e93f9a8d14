/*
 * The picture types read and written through Debian's libraries rather than
 * stb_image: WebP (libwebp), TIFF (libtiff) and HEIF/HEIC (libheif). Each
 * reads the stated size from the header alone, decodes the stored pixels
 * upright (EXIF orientation for WebP, the orientation tag for TIFF, libheif's
 * own transformations for HEIF), and finds the file's EXIF and ICC profile.
 */
#ifndef SC_IO_PICTURE_CODECS_H
#define SC_IO_PICTURE_CODECS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "io/picture_decode.h"
#include "skychange.h"

/* Width and height as the header states them (HEIF: as shown, after its
 * rotation), from the first size bytes of a file; -1 when they do not tell. */
int sc_webp_dimensions(const uint8_t *data, size_t size, long long *width, long long *height);
int sc_tiff_dimensions(const uint8_t *data, size_t size, long long *width, long long *height);
int sc_heif_dimensions(const uint8_t *data, size_t size, long long *width, long long *height);

/* The whole file's pixels into out (channels 1..4 as stored, 8 bits, or 16
 * for 16-bit TIFF and HEIF deeper than 8 bits), turned upright. A picture
 * larger than SC_MAX_PIXELS is refused before its pixels are allocated. */
sc_status sc_webp_decode(const uint8_t *data, size_t size, const char *name, sc_decoded *out,
                         sc_error *err);
sc_status sc_tiff_decode(const uint8_t *data, size_t size, const char *name, sc_decoded *out,
                         sc_error *err);
sc_status sc_heif_decode(const uint8_t *data, size_t size, const char *name, sc_decoded *out,
                         sc_error *err);

/* img->exif and img->icc from the file, through sc_picture_metadata_keep;
 * unreadable metadata is left out. Fails only when memory runs out. */
sc_status sc_webp_metadata(const uint8_t *data, size_t size, sc_image *img);
sc_status sc_tiff_metadata(const uint8_t *data, size_t size, sc_image *img);
sc_status sc_heif_metadata(const uint8_t *data, size_t size, sc_image *img);

/* Whether libheif can be loaded and has an HEVC encoder (HEIC output). */
int sc_heif_can_encode(void);
/* NULL when it can; else why not ("libheif cannot be loaded (...)", "the
 * installed libheif has no HEVC encoder"). */
const char *sc_heif_cannot_encode(void);

/* img (8-bit RGB) with its EXIF and ICC profile into f; quality 1..100 (WebP:
 * 100 is lossless; TIFF: unused). name is for messages. */
sc_status sc_encode_webp(FILE *f, const sc_image *img, int quality, const char *name,
                         sc_error *err);
sc_status sc_encode_tiff(FILE *f, const sc_image *img, const char *name, sc_error *err);
sc_status sc_encode_heic(FILE *f, const sc_image *img, int quality, const char *name,
                         sc_error *err);
/* The same with one of x265's presets ("ultrafast" .. "placebo"); the one
 * above uses "fast". */
sc_status sc_encode_heic_preset(FILE *f, const sc_image *img, int quality, const char *preset,
                                const char *name, sc_error *err);

#endif
