/*
 * Golden images: the default model on the project's own example photos must
 * give the committed mattes and results. Any change to the engine, the model
 * or the blender that changes what users get shows up here.
 *
 * Tolerance: on the machine that made the goldens the output is bit-identical.
 * Elsewhere the GEMM kernel may differ (AVX-512, AVX2 or OpenBLAS, chosen at
 * run time), which moves network outputs by float rounding (~1e-6); that can
 * flip an 8-bit matte value by one level, and, rarely, a weight truncation in
 * the blender, and a near-tie of the coarse labels can move a few matte
 * values further. So: at most 0.5 % of matte values may differ at all and at
 * most 0.05 % by more than 2 levels; at most 0.5 % of result values may differ
 * by more than 8 levels, with a mean difference below 0.05.
 *
 * `test_golden --regenerate` rewrites the goldens (then review the pictures).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pipeline/default_model.h"
#include "skychange.h"

#define PHOTOS SC_TEST_DATA "/photos/"
#define GOLDEN SC_TEST_DATA "/golden/"

typedef struct golden_pair {
    const char *scene, *sky;
} golden_pair;

static const golden_pair pairs[] = {
    {"aitzgorri", "picos"},
    {"sunset", "infinite_sea"},
    {"picos", "sunset"},
    {"summer_1am", "infinite_sea"}, /* dusk scene, night sky */
};

static int regenerate;

typedef struct diff_stats {
    int max;
    double mean, over_fraction;
} diff_stats;

/* Differences between two byte arrays; `over` counts those above `limit`. */
static diff_stats compare_bytes(const uint8_t *a, const uint8_t *b, size_t n, int limit)
{
    diff_stats s = {0, 0.0, 0.0};
    size_t over = 0;
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        int d = abs((int)a[i] - (int)b[i]);
        sum += d;
        if (d > s.max)
            s.max = d;
        if (d > limit)
            over++;
    }
    s.mean = n ? sum / (double)n : 0.0;
    s.over_fraction = n ? (double)over / (double)n : 0.0;
    return s;
}

static void path_of(char *buf, size_t size, const char *dir, const char *name, const char *suffix)
{
    int n = snprintf(buf, size, "%s%s%s", dir, name, suffix);
    assert_true(n > 0 && (size_t)n < size);
}

static void read_picture(const char *path, sc_image *img)
{
    sc_error err = {0};
    if (sc_image_read(path, img, &err) != SC_OK)
        fail_msg("%s", err.msg);
}

static void matte_of(const char *name, sc_image *img, sc_matte *matte)
{
    char path[512];
    sc_error err = {0};
    sc_options opt = sc_options_default();
    path_of(path, sizeof path, PHOTOS, name, ".jpg");
    read_picture(path, img);
    if (sc_matte_compute(default_model, img, &opt, matte, &err) != SC_OK)
        fail_msg("%s: %s", path, err.msg);

    path_of(path, sizeof path, GOLDEN, name, "_alpha.png");
    if (regenerate) {
        assert_int_equal(sc_matte_write(path, matte, &err), SC_OK);
        return;
    }
    sc_matte golden;
    if (sc_matte_read(path, &golden, &err) != SC_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(golden.width, matte->width);
    assert_int_equal(golden.height, matte->height);
    size_t n = (size_t)matte->width * (size_t)matte->height;
    uint8_t *ours = malloc(n), *theirs = malloc(n);
    assert_non_null(ours);
    assert_non_null(theirs);
    for (size_t i = 0; i < n; i++) {
        /* the same rounding sc_matte_write uses for 8-bit mattes */
        ours[i] = (uint8_t)lrintf(fminf(fmaxf(matte->alpha[i], 0.0f), 1.0f) * 255.0f);
        theirs[i] = (uint8_t)lrintf(golden.alpha[i] * 255.0f);
    }
    diff_stats s = compare_bytes(ours, theirs, n, 0);
    diff_stats big = compare_bytes(ours, theirs, n, 2);
    print_message("%-10s matte: max diff %d, %.4f %% differ, mean %.5f\n", name, s.max,
                  100.0 * s.over_fraction, s.mean);
    assert_true(s.over_fraction <= 0.005);
    assert_true(big.over_fraction <= 0.0005);
    free(ours);
    free(theirs);
    sc_matte_free(&golden);
}

static void golden_pair_matches(void **state)
{
    const golden_pair *p = *state;
    sc_image scene, sky, out = {0};
    sc_matte scene_matte, sky_matte;
    sc_error err = {0};
    matte_of(p->scene, &scene, &scene_matte);
    matte_of(p->sky, &sky, &sky_matte);
    sc_options opt = sc_options_default();
    if (sc_replace_sky(&scene, &scene_matte, &sky, &sky_matte, &opt, &out, &err) != SC_OK)
        fail_msg("%s + %s: %s", p->scene, p->sky, err.msg);

    char path[512], name[128];
    snprintf(name, sizeof name, "%s+%s", p->scene, p->sky);
    path_of(path, sizeof path, GOLDEN, name, ".png");
    if (regenerate) {
        assert_int_equal(sc_image_write(path, &out, 0, &err), SC_OK);
    } else {
        sc_image golden;
        read_picture(path, &golden);
        assert_int_equal(golden.width, out.width);
        assert_int_equal(golden.height, out.height);
        size_t n = (size_t)out.width * (size_t)out.height * 3;
        diff_stats s = compare_bytes(out.rgb, golden.rgb, n, 0);
        diff_stats big = compare_bytes(out.rgb, golden.rgb, n, 8);
        print_message("%-24s result: max diff %d, %.4f %% differ, mean %.5f\n", name, s.max,
                      100.0 * s.over_fraction, s.mean);
        assert_true(big.over_fraction <= 0.005);
        assert_true(s.mean < 0.05);
        sc_image_free(&golden);
    }
    sc_image_free(&scene);
    sc_image_free(&sky);
    sc_image_free(&out);
    sc_matte_free(&scene_matte);
    sc_matte_free(&sky_matte);
}

int main(int argc, char **argv)
{
    regenerate = argc > 1 && strcmp(argv[1], "--regenerate") == 0;
    struct CMUnitTest tests[sizeof pairs / sizeof pairs[0]];
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        struct CMUnitTest t = cmocka_unit_test_prestate(golden_pair_matches, (void *)&pairs[i]);
        t.name = pairs[i].scene;
        tests[i] = t;
    }
    return cmocka_run_group_tests(tests, load_default_model, free_default_model);
}
