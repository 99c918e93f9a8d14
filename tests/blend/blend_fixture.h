/* Scene/sky fixtures of tools/reference/make_blend_fixtures.py as library types. */
#ifndef SC_TESTS_BLEND_FIXTURE_H
#define SC_TESTS_BLEND_FIXTURE_H

#include "imgproc/fixture.h"
#include "skychange.h"

typedef struct blend_case {
    fixture scene, scene_alpha, sky, sky_alpha;
    sc_image scene_img, sky_img;
    sc_matte scene_matte, sky_matte;
} blend_case;

static inline sc_image fixture_image(const fixture *f)
{
    sc_image img = {.width = fixture_w(f), .height = fixture_h(f), .rgb = f->data};
    return img;
}

static inline sc_matte fixture_matte(const fixture *f)
{
    sc_matte m = {fixture_w(f), fixture_h(f), f->data};
    return m;
}

static inline blend_case blend_case_load(const char *name)
{
    char n[128];
    blend_case c;
    snprintf(n, sizeof n, "%s_scene", name);
    c.scene = fixture_load(n);
    snprintf(n, sizeof n, "%s_scene_alpha", name);
    c.scene_alpha = fixture_load(n);
    snprintf(n, sizeof n, "%s_sky", name);
    c.sky = fixture_load(n);
    snprintf(n, sizeof n, "%s_sky_alpha", name);
    c.sky_alpha = fixture_load(n);
    c.scene_img = fixture_image(&c.scene);
    c.sky_img = fixture_image(&c.sky);
    c.scene_matte = fixture_matte(&c.scene_alpha);
    c.sky_matte = fixture_matte(&c.sky_alpha);
    return c;
}

static inline void blend_case_free(blend_case *c)
{
    fixture_free(&c->scene);
    fixture_free(&c->scene_alpha);
    fixture_free(&c->sky);
    fixture_free(&c->sky_alpha);
}

#endif
