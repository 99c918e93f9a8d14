#include "io/exif_orientation.h"

#include <libexif/exif-data.h>
#include <stdlib.h>
#include <string.h>

#include "io/exif_tiff.h"

/* IFD0's orientation when it is 1..8, else 1. */
static int orientation_of(ExifData *exif)
{
    int orientation = 1;
    ExifEntry *entry = exif_content_get_entry(exif->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
    if (entry && entry->data && entry->components >= 1 && entry->size >= 2) {
        ExifByteOrder order = exif_data_get_byte_order(exif);
        int value = -1;
        if (entry->format == EXIF_FORMAT_SHORT)
            value = exif_get_short(entry->data, order);
        else if (entry->format == EXIF_FORMAT_LONG && entry->size >= 4)
            value = (int)exif_get_long(entry->data, order);
        if (value >= 1 && value <= 8)
            orientation = value;
    }
    return orientation;
}

int sc_exif_orientation(const uint8_t *payload, size_t size)
{
    if (!payload || size < 6 || size > 0xffff)
        return 1;
    ExifData *exif = exif_data_new();
    if (!exif)
        return 1;
    /* Read the tags as stored: "fixing" the data to the specification could
     * add or change entries. */
    exif_data_unset_option(exif, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
    exif_data_load_data(exif, payload, (unsigned int)size);
    int orientation = orientation_of(exif);
    exif_data_unref(exif);
    return orientation;
}

int sc_exif_orientation_of_tiff(const uint8_t *tiff, size_t size)
{
    if (!tiff || size < 8 || size > 0xffff)
        return 1;
    ExifMem *mem = exif_mem_new_default();
    ExifData *exif = mem ? sc_exif_load_tiff(tiff, size, mem) : NULL;
    int orientation = exif ? orientation_of(exif) : 0;
    if (exif)
        exif_data_unref(exif);
    exif_mem_unref(mem);
    return orientation;
}

/* The source pixel of output pixel (x, y) is sx = x0 + x*xx + y*xy and
 * sy = y0 + x*yx + y*yy in the stored w x h picture. */
typedef struct orientation_map {
    ptrdiff_t x0, xx, xy, y0, yx, yy;
} orientation_map;

static orientation_map map_for(int orientation, ptrdiff_t w, ptrdiff_t h)
{
    switch (orientation) {
    case 2: return (orientation_map){w - 1, -1, 0, 0, 0, 1};         /* mirror left-right */
    case 3: return (orientation_map){w - 1, -1, 0, h - 1, 0, -1};    /* rotate 180 */
    case 4: return (orientation_map){0, 1, 0, h - 1, 0, -1};         /* mirror top-bottom */
    case 5: return (orientation_map){0, 0, 1, 0, 1, 0};              /* transpose */
    case 6: return (orientation_map){0, 0, 1, h - 1, -1, 0};         /* rotate 90 clockwise */
    case 7: return (orientation_map){w - 1, 0, -1, h - 1, -1, 0};    /* transverse */
    case 8: return (orientation_map){w - 1, 0, -1, 0, 1, 0};         /* rotate 90 anticlockwise */
    default: return (orientation_map){0, 1, 0, 0, 0, 1};
    }
}

void *sc_orient_pixels(const void *pixels, int *width, int *height, size_t pixel_bytes,
                       int orientation)
{
    int w = *width, h = *height;
    int swap = orientation >= 5 && orientation <= 8;
    int out_w = swap ? h : w, out_h = swap ? w : h;
    uint8_t *out = malloc((size_t)out_w * (size_t)out_h * pixel_bytes);
    if (!out)
        return NULL;
    orientation_map m = map_for(orientation, w, h);
    /* Offsets in pixels into the source for the start of a row and one step in x. */
    ptrdiff_t step_x = m.xx + m.yx * w;
    ptrdiff_t step_y = m.xy + m.yy * w;
    const uint8_t *src = pixels;
    uint8_t *dst = out;
    for (int y = 0; y < out_h; y++) {
        ptrdiff_t at = m.x0 + m.y0 * w + (ptrdiff_t)y * step_y;
        for (int x = 0; x < out_w; x++, at += step_x) {
            memcpy(dst, src + (size_t)at * pixel_bytes, pixel_bytes);
            dst += pixel_bytes;
        }
    }
    *width = out_w;
    *height = out_h;
    return out;
}
