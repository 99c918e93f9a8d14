/*
 * §4.4.3-4.4.4: one pass over the scene computes the feathered weights (kept
 * as the uint8 masks the blender is fed) and pastes the placed patch into the
 * scene's sky box with the sky weight as alpha.
 */
#include "blend/blend.h"
#include "core/error.h"
#include "core/parallel.h"

#include <stdlib.h>
#include <string.h>

/* The original truncates the pasted value; (1 - a) * s + a * s can land just
 * below s in float, so a patch equal to the scene would come out darker. The
 * exact numerics round to nearest instead (adding 2^23 to 0 <= v <= 255 leaves
 * no fraction bits); the float errors of the mix are far below half a level. */
static uint8_t paste_value(float a, uint8_t scene, uint8_t patch, sc_blend_numerics num)
{
    float v = (1.f - a) * (float)scene + a * (float)patch;
    v = v < 0.f ? 0.f : (v > 255.f ? 255.f : v);
    if (num == SC_NUMERICS_EXACT)
        v = (v + 8388608.f) - 8388608.f;
    return (uint8_t)v;
}

sc_status sc_composite(const sc_image *scene, const sc_matte *scene_matte, sc_rect box,
                       const uint8_t *placed, sc_blend_numerics num, uint8_t *sky_w8,
                       uint8_t *scn_w8, uint8_t *pano, sc_error *err)
{
    int w = scene->width, h = scene->height;
    sc_feather *f = sc_feather_new(scene_matte);
    if (!f)
        return sc_fail(err, SC_ERR_NO_MEMORY, "scene matte: out of memory (%dx%d)", w, h);
    int failed = 0;
#pragma omp parallel num_threads(sc_get_threads()) if ((size_t)w * h > SC_PARALLEL_MIN_PIXELS)
    {
        float *sky = malloc(sizeof *sky * (size_t)w);
        if (!sky) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(dynamic, 4)
        for (int y = 0; y < h; y++) {
            if (!sky)
                continue;
            size_t row = (size_t)y * w;
            /* the float sky weight matters only where the patch is pasted */
            int in_box = y >= box.y && y < box.y + box.h;
            if (sc_feather_row_u8(f, y, in_box ? box.x : 0, in_box ? box.x + box.w : 0, sky,
                                  sky_w8 + row, scn_w8 + row)) {
#pragma omp atomic write
                failed = 1;
                continue;
            }
            memcpy(pano + row * 3, scene->rgb + row * 3, (size_t)w * 3);
            if (!in_box)
                continue;
            const uint8_t *p = placed + (size_t)(y - box.y) * box.w * 3;
            for (int x = box.x; x < box.x + box.w; x++) {
                float a = sky[x] / 255.f;
                for (int c = 0; c < 3; c++) {
                    size_t i = (row + x) * 3 + c;
                    pano[i] = paste_value(a, scene->rgb[i], p[(x - box.x) * 3 + c], num);
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
