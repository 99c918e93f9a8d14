/* IEEE 754 binary16 -> binary32, exact for every input (subnormals, inf, nan). */
#ifndef SC_IO_HALF_H
#define SC_IO_HALF_H

#include <stdint.h>
#include <string.h>

static inline float sc_half_to_float(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exponent = (h >> 10) & 0x1fu;
    uint32_t mantissa = h & 0x3ffu;
    uint32_t bits;
    if (exponent == 0) {
        /* Zero or subnormal: mantissa * 2^-24 is exact in float. */
        float magnitude = (float)mantissa * 0x1p-24f;
        memcpy(&bits, &magnitude, sizeof bits);
        bits |= sign;
    } else if (exponent == 31) {
        /* Inf or nan; the nan payload is kept in the high mantissa bits. */
        bits = sign | 0x7f800000u | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 112u) << 23) | (mantissa << 13);
    }
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

#endif
