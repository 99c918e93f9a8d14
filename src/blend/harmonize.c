/*
 * --harmonize: the scene's ground relit towards the new sky, before the blend.
 *
 * Estimated in Lab from the old sky (scene pixels with alpha >= 0.9) against
 * the new one (the placed patch where the scene's alpha >= 0.5):
 *   lightness  the ground moves by half the skies' difference, at most 15 L;
 *   colour     a* and b* move by half the skies' difference, at most 8 each,
 *              less in highlights (L 85..100: snow, white walls and lit skin
 *              keep their colour);
 *   contrast   around the ground's mean L, x (1 + 0.4 dL / 100), 0.75..1.2: a
 *              darker sky flattens the light, a brighter one hardens it;
 * each scaled by the strength S. As a function of a pixel's colour alone, this
 * is tabulated once on a 33^3 grid and read by trilinear interpolation. It is
 * applied with weight (1 - alpha), so sky pixels are untouched and the edge
 * stays seamless. Then the horizon glow: ground near the sky (by the share of
 * sky within 4 % of the short side) takes up to 0.35 S of the new sky's colour
 * near its horizon (the lowest quarter of the visible patch), the haze that
 * ties a distant landscape to its sky.
 */
#include "blend/blend.h"
#include "blend/colour.h"
#include "core/error.h"
#include "core/page_hints.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GRID 33
#define GLOW_REACH_PERCENT 4
#define GLOW_STRENGTH 0.35f

typedef struct lab_mean {
    double l, a, b, n;
} lab_mean;

static void add_lab(lab_mean *m, const uint8_t *px)
{
    float rgb[3] = {px[0], px[1], px[2]}, lab[3];
    sc_rgb_to_lab(rgb, lab);
    m->l += lab[0], m->a += lab[1], m->b += lab[2], m->n += 1;
}

