/* JPEG pictures through libjpeg (io/jpeg_read.c). */
#ifndef SC_IO_JPEG_READ_H
#define SC_IO_JPEG_READ_H

#include <stddef.h>
#include <stdint.h>

#include "io/picture_decode.h"
#include "skychange.h"

/* 1 when sc_jpeg_decode reads this JPEG: one or three components (grey or
 * YCbCr/RGB); CMYK and YCCK are left to stb_image. */
int sc_jpeg_decodes(const uint8_t *data, size_t size);

/* The pixels as stored (grey: 1 channel, else RGB), 8 bits, not yet turned
 * by the EXIF orientation. Truncated data is refused. */
sc_status sc_jpeg_decode(const uint8_t *data, size_t size, const char *name, sc_decoded *out,
                         sc_error *err);

#endif
