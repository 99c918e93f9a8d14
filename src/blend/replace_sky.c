/* sc_replace_sky: checks, then the blend of spec §4.4 stage by stage. */
#include "blend/blend.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/page_hints.h"
#include "core/parallel.h"
#include "core/reproducible.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* boundingRect of (alpha * 255 > 1), the original's scene sky box: each row
 * scanned from both ends, the rows split among the workers. */
static int scene_sky_box(const sc_matte *m, sc_rect *box)
{
    const int w = m->width, h = m->height;
    int x0 = w, y0 = h, x1 = -1, y1 = -1;
#pragma omp parallel for num_threads(sc_get_threads()) if ((long)w * h >= SC_PARALLEL_MIN_VALUES) schedule(static) reduction(min : x0, y0) reduction(max : x1, y1)
    for (int y = 0; y < h; y++) {
        const float *r = m->alpha + (size_t)y * w;
        int first = 0, last = w - 1;
        while (first < w && !(r[first] * 255.0f > SC_SCENE_SKY_THRESHOLD))
            first++;
        if (first == w)
            continue;
        while (!(r[last] * 255.0f > SC_SCENE_SKY_THRESHOLD))
            last--;
        x0 = first < x0 ? first : x0;
        x1 = last > x1 ? last : x1;
        y0 = y < y0 ? y : y0;
        y1 = y > y1 ? y : y1;
    }
    if (x1 < 0)
        return 0;
    *box = (sc_rect){x0, y0, x1 - x0 + 1, y1 - y0 + 1};
    return 1;
}

/* The scene matte the blend uses: the caller's, or its edge-edited copy. */
static sc_status scene_matte_for(const sc_matte *given, const sc_options *look, sc_matte *edited,
                                 const sc_matte **use, sc_error *err)
{
    *use = given;
    edited->alpha = NULL;
    if (!look || (look->edge_shift == 0.f && look->edge_fade == 0.f))
        return SC_OK;
    sc_status st = sc_matte_edit(given, look->edge_shift, look->edge_fade, edited, err);
    if (st == SC_OK)
        *use = edited;
    return st;
}

/* The patch: the clear rectangle of the sky matte, or the whole photo. */
static sc_status sky_patch_for(const sc_image *sky, const sc_matte *sky_matte, int compat_patch,
                               const sc_options *look, sc_sky_patch *patch, sc_error *err)
{
    if (look && look->sky_plate) {
        *patch = (sc_sky_patch){{0, 0, sky->width, sky->height}, (long)sky->width * sky->height,
                                0, 0, sky->width, sky->height};
        return SC_OK;
    }
    return sc_find_sky_patch(sky_matte, compat_patch, look && look->flip_sky, patch, err);
}

sc_status sc_blend_run(const sc_image *scene, const sc_matte *scene_matte, const sc_image *sky,
                       const sc_matte *sky_matte, int compat_patch, sc_blend_numerics num,
                       int keep_ground, const sc_options *look, int16_t *out_s16,
                       uint8_t *out_u8, sc_error *err)
{
    sc_sky_patch patch;
    sc_status st = sky_patch_for(sky, sky_matte, compat_patch, look, &patch, err);
    if (st != SC_OK)
        return st;
    sc_matte edited;
    const sc_matte *matte;
    st = scene_matte_for(scene_matte, look, &edited, &matte, err);
    if (st != SC_OK)
        return st;
    sc_rect box;
    if (!scene_sky_box(matte, &box)) {
        free(edited.alpha);
        return sc_fail(err, SC_ERR_SCENE_NO_SKY, "scene has no sky to replace (no sky in its matte)");
    }
    if ((long)box.w * box.h < SC_MIN_VALID_SKY_AREA) {
        free(edited.alpha);
        return sc_fail(err, SC_ERR_SCENE_NO_SKY,
                       "scene has no sky to replace (sky box %dx%d is under %d px)", box.w,
                       box.h, SC_MIN_VALID_SKY_AREA);
    }
    int w = scene->width, h = scene->height;
    size_t n = (size_t)w * h;
    int harmonize = look && look->harmonize > 0.f;
    uint8_t *placed = SC_MALLOC_LARGE((size_t)box.w * box.h * 3);
    uint8_t *weights = SC_MALLOC_LARGE(n * 2), *pano = SC_MALLOC_LARGE(n * 3);
    uint8_t *relit = harmonize ? SC_MALLOC_LARGE(n * 3) : NULL;
    if (!placed || !weights || !pano || (harmonize && !relit)) {
        st = sc_fail(err, SC_ERR_NO_MEMORY, "blend: out of memory for a %dx%d picture", w, h);
        goto done;
    }
    uint8_t *sky_w8 = weights, *scn_w8 = weights + n;
    sc_patch_view view = {0, 1.f, 0.f, 0.f};
    if (look)
        view = (sc_patch_view){look->flip_sky, look->sky_scale, look->sky_offset_x,
                               look->sky_offset_y};
    st = sc_place_patch(sky, &patch, box, &view, placed, err);
    if (st == SC_OK && look) {
        sc_sky_tone tone;
        sc_sky_tone_init(&tone, look->sky_brightness, look->sky_temperature);
        sc_sky_tone_apply(&tone, placed, (size_t)box.w * box.h);
    }
    sc_image ground = *scene;
    if (st == SC_OK && harmonize) {
        st = sc_harmonize(scene, matte, placed, box, look->harmonize, relit, err);
        ground.rgb = relit;
    }
    if (st == SC_OK)
        st = sc_composite(&ground, matte, box, placed, num, sky_w8, scn_w8, pano, err);
    free(placed);
    placed = NULL;
    if (st == SC_OK)
        st = sc_multiband(ground.rgb, scn_w8, pano, sky_w8, w, h, num, out_s16, out_u8, err);
    if (st == SC_OK && keep_ground)
        st = sc_keep_ground(ground.rgb, sky_w8, w, h, out_u8, err);
done:
    free(placed);
    free(weights);
    free(pano);
    free(relit);
    free(edited.alpha);
    return st;
}

