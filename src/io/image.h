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

/* What a writer writes: check() refuses what cannot be written (before any
 * target is touched), write() encodes it; both get ctx. name is for messages. */
typedef struct sc_writer {
    const char *name;
    sc_status (*check)(const void *ctx, sc_error *err);
    sc_write_fn write;
    const void *ctx;
} sc_writer;

/* The writers' three targets (write_target.c). Each checks, writes once and
 * counts the time as sc_timings.encode. */
/* path, atomically (sc_write_atomic). */
sc_status sc_write_to_file(const char *path, const sc_writer *writer, sc_error *err);
/* An open stream, flushed afterwards and left open. */
sc_status sc_write_to_stream(FILE *f, const sc_writer *writer, sc_error *err);
/* A new buffer (*data: free() it); NULL on failure. */
sc_status sc_write_to_buffer(const sc_writer *writer, void **data, size_t *size, sc_error *err);

/* The file type a path's extension names (any of sc_output_type's, picture
 * or matte, in any case); -1 for another extension or none. */
int sc_file_type_of_path(const char *path, sc_file_type *type);
/* "PNG", "JPEG", ...; "unknown" outside the enum. */
const char *sc_file_type_name(sc_file_type type);

#endif
