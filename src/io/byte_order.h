#ifndef SC_IO_BYTE_ORDER_H
#define SC_IO_BYTE_ORDER_H

/* Integers stored in file headers (PNG and JPEG are big-endian, BMP and TIFF-in-EXIF may be
 * little-endian), read and written a byte at a time so that alignment and the host's byte
 * order never matter. */

#include <stdint.h>

static inline uint32_t sc_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint32_t sc_le32(const uint8_t *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static inline uint16_t sc_le16(const uint8_t *p)
{
    return (uint16_t)(p[1] << 8 | p[0]);
}

static inline void sc_put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

#endif
