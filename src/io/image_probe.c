#include "io/image_probe.h"

#include <string.h>

#include "io/byte_order.h"
#include "io/picture_codecs.h"

const char *sc_picture_format_name(sc_picture_format format)
{
    switch (format) {
    case SC_PICTURE_PNG: return "PNG";
    case SC_PICTURE_JPEG: return "JPEG";
    case SC_PICTURE_BMP: return "BMP";
    case SC_PICTURE_TGA: return "TGA";
    case SC_PICTURE_WEBP: return "WebP";
    case SC_PICTURE_TIFF: return "TIFF";
    case SC_PICTURE_HEIF: return "HEIF";
    case SC_PICTURE_UNKNOWN: break;
    }
    return "unknown";
}

int sc_picture_format_is_stb(sc_picture_format format)
{
    return format == SC_PICTURE_PNG || format == SC_PICTURE_JPEG || format == SC_PICTURE_BMP ||
           format == SC_PICTURE_TGA;
}

static int starts_with(const uint8_t *data, size_t size, size_t at, const char *magic, size_t n)
{
    return size >= at + n && memcmp(data + at, magic, n) == 0;
}

/* An ISO base media file whose major brand is one of HEIF's still-image
 * brands (HEVC-coded, or the generic mif1/msf1 that iPhones and libheif use). */
static int is_heif(const uint8_t *data, size_t size)
{
    static const char brands[][5] = {"heic", "heix", "heim", "heis", "hevc", "hevx",
                                     "mif1", "msf1"};
    if (!starts_with(data, size, 4, "ftyp", 4) || size < 12)
        return 0;
    for (size_t i = 0; i < sizeof brands / sizeof *brands; i++)
        if (memcmp(data + 8, brands[i], 4) == 0)
            return 1;
    return 0;
}

sc_picture_format sc_picture_sniff(const uint8_t *data, size_t size, const char **other)
{
    *other = NULL;
    if (starts_with(data, size, 0, "\x89PNG\r\n\x1a\n", 8))
        return SC_PICTURE_PNG;
    if (starts_with(data, size, 0, "\xff\xd8\xff", 3))
        return SC_PICTURE_JPEG;
    if (starts_with(data, size, 0, "BM", 2) && size >= 18)
        return SC_PICTURE_BMP;
    if (starts_with(data, size, 0, "RIFF", 4) && starts_with(data, size, 8, "WEBP", 4))
        return SC_PICTURE_WEBP;
    if (starts_with(data, size, 0, "II*\0", 4) || starts_with(data, size, 0, "MM\0*", 4))
        return SC_PICTURE_TIFF;
    if (is_heif(data, size))
        return SC_PICTURE_HEIF;
    if (starts_with(data, size, 0, "GIF8", 4))
        *other = "GIF";
    else if (starts_with(data, size, 0, "II+\0", 4) || starts_with(data, size, 0, "MM\0+", 4))
        *other = "BigTIFF";
    else if (starts_with(data, size, 4, "ftypavif", 8))
        *other = "AVIF";
    else if (starts_with(data, size, 0, "8BPS", 4))
        *other = "PSD";
    else if (starts_with(data, size, 0, "\0\0\0\x0cjP  ", 8))
        *other = "JPEG 2000";
    return SC_PICTURE_UNKNOWN;
}

static sc_container_state png_container(const uint8_t *data, size_t size)
{
    size_t pos = 8;
    for (;;) {
        if (size - pos < 12)
            return SC_CONTAINER_TRUNCATED;
        uint32_t length = sc_be32(data + pos);
        if (length > 0x7fffffffu)
            return SC_CONTAINER_CORRUPT;
        if (size - pos - 12 < length)
            return SC_CONTAINER_TRUNCATED;
        if (memcmp(data + pos + 4, "IEND", 4) == 0)
            return SC_CONTAINER_COMPLETE;
        pos += 12 + (size_t)length;
    }
}

/* Uncompressed BMP: the pixel array must fit in the file. Compressed
 * variants are left to the decoder. */
