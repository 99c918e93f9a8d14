/* Integer hash for reproducible pseudo-random test pictures and mattes. */
#ifndef SC_TESTS_BLEND_HASH32_H
#define SC_TESTS_BLEND_HASH32_H

#include <stdint.h>

static inline uint32_t hash32(uint32_t v)
{
    v ^= v >> 16;
    v *= 0x7feb352dU;
    v ^= v >> 15;
    v *= 0x846ca68bU;
    v ^= v >> 16;
    return v;
}

#endif
