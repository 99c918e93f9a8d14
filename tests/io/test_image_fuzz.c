/*
 * Damaged pictures: single-byte changes all over small PNG, JPEG, BMP and TGA
 * files must give a picture or a clean error (the sanitizer build turns any
 * out-of-bounds access into a failure).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <stb_image_write.h>

#include "io/helper_io.h"
#include "skychange.h"

static void damage_everywhere(const io_mem_sink *file, const char *name)
{
    uint8_t *copy = malloc(file->size);
    assert_non_null(copy);
    static const uint8_t xors[] = {0x01, 0x08, 0x40, 0x80, 0xff};
    int decoded = 0, refused = 0;
    for (size_t at = 0; at < file->size; at++) {
        for (size_t k = 0; k < sizeof xors; k++) {
            memcpy(copy, file->data, file->size);
            copy[at] ^= xors[k];
            sc_image img;
            sc_error err = {0};
            sc_status s = sc_image_read_memory(copy, file->size, name, &img, &err);
            if (s == SC_OK) {
                assert_true(img.width > 0 && img.height > 0);
                /* Touch every byte so a short buffer would show. */
                unsigned sum = 0;
                for (size_t i = 0; i < (size_t)img.width * (size_t)img.height * 3; i++)
                    sum += img.rgb[i];
                (void)sum;
                sc_image_free(&img);
                decoded++;
            } else {
                assert_true(s == SC_ERR_IMAGE || s == SC_ERR_NO_MEMORY);
                IO_ASSERT_CONTAINS(err.msg, name);
                refused++;
            }
        }
    }
    assert_true(decoded + refused > 0);
    free(copy);
}

static void test_damaged_pictures(void **state)
{
    (void)state;
    enum { W = 13, H = 9 };
    uint8_t rgb[W * H * 3];
    for (size_t i = 0; i < sizeof rgb; i++)
        rgb[i] = (uint8_t)(i * 7 + (i / 39) * 13);
    io_mem_sink png = {0}, jpg = {0}, bmp = {0}, tga = {0};
    assert_true(stbi_write_png_to_func(io_mem_sink_append, &png, W, H, 3, rgb, W * 3));
    assert_true(stbi_write_jpg_to_func(io_mem_sink_append, &jpg, W, H, 3, rgb, 80));
    assert_true(stbi_write_bmp_to_func(io_mem_sink_append, &bmp, W, H, 3, rgb));
    assert_true(stbi_write_tga_to_func(io_mem_sink_append, &tga, W, H, 3, rgb));
    damage_everywhere(&png, "d.png");
    damage_everywhere(&jpg, "d.jpg");
    damage_everywhere(&bmp, "d.bmp");
    damage_everywhere(&tga, "d.tga");
    free(png.data);
    free(jpg.data);
    free(bmp.data);
    free(tga.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_damaged_pictures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
