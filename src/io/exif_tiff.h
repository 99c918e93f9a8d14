/* EXIF held as a bare TIFF structure ("II" or "MM" first: PNG's eXIf chunk,
 * WebP's EXIF chunk, sc_image.exif) loaded into libexif, which reads it only
 * after JPEG's "Exif\0\0". */
#ifndef SC_IO_EXIF_TIFF_H
#define SC_IO_EXIF_TIFF_H

#include <libexif/exif-data.h>
#include <stddef.h>
#include <stdint.h>

/* The tags as stored (libexif's "fixes" to the specification, which add or
 * change entries, are off), in memory from mem; NULL when out of memory. A
 * block libexif cannot read gives an ExifData without entries. */
ExifData *sc_exif_load_tiff(const uint8_t *tiff, size_t size, ExifMem *mem);

#endif
