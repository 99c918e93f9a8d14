/*
 * libtiff on bytes in memory instead of a file: a picture being read, or a
 * growing buffer being written (TIFF writers seek back to finish the header,
 * so they cannot write to a pipe directly). libtiff's messages are kept in the
 * handle, the first error for our own message, instead of going to stderr.
 */
#ifndef SC_IO_TIFF_MEMORY_H
#define SC_IO_TIFF_MEMORY_H

#include <stddef.h>
#include <stdint.h>
#include <tiffio.h>

typedef struct sc_tiff_memory {
    const uint8_t *data; /* reading */
    uint8_t *buffer;     /* writing: malloc'd, capacity bytes */
    size_t size, capacity, pos;
    int out_of_memory;   /* a write could not grow the buffer */
    char error[160];     /* libtiff's first error, or "" */
} sc_tiff_memory;

/* Opens size bytes at data for reading ("r") or an empty buffer for writing
 * ("w"); mem must stay in place until TIFFClose. NULL when libtiff refuses
 * (mem->error then says why, or is empty when memory ran out). */
TIFF *sc_tiff_open_memory(sc_tiff_memory *mem, const uint8_t *data, size_t size,
                          const char *mode);

#endif
