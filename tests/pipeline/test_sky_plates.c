/*
 * Sky plates: pictures that are all sky (tests/data/skies, crops of Debian
 * wallpapers made by docs/examples/make_examples.py skies) are what most users
 * pass as --sky. The default model must call at least 95 % of each one's
 * pixels sky (alpha >= 0.5); otherwise only a strip of the sky photo is used
 * and its colours never reach the result.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pipeline/default_model.h"
#include "skychange.h"

#define SKIES SC_TEST_DATA "/skies/"
#define MIN_SKY_SHARE 0.95
#define MAX_PLATES 32

static char names[MAX_PLATES][128];

static void plate_is_sky(void **state)
{
    const char *name = *state;
    char path[512];
    int n = snprintf(path, sizeof path, "%s%s", SKIES, name);
    assert_true(n > 0 && (size_t)n < sizeof path);

    sc_image img;
    sc_matte matte;
    sc_error err = {0};
    sc_options opt = sc_options_default();
    if (sc_image_read(path, &img, &err) != SC_OK)
        fail_msg("%s", err.msg);
    if (sc_matte_compute(default_model, &img, &opt, &matte, &err) != SC_OK)
        fail_msg("%s: %s", path, err.msg);
    size_t pixels = (size_t)matte.width * (size_t)matte.height, sky = 0;
    for (size_t i = 0; i < pixels; i++)
        sky += matte.alpha[i] >= 0.5f;
    double share = (double)sky / (double)pixels;
    print_message("%-24s %6.2f %% sky\n", name, 100.0 * share);
    assert_true(share >= MIN_SKY_SHARE);
    sc_image_free(&img);
    sc_matte_free(&matte);
}

static int is_picture(const char *name)
{
    size_t len = strlen(name);
    return len > 4 && strcmp(name + len - 4, ".jpg") == 0;
}

static int by_name(const void *a, const void *b) { return strcmp(a, b); }

/* The plates' file names, sorted; fails the run if there are none. */
static int list_plates(void)
{
    DIR *dir = opendir(SKIES);
    if (!dir) {
        fprintf(stderr, "%s: cannot open the folder\n", SKIES);
        return 0;
    }
    int count = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL && count < MAX_PLATES) {
        if (is_picture(e->d_name) && strlen(e->d_name) < sizeof names[0])
            strcpy(names[count++], e->d_name);
    }
    closedir(dir);
    qsort(names, (size_t)count, sizeof names[0], by_name);
    return count;
}

int main(void)
{
    int count = list_plates();
    if (count == 0) {
        fprintf(stderr, "%s: no sky plates\n", SKIES);
        return 1;
    }
    struct CMUnitTest tests[MAX_PLATES];
    for (int i = 0; i < count; i++) {
        struct CMUnitTest t = cmocka_unit_test_prestate(plate_is_sky, names[i]);
        t.name = names[i];
        tests[i] = t;
    }
    return _cmocka_run_group_tests("sky_plates", tests, (size_t)count, load_default_model,
                                   free_default_model);
}
