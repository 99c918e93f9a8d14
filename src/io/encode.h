/* Encoding 8-bit pixels to a stdio stream: PNG with our own writer
 * (io/png_write.h), JPEG and BMP with stb_image_write. */
#ifndef SC_IO_ENCODE_H
#define SC_IO_ENCODE_H

#include <stdint.h>
#include <stdio.h>

#include "skychange.h"

/* Bytes to put into the encoded file at offset at (neither encoder writes
 * metadata itself); at must fall within the file the encoder makes. */
typedef struct sc_encode_insert {
    const uint8_t *bytes;
    size_t size, at;
} sc_encode_insert;

/* channels 1 (grey) or 3 (RGB); insert may be NULL; name is for messages. */
sc_status sc_encode_png(FILE *f, const uint8_t *pixels, int width, int height, int channels,
                        const sc_encode_insert *insert, const char *name, sc_error *err);
/* quality 1..100. */
sc_status sc_encode_jpeg(FILE *f, const uint8_t *pixels, int width, int height, int channels,
                         int quality, const sc_encode_insert *insert, const char *name,
                         sc_error *err);
sc_status sc_encode_bmp(FILE *f, const uint8_t *pixels, int width, int height, int channels,
                        const char *name, sc_error *err);

#endif
