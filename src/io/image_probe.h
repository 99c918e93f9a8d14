/*
 * Recognising a picture's format from its first bytes and checking that its
 * container is complete. stb_image reads past the end of a truncated file as
 * zeros and returns a half-grey picture without complaint; a photo cut short
 * by a failed download or copy must be an error instead (as it is for the
 * original tool), so we walk the container ourselves before decoding.
 */
#ifndef SC_IO_IMAGE_PROBE_H
#define SC_IO_IMAGE_PROBE_H

#include <stddef.h>
#include <stdint.h>

typedef enum sc_picture_format {
    SC_PICTURE_UNKNOWN,
    SC_PICTURE_PNG,
    SC_PICTURE_JPEG,
    SC_PICTURE_BMP,
    SC_PICTURE_TGA,
    SC_PICTURE_WEBP,
    SC_PICTURE_TIFF,
    SC_PICTURE_HEIF
} sc_picture_format;

typedef enum sc_container_state {
    SC_CONTAINER_COMPLETE,
    SC_CONTAINER_TRUNCATED,
    SC_CONTAINER_CORRUPT
} sc_container_state;

const char *sc_picture_format_name(sc_picture_format format);

/* PNG, JPEG, BMP, WebP, TIFF or HEIF by signature (TGA has none: UNKNOWN).
 * For a format we recognise but do not read (GIF, AVIF, ...), *other is set
 * to its name. */
sc_picture_format sc_picture_sniff(const uint8_t *data, size_t size, const char **other);

sc_container_state sc_picture_container(sc_picture_format format, const uint8_t *data,
                                        size_t size);

typedef struct sc_jpeg_info {
    const uint8_t *exif; /* first APP1 "Exif\0\0" payload, from "Exif"; or NULL */
    size_t exif_size;
    int width, height;   /* from the first frame header; 0 if none */
} sc_jpeg_info;

/* Walks a JPEG's markers and returns its container state. */
sc_container_state sc_jpeg_scan(const uint8_t *data, size_t size, sc_jpeg_info *info);
/* The same, calling visit (when not NULL) for every complete segment that has
 * a length field: its marker and its payload (after the length). */
typedef void (*sc_jpeg_segment_fn)(void *ctx, uint8_t marker, const uint8_t *payload,
                                   size_t size);
sc_container_state sc_jpeg_walk(const uint8_t *data, size_t size, sc_jpeg_info *info,
                                sc_jpeg_segment_fn visit, void *ctx);

/* 1 for the formats stb_image decodes (PNG, JPEG, BMP, TGA). */
int sc_picture_format_is_stb(sc_picture_format format);

/* Width and height as the header states them, read without decoding;
 * -1 if the header is too short to say. */
int sc_picture_dimensions(sc_picture_format format, const uint8_t *data, size_t size,
                          long long *width, long long *height);

#endif
