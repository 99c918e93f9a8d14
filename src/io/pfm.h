/* Portable Float Map, grey ("Pf") and colour ("PF"). */
#ifndef SC_IO_PFM_H
#define SC_IO_PFM_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "skychange.h"

/* Writes a grey PFM: "Pf\n<w> <h>\n-1.0\n", then little-endian float32 rows
 * from the bottom row up. */
sc_status sc_pfm_write_grey(FILE *f, const float *values, int width, int height,
                            const char *name, sc_error *err);

/* 1 if data starts like a PFM ("Pf" or "PF" and white space). */
int sc_pfm_detect(const uint8_t *data, size_t size);

/* Reads a PFM into top-to-bottom grey values (colour: mean of the three
 * channels); *values is malloc'd. Either byte order; the scale's magnitude
 * is ignored, as usual for PFM. */
sc_status sc_pfm_read_grey(const uint8_t *data, size_t size, const char *name, float **values,
                           int *width, int *height, sc_error *err);

/* Checks a PFM's header before its data is read: head holds the file's
 * first head_size bytes (sc_pfm_detect is true of them), file_size is the
 * file's. Refuses more than SC_MAX_PIXELS, and a file too short for the data
 * its header declares (not checked when file_size is SC_PFM_SIZE_UNKNOWN: a
 * stream not yet read to its end). */
#define SC_PFM_SIZE_UNKNOWN ULLONG_MAX
sc_status sc_pfm_check_head(const uint8_t *head, size_t head_size, unsigned long long file_size,
                            const char *name, sc_error *err);

#endif
