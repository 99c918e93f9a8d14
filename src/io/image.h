/* Internal picture helpers beyond the public sc_image_* calls. */
#ifndef SC_IO_IMAGE_H
#define SC_IO_IMAGE_H

#include <stdio.h>

#include "skychange.h"

/* Pictures larger than this (in pixels) are refused before decoding. */
#define SC_MAX_PIXELS (100LL * 1000 * 1000)

/* Creates a temporary file beside path, lets write() fill it, then renames it
 * over path; on any failure the temporary is removed and path is untouched. */
typedef sc_status (*sc_write_fn)(FILE *f, const void *ctx, sc_error *err);
sc_status sc_write_atomic(const char *path, sc_write_fn write, const void *ctx, sc_error *err);

/* Lower-case extension of path without the dot ("" if none), into buf. */
const char *sc_path_extension(const char *path, char *buf, size_t size);

#endif
