/*
 * The default mode keeps the scene's own light on the ground: on the example
 * photos with their hand-made mattes (tests/data/photos), the bottom 15 % of
 * the result, where the matte is 0, stays within 2 levels of the scene on
 * average. The original's blend (--compat) is printed alongside: its coarsest
 * pyramid bands carry the new sky's colour over the whole picture.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "skychange.h"

#define PHOTOS SC_TEST_DATA "/photos/"
#define BOTTOM_SHARE 0.15
#define MAX_MEAN_CHANGE 2.0

static const char *const pairs[][2] = {
    {"aitzgorri", "picos"},
    {"sunset", "infinite_sea"},
    {"picos", "sunset"},
    {"infinite_sea", "aitzgorri"},
};

static void read_pair(const char *name, sc_image *img, sc_matte *matte)
{
    char path[512];
    sc_error err = {0};
    snprintf(path, sizeof path, PHOTOS "%s.jpg", name);
    if (sc_image_read(path, img, &err) != SC_OK)
        fail_msg("%s", err.msg);
    snprintf(path, sizeof path, PHOTOS "%s_matte.png", name);
    if (sc_matte_read(path, matte, &err) != SC_OK)
        fail_msg("%s", err.msg);
}

/* Mean |result - scene| over the bottom rows, all channels. */
static double bottom_change(const sc_image *scene, const sc_image *out, int first_row)
{
    size_t from = (size_t)first_row * scene->width * 3;
    size_t n = (size_t)scene->width * scene->height * 3;
    double sum = 0;
    for (size_t i = from; i < n; i++)
        sum += abs((int)out->rgb[i] - (int)scene->rgb[i]);
    return sum / (double)(n - from);
}

static void ground_keeps_its_colour(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof pairs / sizeof *pairs; k++) {
        sc_image scene, sky, out, orig;
        sc_matte scene_matte, sky_matte;
        read_pair(pairs[k][0], &scene, &scene_matte);
        read_pair(pairs[k][1], &sky, &sky_matte);
        int first_row = (int)((1.0 - BOTTOM_SHARE) * scene.height);
        double matte_sum = 0;
        for (size_t i = (size_t)first_row * scene.width; i < (size_t)scene.width * scene.height;
             i++)
            matte_sum += scene_matte.alpha[i];
        assert_true(matte_sum == 0.0); /* the premise: no sky in the bottom rows */
        sc_options opt = sc_options_default();
        sc_error err = {0};
        if (sc_replace_sky(&scene, &scene_matte, &sky, &sky_matte, &opt, &out, &err) != SC_OK)
            fail_msg("%s: %s", pairs[k][0], err.msg);
        opt.compat = 1;
        if (sc_replace_sky(&scene, &scene_matte, &sky, &sky_matte, &opt, &orig, &err) != SC_OK)
            fail_msg("%s: %s", pairs[k][0], err.msg);
        double change = bottom_change(&scene, &out, first_row);
        print_message("%s + %s: bottom 15 %% mean change %.3f levels (compat %.3f)\n",
                      pairs[k][0], pairs[k][1], change, bottom_change(&scene, &orig, first_row));
        assert_true(change <= MAX_MEAN_CHANGE);
        sc_image_free(&scene);
        sc_image_free(&sky);
        sc_image_free(&out);
        sc_image_free(&orig);
        sc_matte_free(&scene_matte);
        sc_matte_free(&sky_matte);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(ground_keeps_its_colour)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
