/*
 * EXIF in a TIFF file. A TIFF's first directory is itself where EXIF keeps
 * its camera, date and description text; these fields go between a TIFF and
 * an EXIF block (sc_image.exif). The EXIF sub-directory (exposure, lens, GPS)
 * is not carried either way.
 */
#ifndef SC_IO_TIFF_EXIF_H
#define SC_IO_TIFF_EXIF_H

#include <stddef.h>
#include <stdint.h>
#include <tiffio.h>

#include "skychange.h"

/* An EXIF block (malloc'd, *exif NULL when the TIFF has none of the fields)
 * holding the text fields of the TIFF's current directory. */
sc_status sc_tiff_exif_read(TIFF *tif, uint8_t **exif, size_t *exif_size);

/* Sets the text fields that an EXIF block holds on the TIFF being written;
 * SC_ERR_NO_MEMORY when out of memory. */
sc_status sc_tiff_exif_write(TIFF *tif, const uint8_t *exif, size_t exif_size);

#endif