static sc_container_state bmp_container(const uint8_t *data, size_t size)
{
    uint64_t offset = sc_le32(data + 10);
    uint32_t dib = sc_le32(data + 14);
    int64_t width, height;
    uint32_t bpp, compression;
    if (dib == 12) {
        if (size < 26)
            return SC_CONTAINER_TRUNCATED;
        width = sc_le16(data + 18);
        height = sc_le16(data + 20);
        bpp = sc_le16(data + 24);
        compression = 0;
    } else if (dib >= 40) {
        if (size < 54)
            return SC_CONTAINER_TRUNCATED;
        width = (int32_t)sc_le32(data + 18);
        height = (int32_t)sc_le32(data + 22);
        bpp = sc_le16(data + 28);
        compression = sc_le32(data + 30);
    } else {
        return SC_CONTAINER_COMPLETE;
    }
    if (compression != 0 && compression != 3 && compression != 6)
        return SC_CONTAINER_COMPLETE;
    if (width <= 0 || bpp == 0 || bpp > 32)
        return SC_CONTAINER_COMPLETE; /* the decoder gives the precise complaint */
    if (height < 0)
        height = -height;
    uint64_t row = ((uint64_t)width * bpp + 31) / 32 * 4;
    /* A forged header can ask for more than 2^64 bytes. */
    if (row != 0 && (uint64_t)height > (UINT64_MAX - offset) / row)
        return SC_CONTAINER_CORRUPT;
    return offset + row * (uint64_t)height > size ? SC_CONTAINER_TRUNCATED
                                                   : SC_CONTAINER_COMPLETE;
}

/* TGA: uncompressed (types 1, 2, 3) the pixels must all be there; run-length encoded
 * (types 9, 10, 11) each packet is a byte and one pixel for at most 128 pixels, so a
 * file too short for that is cut (stb would decode zeros to the end of a picture its
 * header claims, millions of pixels from a few bytes). */
static sc_container_state tga_container(const uint8_t *data, size_t size)
{
    if (size < 18)
        return SC_CONTAINER_TRUNCATED;
    int type = data[2];
    int rle = type == 9 || type == 10 || type == 11;
    if (!rle && type != 1 && type != 2 && type != 3)
        return SC_CONTAINER_COMPLETE;
    uint64_t need = 18 + (uint64_t)data[0];
    if (data[1] == 1)
        need += (uint64_t)sc_le16(data + 5) * ((data[7] + 7u) / 8);
    uint64_t pixels = (uint64_t)sc_le16(data + 12) * sc_le16(data + 14);
    uint64_t pixel_bytes = (data[16] + 7u) / 8;
    need += rle ? (pixels + 127) / 128 * (1 + pixel_bytes) : pixels * pixel_bytes;
    return need > size ? SC_CONTAINER_TRUNCATED : SC_CONTAINER_COMPLETE;
}

/* The RIFF header states the size of the rest of the file. */
static sc_container_state webp_container(const uint8_t *data, size_t size)
{
    if (size < 12)
        return SC_CONTAINER_TRUNCATED;
    uint64_t stated = 8 + (uint64_t)sc_le32(data + 4);
    return stated > size ? SC_CONTAINER_TRUNCATED : SC_CONTAINER_COMPLETE;
}

/* The top-level boxes (ftyp, meta, mdat, ...) must each fit in the file:
 * libheif would otherwise report a missing image or a decoder error for a
 * file cut short. */
static sc_container_state heif_container(const uint8_t *data, size_t size)
{
    size_t pos = 0;
    while (pos < size) {
        if (size - pos < 8)
            return SC_CONTAINER_TRUNCATED;
        uint64_t length = sc_be32(data + pos);
        size_t header = 8;
        if (length == 1) { /* a 64-bit size follows the type */
            if (size - pos < 16)
                return SC_CONTAINER_TRUNCATED;
            length = (uint64_t)sc_be32(data + pos + 8) << 32 | sc_be32(data + pos + 12);
            header = 16;
        } else if (length == 0) { /* the box runs to the end of the file */
            return SC_CONTAINER_COMPLETE;
        }
        if (length < header)
            return SC_CONTAINER_CORRUPT;
        if (length > size - pos)
            return SC_CONTAINER_TRUNCATED;
        pos += (size_t)length;
    }
    return SC_CONTAINER_COMPLETE;
}

static int is_frame_header(uint8_t marker)
{
    return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 &&
           marker != 0xcc;
}

/* A DHT segment's tables must each hold at most 256 codes and fit in the
 * segment: the stb_image release we build against writes past its tables
 * otherwise. */
static int valid_huffman_tables(const uint8_t *p, size_t length)
{
    while (length > 0) {
        if (length < 17 || (p[0] >> 4) > 1 || (p[0] & 15) > 3)
            return 0;
        size_t codes = 0;
        for (int i = 1; i <= 16; i++)
            codes += p[i];
        if (codes > 256 || length - 17 < codes)
            return 0;
        p += 17 + codes;
        length -= 17 + codes;
    }
    return 1;
}

sc_container_state sc_jpeg_scan(const uint8_t *data, size_t size, sc_jpeg_info *info)
{
    return sc_jpeg_walk(data, size, info, NULL, NULL);
}