static float clampf(float v, float lo, float hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

static float smoothstep(float lo, float hi, float v)
{
    float u = clampf((v - lo) / (hi - lo), 0.f, 1.f);
    return u * u * (3.f - 2.f * u);
}

typedef struct relight {
    float dl, da, db, contrast, ground_l;
} relight;

static void relight_colour(const relight *r, const float rgb[3], float out[3])
{
    float lab[3];
    sc_rgb_to_lab(rgb, lab);
    float keep_colour = 1.f - smoothstep(85.f, 100.f, lab[0]);
    lab[0] = clampf(r->ground_l + (lab[0] - r->ground_l) * r->contrast + r->dl, 0.f, 100.f);
    lab[1] += r->da * keep_colour;
    lab[2] += r->db * keep_colour;
    sc_lab_to_rgb(lab, out);
}

/* out = table(rgb), trilinear on the GRID^3 table of 0..255 floats. */
static void look_up(const float *table, const uint8_t *px, float out[3])
{
    float f[3];
    int i[3];
    for (int c = 0; c < 3; c++) {
        float p = (float)px[c] * (GRID - 1) / 255.f;
        i[c] = (int)p;
        if (i[c] > GRID - 2)
            i[c] = GRID - 2;
        f[c] = p - (float)i[c];
    }
    for (int c = 0; c < 3; c++)
        out[c] = 0.f;
    for (int corner = 0; corner < 8; corner++) {
        int dr = corner & 1, dg = (corner >> 1) & 1, db = corner >> 2;
        float wgt = (dr ? f[0] : 1.f - f[0]) * (dg ? f[1] : 1.f - f[1]) *
                    (db ? f[2] : 1.f - f[2]);
        const float *t = table + (((size_t)(i[0] + dr) * GRID + (i[1] + dg)) * GRID +
                                  (i[2] + db)) * 3;
        out[0] += wgt * t[0], out[1] += wgt * t[1], out[2] += wgt * t[2];
    }
}

/* The old and new skies' mean Lab, the ground's mean L and the new sky's
 * colour near its horizon, from every step-th pixel. */
static void measure(const sc_image *scene, const sc_matte *m, const uint8_t *placed,
                    sc_rect box, relight *r, float strength, float horizon[3])
{
    int w = scene->width, h = scene->height, short_side = w < h ? w : h;
    int step = short_side / 256 > 1 ? short_side / 256 : 1;
    lab_mean old_sky = {0}, new_sky = {0}, ground = {0};
    double low[3] = {0}, all[3] = {0}, n_low = 0, n_all = 0;
    int low_from = box.y + box.h - box.h / 4;
    for (int y = 0; y < h; y += step)
        for (int x = 0; x < w; x += step) {
            size_t i = (size_t)y * w + x;
            float a = m->alpha[i];
            if (a >= 0.9f)
                add_lab(&old_sky, scene->rgb + i * 3);
            if (a <= 0.1f)
                add_lab(&ground, scene->rgb + i * 3);
            if (a >= 0.5f && x >= box.x && x < box.x + box.w && y >= box.y &&
                y < box.y + box.h) {
                const uint8_t *p = placed + ((size_t)(y - box.y) * box.w + (x - box.x)) * 3;
                add_lab(&new_sky, p);
                for (int c = 0; c < 3; c++) {
                    all[c] += p[c];
                    if (y >= low_from)
                        low[c] += p[c];
                }
                n_all += 1;
                n_low += y >= low_from;
            }
        }
    *r = (relight){0.f, 0.f, 0.f, 1.f, 50.f};
    if (ground.n > 0)
        r->ground_l = (float)(ground.l / ground.n);
    for (int c = 0; c < 3; c++)
        horizon[c] = n_low > 0 ? (float)(low[c] / n_low) : (n_all > 0 ? (float)(all[c] / n_all) : 0.f);
    if (old_sky.n == 0 || new_sky.n == 0)
        return;
    float dl = (float)(new_sky.l / new_sky.n - old_sky.l / old_sky.n);
    float da = (float)(new_sky.a / new_sky.n - old_sky.a / old_sky.n);
    float db = (float)(new_sky.b / new_sky.n - old_sky.b / old_sky.n);
    r->dl = strength * clampf(0.5f * dl, -15.f, 15.f);
    r->da = strength * clampf(0.5f * da, -8.f, 8.f);
    r->db = strength * clampf(0.5f * db, -8.f, 8.f);
    r->contrast = clampf(1.f + strength * 0.4f * dl / 100.f, 0.75f, 1.2f);
}

typedef struct relight_pass {
    const sc_image *scene;
    const sc_matte *m;
    uint8_t *out;
    const float *table, *horizon;
    float strength;
} relight_pass;

/* One row: the tabulated relight with weight (1 - alpha), then the horizon glow. */
static void relight_row(void *ctx, int y, const float *share)
{
    const relight_pass *p = ctx;
    int w = p->scene->width;
    for (int x = 0; x < w; x++) {
        size_t i = (size_t)y * w + x;
        const uint8_t *s = p->scene->rgb + i * 3;
        uint8_t *o = p->out + i * 3;
        float ground = 1.f - clampf(p->m->alpha[i], 0.f, 1.f);
        if (ground == 0.f) {
            memcpy(o, s, 3);
            continue;
        }
        float lit[3];
        look_up(p->table, s, lit);
        float glow = GLOW_STRENGTH * p->strength * share[x] * ground;
        for (int c = 0; c < 3; c++) {
            float v = (float)s[c] + ground * (lit[c] - (float)s[c]);
            v += glow * (p->horizon[c] - v);
            o[c] = (uint8_t)clampf(v + 0.5f, 0.f, 255.f);
        }
    }
}

sc_status sc_harmonize(const sc_image *scene, const sc_matte *m, const uint8_t *placed,
                       sc_rect box, float strength, uint8_t *out, sc_error *err)
{
    int w = scene->width, h = scene->height;
    size_t n = (size_t)w * h;
    relight r;
    float horizon[3];
    measure(scene, m, placed, box, &r, strength, horizon);
    float *table = malloc(sizeof *table * GRID * GRID * GRID * 3);
    uint8_t *sky = SC_MALLOC_LARGE(n);
    if (!table || !sky) {
        free(table);
        free(sky);
        return sc_fail(err, SC_ERR_NO_MEMORY, "harmonize: out of memory (%dx%d)", w, h);
    }
    for (int i = 0; i < GRID; i++)
        for (int j = 0; j < GRID; j++)
            for (int k = 0; k < GRID; k++) {
                float rgb[3] = {255.f * i / (GRID - 1), 255.f * j / (GRID - 1),
                                255.f * k / (GRID - 1)};
                relight_colour(&r, rgb, table + (((size_t)i * GRID + j) * GRID + k) * 3);
            }
    for (size_t i = 0; i < n; i++)
        sky[i] = m->alpha[i] >= 0.5f;
    int short_side = w < h ? w : h;
    int reach = (short_side * GLOW_REACH_PERCENT + 50) / 100;
    sc_box_share shares;
    if (sc_box_share_init(&shares, sky, w, h, reach < 1 ? 1 : reach)) {
        free(table);
        free(sky);
        return sc_fail(err, SC_ERR_NO_MEMORY, "harmonize: out of memory (%dx%d)", w, h);
    }
    free(sky);
    relight_pass pass = {scene, m, out, table, horizon, strength};
    int failed = sc_box_share_each_row(&shares, relight_row, &pass);
    sc_box_share_free(&shares);
    free(table);
    return failed ? sc_fail(err, SC_ERR_NO_MEMORY, "harmonize: out of memory") : SC_OK;
}
