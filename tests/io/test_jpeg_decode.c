/* JPEG pictures decode as the original decodes them: bit for bit against
 * Pillow's pixels (tests/data/jpeg, tools/reference/make_jpeg_fixtures.py),
 * and a truncated file is refused with its name and reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "skychange.h"

#define JPEGS SC_TEST_DATA "/jpeg/"

static const char *const CASES[] = {"colour_420",         "colour_422", "colour_444",
                                    "colour_progressive", "colour_low_quality", "grey",
                                    "rotated_exif_6"};

static void decodes_as_the_original(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        char jpeg_path[256], png_path[256];
        snprintf(jpeg_path, sizeof jpeg_path, JPEGS "%s.jpg", CASES[i]);
        snprintf(png_path, sizeof png_path, JPEGS "%s.png", CASES[i]);
        sc_image got, want;
        sc_error err;
        if (sc_image_read(jpeg_path, &got, &err) != SC_OK)
            fail_msg("%s", err.msg);
        if (sc_image_read(png_path, &want, &err) != SC_OK)
            fail_msg("%s", err.msg);
        if (got.width != want.width || got.height != want.height)
            fail_msg("%s: %dx%d, want %dx%d", CASES[i], got.width, got.height, want.width,
                     want.height);
        const size_t n = (size_t)got.width * (size_t)got.height * 3;
        size_t differ = 0;
        for (size_t k = 0; k < n; k++)
            differ += got.rgb[k] != want.rgb[k];
        if (differ)
            fail_msg("%s: %zu of %zu values differ from Pillow's", CASES[i], differ, n);
        sc_image_free(&got);
        sc_image_free(&want);
    }
}

static void truncated_jpeg_is_refused(void **state)
{
    (void)state;
    FILE *f = fopen(JPEGS "colour_420.jpg", "rb");
    assert_non_null(f);
    unsigned char bytes[1 << 16];
    const size_t size = fread(bytes, 1, sizeof bytes, f);
    fclose(f);
    assert_true(size > 200);
    sc_image img;
    sc_error err;
    assert_int_equal(sc_image_read_memory(bytes, size * 3 / 4, "cut.jpg", &img, &err),
                     SC_ERR_IMAGE);
    assert_non_null(strstr(err.msg, "cut.jpg"));
    assert_non_null(strstr(err.msg, "truncated JPEG"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decodes_as_the_original),
        cmocka_unit_test(truncated_jpeg_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
