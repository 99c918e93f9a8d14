/*
 * §4.4.3-4.4.4: one pass over the scene computes the feathered weights (kept
 * as the uint8 masks the blender is fed) and pastes the placed patch into the
 * scene's sky box with the sky weight as alpha.
 */
#include "blend/blend.h"
#include "core/error.h"

#include <stdlib.h>
#include <string.h>

static uint8_t paste_value(float a, uint8_t scene, uint8_t patch)
{
    float v = (1.f - a) * (float)scene + a * (float)patch;
    v = v < 0.f ? 0.f : (v > 255.f ? 255.f : v);
    return (uint8_t)v;
}

/* numpy's astype(uint8) of the weights: truncation (the values lie in (-1, 256)). */
static uint8_t weight_u8(float v)
{
    return v <= 0.f ? 0 : (v >= 255.f ? 255 : (uint8_t)v);
}

sc_status sc_composite(const sc_image *scene, const sc_matte *scene_matte, sc_rect box,
                       const uint8_t *placed, uint8_t *sky_w8, uint8_t *scn_w8, uint8_t *pano,
                       sc_error *err)
{
    int w = scene->width, h = scene->height;
    sc_feather *f = sc_feather_new(scene_matte);
    if (!f)
        return sc_fail(err, SC_ERR_NO_MEMORY, "scene matte: out of memory (%dx%d)", w, h);
    int failed = 0;
#pragma omp parallel
    {
        float *sky = malloc(sizeof *sky * (size_t)w * 2);
        if (!sky) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(dynamic, 4)
        for (int y = 0; y < h; y++) {
            if (!sky)
                continue;
            float *scn = sky + w;
            if (sc_feather_row(f, y, sky, scn)) {
#pragma omp atomic write
                failed = 1;
                continue;
            }
            size_t row = (size_t)y * w;
            for (int x = 0; x < w; x++) {
                sky_w8[row + x] = weight_u8(sky[x]);
                scn_w8[row + x] = weight_u8(scn[x]);
            }
            memcpy(pano + row * 3, scene->rgb + row * 3, (size_t)w * 3);
            if (y < box.y || y >= box.y + box.h)
                continue;
            const uint8_t *p = placed + (size_t)(y - box.y) * box.w * 3;
            for (int x = box.x; x < box.x + box.w; x++) {
                float a = sky[x] / 255.f;
                for (int c = 0; c < 3; c++) {
                    size_t i = (row + x) * 3 + c;
                    pano[i] = paste_value(a, scene->rgb[i], p[(x - box.x) * 3 + c]);
                }
            }
        }
        free(sky);
    }
    sc_feather_free(f);
    if (failed)
        return sc_fail(err, SC_ERR_NO_MEMORY, "scene matte: out of memory");
    return SC_OK;
}
