/*
 * A picture's EXIF and ICC profile: read from its file into an sc_image, and
 * put back into the bytes our PNG writer or stb_image_write's JPEG encoder
 * makes (neither writes them itself); the other writers pass them to their
 * libraries.
 */
#ifndef SC_IO_PICTURE_METADATA_H
#define SC_IO_PICTURE_METADATA_H

#include <stddef.h>
#include <stdint.h>

#include "skychange.h"

/* Fills img->exif and img->icc from a decoded picture's file bytes (img's
 * width and height already set). Metadata
 * that is malformed, truncated or too large is left out, not an error: the
 * pixels decoded, and a photo is not refused for its tags. Fails only when
 * memory runs out (img then holds no metadata). */
sc_status sc_picture_metadata_read(const uint8_t *data, size_t size, const char *name,
                                   sc_image *img, sc_error *err);

/* Keeps a file's EXIF (a TIFF structure; NULL for none) cleaned as
 * sc_image.exif describes, for img's decoded size, and its ICC profile (NULL
 * for none) when it looks like one; what img already holds stays. Fails only
 * when memory runs out. */
sc_status sc_picture_metadata_keep(sc_image *img, const uint8_t *exif, size_t exif_size,
                                   const uint8_t *icc, size_t icc_size);

/* SC_ERR_INVALID_ARG when img's metadata is larger than a JPEG can hold. */
sc_status sc_picture_metadata_check(const sc_image *img, const char *name, sc_error *err);

/* The segments (JPEG) or chunks (PNG) that carry img's metadata, and the
 * offset in the encoded file where they go: after SOI, or after IHDR (before
 * any IDAT, as iCCP must be). *block is NULL when there is nothing to add;
 * else free() it. */
sc_status sc_picture_metadata_block(const sc_image *img, sc_file_type type, const char *name,
                                    uint8_t **block, size_t *size, size_t *at, sc_error *err);

#endif
