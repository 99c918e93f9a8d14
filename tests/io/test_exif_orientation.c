/*
 * JPEG EXIF orientation. The expected layouts are those of PIL's
 * ImageOps.exif_transpose (the original tool's decoder), written out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <stb_image_write.h>

#include "io/exif_orientation.h"
#include "io/helper_io.h"
#include "skychange.h"

enum { W = 32, H = 16 };
static const uint8_t k_colours[4][3] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
enum { RED, GREEN, BLUE, WHITE };

/* Quadrants: top-left red, top-right green, bottom-left blue, bottom-right white. */
static io_mem_sink quadrant_jpeg(void)
{
    uint8_t rgb[W * H * 3];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int q = (y >= H / 2) * 2 + (x >= W / 2);
            memcpy(&rgb[(y * W + x) * 3], k_colours[q], 3);
        }
    io_mem_sink sink = {NULL, 0};
    assert_true(stbi_write_jpg_to_func(io_mem_sink_append, &sink, W, H, 3, rgb, 100));
    return sink;
}

/* An APP1 segment holding a TIFF header and one IFD0 entry: Orientation. */
static size_t exif_segment(uint8_t *seg, int big_endian, int type, uint32_t value)
{
    uint8_t tiff[26];
    size_t n = 0;
    memcpy(tiff, big_endian ? "MM\0*" : "II*\0", 4);
    n = 4;
#define PUT16(v)                                                                               \
    do {                                                                                       \
        unsigned v_ = (v);                                                                     \
        tiff[n++] = (uint8_t)(big_endian ? v_ >> 8 : v_);                                      \
        tiff[n++] = (uint8_t)(big_endian ? v_ : v_ >> 8);                                      \
    } while (0)
#define PUT32(v)                                                                               \
    do {                                                                                       \
        uint32_t w_ = (v);                                                                     \
        PUT16(big_endian ? w_ >> 16 : w_ & 0xffff);                                            \
        PUT16(big_endian ? w_ & 0xffff : w_ >> 16);                                            \
    } while (0)
    PUT32(8);      /* offset of IFD0 */
    PUT16(1);      /* one entry */
    PUT16(0x0112); /* Orientation */
    PUT16(type);   /* 3 = SHORT, 4 = LONG */
    PUT32(1);      /* one value */
    if (type == 3) {
        PUT16(value);
        PUT16(0);
    } else {
        PUT32(value);
    }
    PUT32(0); /* no next IFD */
#undef PUT16
#undef PUT32
    size_t length = 2 + 6 + n;
    seg[0] = 0xff;
    seg[1] = 0xe1;
    seg[2] = (uint8_t)(length >> 8);
    seg[3] = (uint8_t)length;
    memcpy(seg + 4, "Exif\0\0", 6);
    memcpy(seg + 10, tiff, n);
    return 2 + length;
}

/* The JPEG with extra segments inserted right after its SOI marker. */
static uint8_t *splice(const io_mem_sink *jpeg, const uint8_t *extra, size_t extra_size,
                       size_t *size)
{
    uint8_t *out = malloc(jpeg->size + extra_size);
    assert_non_null(out);
    memcpy(out, jpeg->data, 2);
    memcpy(out + 2, extra, extra_size);
    memcpy(out + 2 + extra_size, jpeg->data + 2, jpeg->size - 2);
    *size = jpeg->size + extra_size;
    return out;
}

static int colour_at(const sc_image *img, int x, int y)
{
    const uint8_t *p = &img->rgb[((size_t)y * (size_t)img->width + (size_t)x) * 3];
    for (int c = 0; c < 4; c++)
        if (abs(p[0] - k_colours[c][0]) < 40 && abs(p[1] - k_colours[c][1]) < 40 &&
            abs(p[2] - k_colours[c][2]) < 40)
            return c;
    return -1;
}

/* Quadrant colours (top-left, top-right, bottom-left, bottom-right) after
 * exif_transpose, for orientations 1..8. */
static const int k_expected[9][4] = {
    {0},
    {RED, GREEN, BLUE, WHITE},
    {GREEN, RED, WHITE, BLUE},
    {WHITE, BLUE, GREEN, RED},
    {BLUE, WHITE, RED, GREEN},
    {RED, BLUE, GREEN, WHITE},
    {BLUE, RED, WHITE, GREEN},
    {WHITE, GREEN, BLUE, RED},
    {GREEN, WHITE, RED, BLUE},
};