static sc_status check_pair(const sc_image *img, const sc_matte *m, const char *what,
                            sc_error *err)
{
    if (!img || !m || !img->rgb || !m->alpha || img->width <= 0 || img->height <= 0)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: missing picture or matte", what);
    if (img->width != m->width || img->height != m->height)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: matte is %dx%d but the picture is %dx%d",
                       what, m->width, m->height, img->width, img->height);
    /* Without an early exit, so that the loop vectorises and splits. */
    const long n = (long)m->width * m->height;
    const float *alpha = m->alpha;
    int finite = 1;
#pragma omp parallel for num_threads(sc_get_threads()) if (n >= SC_PARALLEL_MIN_VALUES) schedule(static) reduction(& : finite)
    for (long i = 0; i < n; i++)
        finite &= isfinite(alpha[i]) != 0;
    if (!finite)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: matte has a non-finite value", what);
    return SC_OK;
}

sc_status sc_replace_sky(const sc_image *scene, const sc_matte *scene_matte, const sc_image *sky,
                         const sc_matte *sky_matte, const sc_options *opt, sc_image *out,
                         sc_error *err)
{
    double t0 = sc_now();
    if (!out)
        return sc_fail(err, SC_ERR_INVALID_ARG, "replace sky: no output picture");
    sc_options defaults = sc_options_default();
    if (!opt)
        opt = &defaults;
    sc_status st = sc_options_check(opt, err);
    if (st != SC_OK)
        return st;
    const int caller_threads = sc_set_threads(opt->threads);
    st = check_pair(scene, scene_matte, "scene", err);
    if (st == SC_OK && !(opt->sky_plate && !sky_matte))
        st = check_pair(sky, sky_matte, "sky photo", err);
    if (st == SC_OK && opt->sky_plate && (!sky || !sky->rgb || sky->width <= 0 || sky->height <= 0))
        st = sc_fail(err, SC_ERR_INVALID_ARG, "sky photo: missing picture");
    if (st != SC_OK) {
        sc_set_threads(caller_threads);
        return st;
    }
    size_t bytes = (size_t)scene->width * scene->height * 3;
    sc_image result = {.width = scene->width, .height = scene->height, .rgb = SC_MALLOC_LARGE(bytes)};
    if (!result.rgb) {
        sc_set_threads(caller_threads);
        return sc_fail(err, SC_ERR_NO_MEMORY, "replace sky: out of memory for %dx%d",
                       scene->width, scene->height);
    }
    int compat = opt->compat != 0;
    const int caller_mode = sc_set_reproducible(opt->reproducible);
    st = sc_blend_run(scene, scene_matte, sky, sky_matte, compat,
                      compat ? SC_NUMERICS_ORIGINAL : SC_NUMERICS_EXACT, !compat,
                      compat ? NULL : opt, NULL, result.rgb, err);
    sc_set_reproducible(caller_mode);
    sc_set_threads(caller_threads);
    if (st == SC_ERR_SCENE_NO_SKY)
        memcpy(result.rgb, scene->rgb, bytes);
    if (st == SC_OK || st == SC_ERR_SCENE_NO_SKY)
        *out = result;
    else
        free(result.rgb);
    sc_timings_add_since(&sc_timings_thread()->blend, t0);
    return st;
}
