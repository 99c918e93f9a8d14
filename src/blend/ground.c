/*
 * The default mode's last step: the ground keeps the scene's own light. The
 * multiband blend's coarsest bands average over most of the picture, so they
 * carry the new sky's colour into ground the matte never touches (a deep blue
 * lake under a warm sky turns mauve). Each pixel without sky weight keeps the
 * blend in proportion to how much sky surrounds it: the share of sky-weighted
 * pixels in a square around it, of half-side sc_ground_reach(). Below a
 * horizon that share falls off linearly with the distance, so the hand-over is
 * a smooth ramp over the reach (the blend's change there is made of coarse
 * bands only: no visible edge). Beyond the reach it is 0 and the scene's pixels
 * come back exactly. A share rather than a distance: a few stray sky pixels on
 * a road would otherwise pull a full-strength tinted halo around themselves.
 */
#include "blend/blend.h"
#include "core/error.h"

#include <stdlib.h>

int sc_ground_reach(int w, int h)
{
    int short_side = w < h ? w : h;
    int reach = (short_side * SC_GROUND_REACH_PERCENT + 50) / 100;
    return reach < 2 ? 2 : reach;
}

/* Blend weight of a ground pixel from the sky share around it. */
static float keep_weight(float share)
{
    float u = share / SC_GROUND_FULL_SKY_SHARE;
    return u >= 1.f ? 1.f : u * u * (3.f - 2.f * u);
}

typedef struct ground_pass {
    const uint8_t *scene, *sky_w8;
    uint8_t *out;
    int w;
} ground_pass;

static void keep_ground_row(void *ctx, int y, const float *share)
{
    const ground_pass *g = ctx;
    size_t row = (size_t)y * g->w;
    for (int x = 0; x < g->w; x++) {
        if (g->sky_w8[row + x])
            continue;
        uint8_t *o = g->out + (row + x) * 3;
        const uint8_t *s = g->scene + (row + x) * 3;
        if (share[x] == 0.f) {
            o[0] = s[0], o[1] = s[1], o[2] = s[2];
            continue;
        }
        float t = keep_weight(share[x]);
        for (int c = 0; c < 3; c++) {
            float v = (float)s[c] + ((float)o[c] - (float)s[c]) * t;
            o[c] = (uint8_t)(v + 0.5f);
        }
    }
}

sc_status sc_keep_ground(const uint8_t *scene, const uint8_t *sky_w8, int w, int h,
                         uint8_t *out, sc_error *err)
{
    sc_box_share shares;
    if (sc_box_share_init(&shares, sky_w8, w, h, sc_ground_reach(w, h)))
        return sc_fail(err, SC_ERR_NO_MEMORY, "blend: out of memory for a %dx%d picture", w, h);
    ground_pass pass = {scene, sky_w8, out, w};
    int failed = sc_box_share_each_row(&shares, keep_ground_row, &pass);
    sc_box_share_free(&shares);
    return failed ? sc_fail(err, SC_ERR_NO_MEMORY, "blend: out of memory") : SC_OK;
}
