/*
 * sc_sky_matte_compute: the sky photo's matte at the patch search's size
 * without compat, at the photo's size with it, and the same patch as the full
 * matte on the project's example photos (bench/bench_sky_matte measures it on
 * more: docs/blending.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "blend/blend.h"
#include "imgproc/imgproc.h"
#include "pipeline/default_model.h"
#include "skychange.h"

static const char *const PHOTOS[] = {"infinite_sea", "sunset"};

static void reduced_matte_gives_the_full_mattes_patch(void **state)
{
    (void)state;
    for (size_t p = 0; p < sizeof PHOTOS / sizeof *PHOTOS; p++) {
        char path[512];
        snprintf(path, sizeof path, "%s/photos/%s.jpg", SC_TEST_DATA, PHOTOS[p]);
        sc_image img;
        sc_error err = {0};
        assert_int_equal(sc_image_read(path, &img, &err), SC_OK);
        sc_options opt = sc_options_default();
        opt.threads = 2;
        sc_matte full, small, compat;
        assert_int_equal(sc_matte_compute(default_model, &img, &opt, &full, &err), SC_OK);
        assert_int_equal(sc_sky_matte_compute(default_model, &img, &opt, &small, &err), SC_OK);
        int rw, rh;
        double scale;
        sc_sky_search_size(img.width, img.height, &rw, &rh, &scale);
        assert_int_equal(small.width, rw);
        assert_int_equal(small.height, rh);
        sc_sky_patch want, got;
        assert_int_equal(sc_find_sky_patch(&full, 0, 0, &want, &err), SC_OK);
        assert_int_equal(sc_find_sky_patch_reduced(&small, img.width, img.height, 0, &got, &err),
                         SC_OK);
        if (memcmp(&want, &got, sizeof want) != 0)
            fail_msg("%s: patch %d,%d-%d,%d from the full matte, %d,%d-%d,%d from the reduced",
                     PHOTOS[p], want.x0, want.y0, want.x1, want.y1, got.x0, got.y0, got.x1,
                     got.y1);
        opt.compat = 1;
        assert_int_equal(sc_sky_matte_compute(default_model, &img, &opt, &compat, &err), SC_OK);
        assert_int_equal(compat.width, img.width);
        assert_int_equal(compat.height, img.height);
        assert_memory_equal(compat.alpha, full.alpha,
                            (size_t)img.width * img.height * sizeof(float));
        sc_matte_free(&full);
        sc_matte_free(&small);
        sc_matte_free(&compat);
        sc_image_free(&img);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reduced_matte_gives_the_full_mattes_patch),
    };
    return cmocka_run_group_tests(tests, load_default_model, free_default_model);
}
