/* JPEG EXIF orientation, applied the way PIL's ImageOps.exif_transpose does. */
#ifndef SC_IO_EXIF_ORIENTATION_H
#define SC_IO_EXIF_ORIENTATION_H

#include <stddef.h>
#include <stdint.h>

/* Orientation (1..8) from an APP1 payload starting at "Exif\0\0"; 1 when the
 * payload is unreadable, has no orientation in IFD0, or holds a value out of
 * range (PIL ignores those too). */
int sc_exif_orientation(const uint8_t *payload, size_t size);
/* The same for EXIF as a bare TIFF structure ("II" or "MM" first), as WebP
 * files hold it; 0 when out of memory. */
int sc_exif_orientation_of_tiff(const uint8_t *tiff, size_t size);

/* Pixels as shown on screen for an orientation: a new buffer of width*height
 * pixels of pixel_bytes each; *width and *height are swapped for 5..8.
 * Returns NULL when out of memory. */
void *sc_orient_pixels(const void *pixels, int *width, int *height, size_t pixel_bytes,
                       int orientation);

#endif
