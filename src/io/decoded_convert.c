/* sc_decoded_convert: the channel and depth conversions stb_image makes for
 * its own formats, for the pictures that other libraries decode. */
#include <stdint.h>
#include <stdlib.h>

#include "core/error.h"
#include "core/page_hints.h"
#include "io/picture_decode.h"

/* Grey from RGB by stb_image's weights (the same for 8- and 16-bit samples). */
static unsigned grey_of(unsigned r, unsigned g, unsigned b)
{
    return (r * 77 + g * 150 + b * 29) >> 8;
}

/* Sample c (0..to-1) of a pixel with to channels, from the same pixel's from
 * channels src; full is the opaque value. */
static unsigned sample(const unsigned *src, int from, int to, int c, unsigned full)
{
    int colour_in = from >= 3, alpha_in = from == 2 || from == 4;
    int colour_out = to >= 3;
    if (c == (colour_out ? 3 : 1)) /* the alpha sample asked for */
        return alpha_in ? src[from - 1] : full;
    if (colour_out)
        return colour_in ? src[c] : src[0];
    return colour_in ? grey_of(src[0], src[1], src[2]) : src[0];
}

sc_status sc_decoded_convert(sc_decoded *out, int channels, int allow_16bit, const char *name,
                             sc_error *err)
{
    int from = out->channels, to = channels ? channels : from;
    int bits_out = out->bits == 16 && allow_16bit ? 16 : 8;
    if (to == from && bits_out == out->bits)
        return SC_OK;
    size_t count = (size_t)out->width * (size_t)out->height;
    void *converted = SC_MALLOC_LARGE(count * (size_t)to * (size_t)(bits_out / 8));
    if (!converted)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory converting the picture", name);
    const uint8_t *in8 = out->pixels;
    const uint16_t *in16 = out->pixels;
    uint8_t *out8 = converted;
    uint16_t *out16 = converted;
    unsigned full = out->bits == 16 ? 65535u : 255u;
    for (size_t i = 0; i < count; i++) {
        unsigned src[4];
        for (int c = 0; c < from; c++)
            src[c] = out->bits == 16 ? in16[i * (size_t)from + (size_t)c]
                                     : in8[i * (size_t)from + (size_t)c];
        for (int c = 0; c < to; c++) {
            unsigned v = sample(src, from, to, c, full);
            size_t at = i * (size_t)to + (size_t)c;
            if (bits_out == 16)
                out16[at] = (uint16_t)v;
            else
                out8[at] = (uint8_t)(out->bits == 16 ? v >> 8 : v);
        }
    }
    free(out->pixels);
    out->pixels = converted;
    out->channels = to;
    out->bits = bits_out;
    return SC_OK;
}
