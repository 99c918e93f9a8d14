/* Encoding 8-bit pixels to a stdio stream with stb_image_write. */
#ifndef SC_IO_ENCODE_H
#define SC_IO_ENCODE_H

#include <stdint.h>
#include <stdio.h>

#include "skychange.h"

/* channels 1 (grey) or 3 (RGB); name is for messages. */
sc_status sc_encode_png(FILE *f, const uint8_t *pixels, int width, int height, int channels,
                        const char *name, sc_error *err);
/* quality 1..100. */
sc_status sc_encode_jpeg(FILE *f, const uint8_t *pixels, int width, int height, int channels,
                         int quality, const char *name, sc_error *err);
sc_status sc_encode_bmp(FILE *f, const uint8_t *pixels, int width, int height, int channels,
                        const char *name, sc_error *err);

#endif