sc_container_state sc_jpeg_walk(const uint8_t *data, size_t size, sc_jpeg_info *info,
                                sc_jpeg_segment_fn visit, void *ctx)
{
    memset(info, 0, sizeof *info);
    size_t pos = 2;
    for (;;) {
        /* Like libjpeg, tolerate stray bytes between segments: skip to the next 0xFF. */
        while (pos < size && data[pos] != 0xff)
            pos++;
        while (pos < size && data[pos] == 0xff)
            pos++;
        if (pos >= size)
            return SC_CONTAINER_TRUNCATED;
        uint8_t marker = data[pos++];
        if (marker == 0xd9)
            return SC_CONTAINER_COMPLETE;
        if (marker == 0x01 || marker == 0xd8 || (marker >= 0xd0 && marker <= 0xd7))
            continue; /* no length field */
        if (size - pos < 2)
            return SC_CONTAINER_TRUNCATED;
        size_t length = (size_t)data[pos] << 8 | data[pos + 1];
        if (length < 2)
            return SC_CONTAINER_CORRUPT;
        if (size - pos < length)
            return SC_CONTAINER_TRUNCATED;
        if (marker == 0xe1 && !info->exif && length - 2 >= 6 &&
            memcmp(data + pos + 2, "Exif\0\0", 6) == 0) {
            info->exif = data + pos + 2;
            info->exif_size = length - 2;
        }
        if (visit)
            visit(ctx, marker, data + pos + 2, length - 2);
        if (marker == 0xc4 && !valid_huffman_tables(data + pos + 2, length - 2))
            return SC_CONTAINER_CORRUPT;
        if (is_frame_header(marker) && info->width == 0 && length >= 8) {
            info->height = data[pos + 3] << 8 | data[pos + 4];
            info->width = data[pos + 5] << 8 | data[pos + 6];
        }
        pos += length;
        if (marker != 0xda)
            continue;
        /* Entropy-coded data follows a scan header; it ends at the first
         * marker other than a stuffed zero or a restart marker. */
        for (;;) {
            if (size - pos < 2)
                return SC_CONTAINER_TRUNCATED;
            if (data[pos] != 0xff) {
                pos++;
                continue;
            }
            uint8_t next = data[pos + 1];
            if (next == 0x00 || (next >= 0xd0 && next <= 0xd7))
                pos += 2;
            else if (next == 0xff)
                pos++;
            else
                break;
        }
    }
}

sc_container_state sc_picture_container(sc_picture_format format, const uint8_t *data,
                                        size_t size)
{
    sc_jpeg_info info;
    switch (format) {
    case SC_PICTURE_PNG: return png_container(data, size);
    case SC_PICTURE_JPEG: return sc_jpeg_scan(data, size, &info);
    case SC_PICTURE_BMP: return bmp_container(data, size);
    case SC_PICTURE_TGA: return tga_container(data, size);
    case SC_PICTURE_WEBP: return webp_container(data, size);
    case SC_PICTURE_HEIF: return heif_container(data, size);
    case SC_PICTURE_TIFF: /* libtiff checks every strip it reads */
    case SC_PICTURE_UNKNOWN: break;
    }
    return SC_CONTAINER_COMPLETE;
}

int sc_picture_dimensions(sc_picture_format format, const uint8_t *data, size_t size,
                          long long *width, long long *height)
{
    sc_jpeg_info info;
    switch (format) {
    case SC_PICTURE_PNG:
        if (size < 24 || memcmp(data + 12, "IHDR", 4) != 0)
            return -1;
        *width = sc_be32(data + 16);
        *height = sc_be32(data + 20);
        return 0;
    case SC_PICTURE_JPEG:
        sc_jpeg_scan(data, size, &info);
        if (info.width == 0 && info.height == 0)
            return -1;
        *width = info.width;
        *height = info.height;
        return 0;
    case SC_PICTURE_BMP:
        if (size >= 26 && sc_le32(data + 14) == 12) {
            *width = sc_le16(data + 18);
            *height = sc_le16(data + 20);
            return 0;
        }
        if (size < 26)
            return -1;
        *width = (int32_t)sc_le32(data + 18);
        *height = (int32_t)sc_le32(data + 22);
        if (*height < 0)
            *height = -*height;
        return 0;
    case SC_PICTURE_TGA:
        if (size < 18)
            return -1;
        *width = sc_le16(data + 12);
        *height = sc_le16(data + 14);
        return 0;
    case SC_PICTURE_WEBP: return sc_webp_dimensions(data, size, width, height);
    case SC_PICTURE_TIFF: return sc_tiff_dimensions(data, size, width, height);
    case SC_PICTURE_HEIF: return sc_heif_dimensions(data, size, width, height);
    case SC_PICTURE_UNKNOWN: break;
    }
    return -1;
}
