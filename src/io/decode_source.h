/*
 * Where a picture or a matte is read from: a file, memory or a stdio stream.
 * The bytes go to the reader's own decode function; the source's checks and
 * the decode time (sc_timings.decode) are done here, once for every reader.
 */
#ifndef SC_IO_DECODE_SOURCE_H
#define SC_IO_DECODE_SOURCE_H

#include <stddef.h>
#include <stdio.h>

#include "skychange.h"

/* Decodes size bytes at data into out; name is for messages. */
typedef sc_status (*sc_decode_fn)(const void *data, size_t size, const char *name, void *out,
                                  sc_error *err);

/* Each call first zeroes the out_size bytes of out, so that a failed read
 * leaves it empty, then decodes into it. */
/* A file larger than SC_MAX_PIXELS allows is refused from its first bytes. */
sc_status sc_decode_file(const char *path, sc_decode_fn decode, void *out, size_t out_size,
                         sc_error *err);
/* name may be NULL ("(memory)"). */
sc_status sc_decode_memory(const void *data, size_t size, const char *name, sc_decode_fn decode,
                           void *out, size_t out_size, sc_error *err);
/* Reads from the stream's position to its end; name may be NULL ("(stream)"). */
sc_status sc_decode_stream(FILE *file, const char *name, sc_decode_fn decode, void *out,
                           size_t out_size, sc_error *err);

/* Defines the three public readers of one type, sc_<kind>_read (a file),
 * sc_<kind>_read_memory and sc_<kind>_read_stream, as skychange.h declares
 * them, on the type's decode function. */
#define SC_DEFINE_READERS(kind, type, decode)                                                   \
    sc_status sc_##kind##_read(const char *path, type *out, sc_error *err)                      \
    {                                                                                           \
        return sc_decode_file(path, decode, out, sizeof *out, err);                             \
    }                                                                                           \
    sc_status sc_##kind##_read_memory(const void *data, size_t size, const char *name,          \
                                      type *out, sc_error *err)                                 \
    {                                                                                           \
        return sc_decode_memory(data, size, name, decode, out, sizeof *out, err);               \
    }                                                                                           \
    sc_status sc_##kind##_read_stream(FILE *file, const char *name, type *out, sc_error *err)   \
    {                                                                                           \
        return sc_decode_stream(file, name, decode, out, sizeof *out, err);                     \
    }

#endif
