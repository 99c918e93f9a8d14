/*
 * --sky-brightness and --sky-temperature: the new sky's exposure and white
 * balance, as one gain per channel in linear light, applied to the placed
 * patch through a table per channel. The temperature gain is the ratio of the
 * colour of a black body at 6500 K - shift to that at 6500 K (Tanner
 * Helland's fit of the Planckian locus), scaled to keep the luminance.
 */
#include "blend/blend.h"
#include "blend/colour.h"

#include <math.h>

#define NEUTRAL_KELVIN 6500.f

/* sRGB colour (0..1) of a black body at kelvin, 1000..40000. */
static void black_body(float kelvin, float rgb[3])
{
    float t = kelvin / 100.f;
    float r = t <= 66.f ? 255.f : 329.698727446f * sc_mode_powf(t - 60.f, -0.1332047592f);
    float g = t <= 66.f ? 99.4708025861f * sc_mode_logf(t) - 161.1195681661f
                        : 288.1221695283f * sc_mode_powf(t - 60.f, -0.0755148492f);
    float b = t >= 66.f ? 255.f : (t <= 19.f ? 0.f : 138.5177312231f * sc_mode_logf(t - 10.f) -
                                                         305.0447927307f);
    float v[3] = {r, g, b};
    for (int c = 0; c < 3; c++)
        rgb[c] = fminf(fmaxf(v[c], 1.f), 255.f) / 255.f;
}

void sc_sky_tone_init(sc_sky_tone *tone, float brightness_stops, float temperature_shift)
{
    tone->on = brightness_stops != 0.f || temperature_shift != 0.f;
    if (!tone->on)
        return;
    float from[3], to[3], gain[3];
    black_body(NEUTRAL_KELVIN, from);
    black_body(NEUTRAL_KELVIN - temperature_shift, to);
    for (int c = 0; c < 3; c++)
        gain[c] = sc_srgb_to_linear(to[c]) / sc_srgb_to_linear(from[c]);
    float luminance = 0.2126729f * gain[0] + 0.7151522f * gain[1] + 0.0721750f * gain[2];
    float exposure = sc_mode_exp2f(brightness_stops);
    for (int c = 0; c < 3; c++)
        for (int v = 0; v < 256; v++) {
            float lin = sc_srgb_to_linear((float)v / 255.f) * gain[c] / luminance * exposure;
            tone->table[c][v] = (uint8_t)lroundf(255.f * sc_linear_to_srgb(lin));
        }
}

void sc_sky_tone_apply(const sc_sky_tone *tone, uint8_t *rgb, size_t pixels)
{
    if (!tone->on)
        return;
    for (size_t i = 0; i < pixels; i++)
        for (int c = 0; c < 3; c++)
            rgb[i * 3 + c] = tone->table[c][rgb[i * 3 + c]];
}
