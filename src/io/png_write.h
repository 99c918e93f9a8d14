/*
 * PNG files of 8-bit grey or RGB pixels, compressed on several threads.
 *
 * The rows are cut into bands whose height depends on the row size alone;
 * each band is filtered and deflated on its own, primed with the end of the
 * band before, and becomes one IDAT chunk. The bytes are therefore the same
 * for every thread count.
 */
#ifndef SC_IO_PNG_WRITE_H
#define SC_IO_PNG_WRITE_H

#include <stddef.h>
#include <stdint.h>

/* Receives the file in order, in pieces; the signature and IHDR come as one
 * piece, so that whatever the sink inserts after them needs no splitting. */
typedef void sc_png_sink(void *context, const void *data, size_t size);

/* channels 1 (grey) or 3 (RGB), rows packed. Returns 0 when memory runs out
 * (or the size cannot be a PNG), 1 when the whole file went to the sink. */
int sc_png_write(sc_png_sink *sink, void *context, const uint8_t *pixels, int width, int height,
                 int channels);

/* The filter types of the PNG specification. */
enum { SC_PNG_NONE, SC_PNG_SUB, SC_PNG_UP, SC_PNG_AVERAGE, SC_PNG_PAETH, SC_PNG_FILTERS };

/* Rows per band for rows of row_bytes filtered bytes (filter byte included). */
size_t sc_png_band_rows(size_t row_bytes);

/* out = row filtered with type; prev is the row above (zeros for the first
 * row), bpp the bytes per pixel, n the bytes of a row. */
void sc_png_filter_row(int type, const uint8_t *row, const uint8_t *prev, size_t bpp, size_t n,
                       uint8_t *out);

/* The filter whose output has the smallest sum of |byte as signed|, the
 * lowest type on a tie: out[0] = its type, out[1..n] = the filtered row.
 * scratch holds n bytes. */
void sc_png_filter_best(const uint8_t *row, const uint8_t *prev, size_t bpp, size_t n,
                        uint8_t *scratch, uint8_t *out);

#endif
