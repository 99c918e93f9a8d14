/* Decoding a picture held in memory (PNG, JPEG, BMP and TGA by stb_image; WebP,
 * TIFF and HEIF by picture_codecs.h), with the checks and orientation shared
 * by picture and matte reading. */
#ifndef SC_IO_PICTURE_DECODE_H
#define SC_IO_PICTURE_DECODE_H

#include <stddef.h>

#include "skychange.h"

typedef struct sc_decoded {
    int width, height;
    int channels;   /* 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA */
    int bits;       /* 8, or 16 when allowed and stored so */
    void *pixels;   /* interleaved, row-major; free() it */
} sc_decoded;

/* channels: 0 keeps the stored channel count, else 1..4 converts (grey is
 * replicated, alpha dropped or set opaque). allow_16bit: 16-bit PNGs, TIFFs
 * and HEIFs come back as uint16 samples instead of being reduced to their
 * high byte.
 * name is used in messages only. */
sc_status sc_picture_decode(const void *data, size_t size, const char *name, int channels,
                            int allow_16bit, sc_decoded *out, sc_error *err);

/* SC_ERR_IMAGE naming the file and format for a picture of no pixels or
 * more than SC_MAX_PIXELS. */
sc_status sc_picture_check_size(const char *format, long long width, long long height,
                                const char *name, sc_error *err);

/* Turns out's pixels upright for an EXIF orientation (1..8; others are 1). */
sc_status sc_decoded_orient(sc_decoded *out, int orientation, const char *name, sc_error *err);

/* Converts out's pixels to channels (0 keeps them; grey from colour by
 * stb_image's weights, alpha dropped or set opaque), and 16-bit samples to
 * their high byte unless allow_16bit. */
sc_status sc_decoded_convert(sc_decoded *out, int channels, int allow_16bit, const char *name,
                             sc_error *err);

/* Refuses a picture whose header states more pixels than SC_MAX_PIXELS (or
 * none), from the first bytes of its file, so that a file too large to decode
 * is not read in full either. SC_OK when those bytes do not tell. */
sc_status sc_picture_check_head(const void *head, size_t size, const char *name, sc_error *err);

/* The same for the first bytes of any input, a PFM matte included (its
 * header is also checked against total, the input's size in bytes, unless
 * that is SC_PFM_SIZE_UNKNOWN). */
sc_status sc_input_check_head(const void *head, size_t size, unsigned long long total,
                              const char *name, sc_error *err);

/* The same for the file at path, from its first SC_PICTURE_HEAD_BYTES (a
 * JPEG's frame header may follow 64 KiB of EXIF). */
enum { SC_PICTURE_HEAD_BYTES = 256 * 1024 };
sc_status sc_picture_check_file_head(const char *path, sc_error *err);

#endif