static void check_layout(const uint8_t *bytes, size_t size, int orientation)
{
    sc_image img;
    sc_error err = {0};
    assert_int_equal(sc_image_read_memory(bytes, size, "o.jpg", &img, &err), SC_OK);
    int turned = orientation >= 5;
    assert_int_equal(img.width, turned ? H : W);
    assert_int_equal(img.height, turned ? W : H);
    int w = img.width, h = img.height;
    int got[4] = {colour_at(&img, w / 4, h / 4), colour_at(&img, 3 * w / 4, h / 4),
                  colour_at(&img, w / 4, 3 * h / 4), colour_at(&img, 3 * w / 4, 3 * h / 4)};
    for (int q = 0; q < 4; q++)
        if (got[q] != k_expected[orientation][q])
            fail_msg("orientation %d, quadrant %d: colour %d, want %d", orientation, q, got[q],
                     k_expected[orientation][q]);
    sc_image_free(&img);
}

static void test_all_orientations_both_byte_orders(void **state)
{
    (void)state;
    io_mem_sink jpeg = quadrant_jpeg();
    for (int big_endian = 0; big_endian <= 1; big_endian++) {
        for (int orientation = 1; orientation <= 8; orientation++) {
            uint8_t seg[64];
            size_t seg_size = exif_segment(seg, big_endian, 3, (uint32_t)orientation);
            size_t size;
            uint8_t *bytes = splice(&jpeg, seg, seg_size, &size);
            check_layout(bytes, size, orientation);
            free(bytes);
        }
    }
    free(jpeg.data);
}

/* EXIF after a JFIF APP0 segment, as cameras and editors often write it. */
static void test_exif_after_jfif(void **state)
{
    (void)state;
    io_mem_sink jpeg = quadrant_jpeg();
    uint8_t extra[128];
    const uint8_t app0[] = {0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0};
    memcpy(extra, app0, sizeof app0);
    size_t n = sizeof app0 + exif_segment(extra + sizeof app0, 0, 3, 6);
    size_t size;
    uint8_t *bytes = splice(&jpeg, extra, n, &size);
    check_layout(bytes, size, 6);
    free(bytes);
    free(jpeg.data);
}

/* Out-of-range values, damaged EXIF and no EXIF all leave the picture as stored. */
static void test_unusable_exif_is_ignored(void **state)
{
    (void)state;
    io_mem_sink jpeg = quadrant_jpeg();
    uint8_t seg[64];
    size_t size;
    uint32_t values[] = {0, 9, 65535};
    for (size_t i = 0; i < 3; i++) {
        size_t seg_size = exif_segment(seg, 0, 3, values[i]);
        uint8_t *bytes = splice(&jpeg, seg, seg_size, &size);
        check_layout(bytes, size, 1);
        free(bytes);
    }
    /* A damaged TIFF header: the IFD offset points far outside the segment. */
    size_t seg_size = exif_segment(seg, 0, 3, 6);
    seg[14] = 0xff;
    seg[15] = 0xff;
    uint8_t *bytes = splice(&jpeg, seg, seg_size, &size);
    check_layout(bytes, size, 1);
    free(bytes);
    check_layout(jpeg.data, jpeg.size, 1);
    /* Every cut of the EXIF payload is read without harm. */
    seg_size = exif_segment(seg, 1, 3, 8);
    for (size_t len = 0; len < seg_size - 4; len++)
        (void)sc_exif_orientation(seg + 4, len);
    assert_int_equal(sc_exif_orientation(seg + 4, seg_size - 4), 8);
    free(jpeg.data);
}

/* Exact pixel placement on a 3 x 2 picture holding 0..5, as PIL transposes it. */
static void test_orient_pixels_exact(void **state)
{
    (void)state;
    const uint8_t src[6] = {0, 1, 2, 3, 4, 5};
    static const uint8_t want[9][6] = {
        {0},
        {0, 1, 2, 3, 4, 5},
        {2, 1, 0, 5, 4, 3},
        {5, 4, 3, 2, 1, 0},
        {3, 4, 5, 0, 1, 2},
        {0, 3, 1, 4, 2, 5},
        {3, 0, 4, 1, 5, 2},
        {5, 2, 4, 1, 3, 0},
        {2, 5, 1, 4, 0, 3},
    };
    for (int o = 1; o <= 8; o++) {
        int w = 3, h = 2;
        uint8_t *out = sc_orient_pixels(src, &w, &h, 1, o);
        assert_non_null(out);
        assert_int_equal(w, o >= 5 ? 2 : 3);
        assert_int_equal(h, o >= 5 ? 3 : 2);
        assert_memory_equal(out, want[o], 6);
        free(out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_orientations_both_byte_orders),
        cmocka_unit_test(test_exif_after_jfif),
        cmocka_unit_test(test_unusable_exif_is_ignored),
        cmocka_unit_test(test_orient_pixels_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
