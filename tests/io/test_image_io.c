#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <stb_image_write.h>

#include "io/helper_io.h"
#include "io/image.h"

static sc_image pattern(int w, int h, int smooth)
{
    sc_image img = {.width = w, .height = h, .rgb = malloc((size_t)w * (size_t)h * 3)};
    assert_non_null(img.rgb);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < 3; c++) {
                uint8_t *p = &img.rgb[((size_t)y * (size_t)w + (size_t)x) * 3 + (size_t)c];
                *p = smooth ? (uint8_t)(40 + 4 * x + 3 * y + 20 * c)
                            : (uint8_t)(x * 31 + y * 17 + c * 101 + x * y);
            }
    return img;
}

static char *path_in_dir(const char *name)
{
    char *p = io_join(io_test_dir, name);
    assert_non_null(p);
    return p;
}

static void expect_read_fails(const char *name, const void *bytes, size_t size,
                              sc_status status, const char *part)
{
    char *path = path_in_dir(name);
    assert_int_equal(io_write_bytes(path, bytes, size), 0);
    sc_image img = {.width = 1, .height = 1, .rgb = NULL};
    sc_error err = {0};
    sc_status got = sc_image_read(path, &img, &err);
    if (got != status)
        fail_msg("%s: status %d, want %d (%s)", name, got, status, err.msg);
    IO_ASSERT_CONTAINS(err.msg, path);
    IO_ASSERT_CONTAINS(err.msg, part);
    assert_null(img.rgb);
    assert_int_equal(img.width, 0);
    free(path);
}

static void test_lossless_round_trips(void **state)
{
    (void)state;
    const char *names[] = {"a.png", "b.PNG", "c.bmp", "d.Bmp"};
    sc_image src = pattern(7, 5, 0);
    for (size_t i = 0; i < 4; i++) {
        char *path = path_in_dir(names[i]);
        sc_error err = {0};
        assert_int_equal(sc_image_write(path, &src, 90, &err), SC_OK);
        sc_image back;
        assert_int_equal(sc_image_read(path, &back, &err), SC_OK);
        assert_int_equal(back.width, 7);
        assert_int_equal(back.height, 5);
        assert_memory_equal(back.rgb, src.rgb, 7 * 5 * 3);
        sc_image_free(&back);
        assert_null(back.rgb);
        free(path);
    }
    sc_image_free(&src);
}

static void test_jpeg_round_trip(void **state)
{
    (void)state;
    sc_image src = pattern(16, 16, 1);
    const char *names[] = {"a.jpg", "b.JPEG"};
    for (size_t i = 0; i < 2; i++) {
        char *path = path_in_dir(names[i]);
        sc_error err = {0};
        assert_int_equal(sc_image_write(path, &src, 100, &err), SC_OK);
        size_t size;
        uint8_t *bytes = io_read_bytes(path, &size);
        assert_true(size > 4 && bytes[0] == 0xff && bytes[1] == 0xd8);
        free(bytes);
        sc_image back;
        assert_int_equal(sc_image_read(path, &back, &err), SC_OK);
        assert_int_equal(back.width, 16);
        assert_int_equal(back.height, 16);
        int worst = 0;
        for (size_t k = 0; k < 16 * 16 * 3; k++) {
            int d = abs((int)back.rgb[k] - (int)src.rgb[k]);
            worst = d > worst ? d : worst;
        }
        assert_true(worst <= 3);
        sc_image_free(&back);
        free(path);
    }
    sc_error err = {0};
    char *path = path_in_dir("q.jpg");
    assert_int_equal(sc_image_write(path, &src, 0, &err), SC_ERR_INVALID_ARG);
    IO_ASSERT_CONTAINS(err.msg, "quality 0");
    assert_int_equal(sc_image_write(path, &src, 101, &err), SC_ERR_INVALID_ARG);
    assert_int_equal(io_count_entries(io_test_dir) >= 0, 1);
    assert_null(io_read_bytes(path, &(size_t){0}));
    free(path);
    sc_image_free(&src);
}

static void test_tga_inputs(void **state)
{
    (void)state;
    sc_image src = pattern(9, 4, 0);
    for (int rle = 0; rle <= 1; rle++) {
        stbi_write_tga_with_rle = rle;
        io_mem_sink sink = {NULL, 0};
        assert_true(stbi_write_tga_to_func(io_mem_sink_append, &sink, 9, 4, 3, src.rgb));
        sc_image back;
        sc_error err = {0};
        assert_int_equal(sc_image_read_memory(sink.data, sink.size, "x.tga", &back, &err), SC_OK);
        assert_int_equal(back.width, 9);
        assert_int_equal(back.height, 4);
        assert_memory_equal(back.rgb, src.rgb, 9 * 4 * 3);
        sc_image_free(&back);
        if (!rle) {
            assert_int_equal(sc_image_read_memory(sink.data, sink.size - 5, "cut.tga", &back,
                                                  &err),
                             SC_ERR_IMAGE);
            IO_ASSERT_CONTAINS(err.msg, "cut.tga: truncated TGA");
        }
        free(sink.data);
    }
    stbi_write_tga_with_rle = 1;
    sc_image_free(&src);
}

/* Grey, grey+alpha and RGBA inputs all come back as RGB with alpha dropped
 * (not premultiplied). */
static void test_channel_conversions(void **state)
{
    (void)state;
    const int w = 3, h = 2;
    uint8_t pixels[3 * 2 * 4];
    for (size_t i = 0; i < sizeof pixels; i++)
        pixels[i] = (uint8_t)(i * 9 + 5);
    for (int comp = 1; comp <= 4; comp++) {
        io_mem_sink sink = {NULL, 0};
        assert_true(
            stbi_write_png_to_func(io_mem_sink_append, &sink, w, h, comp, pixels, w * comp));
        sc_image img;
        sc_error err = {0};
        assert_int_equal(sc_image_read_memory(sink.data, sink.size, "c.png", &img, &err), SC_OK);
        for (int i = 0; i < w * h; i++) {
            for (int c = 0; c < 3; c++) {
                int from = comp <= 2 ? i * comp : i * comp + c;
                assert_int_equal(img.rgb[i * 3 + c], pixels[from]);
            }
        }
        sc_image_free(&img);
        free(sink.data);
    }
}

static void test_sixteen_bit_png_keeps_high_byte(void **state)
{
    (void)state;
    const int w = 2, h = 2;
    uint8_t rgb16[2 * 2 * 3 * 2], grey16[2 * 2 * 2];
    for (size_t i = 0; i < sizeof rgb16; i++)
        rgb16[i] = (uint8_t)(i * 23 + 7);
    for (size_t i = 0; i < sizeof grey16; i++)
        grey16[i] = (uint8_t)(i * 41 + 3);
    size_t size;
    uint8_t *png = io_png_bytes(w, h, 16, 2, rgb16, &size);
    sc_image img;
    sc_error err = {0};
    assert_int_equal(sc_image_read_memory(png, size, "rgb16.png", &img, &err), SC_OK);
    for (int k = 0; k < w * h * 3; k++)
        assert_int_equal(img.rgb[k], rgb16[2 * k]);
    sc_image_free(&img);
    free(png);

    png = io_png_bytes(w, h, 16, 0, grey16, &size);
    assert_int_equal(sc_image_read_memory(png, size, "grey16.png", &img, &err), SC_OK);
    for (int i = 0; i < w * h; i++)
        for (int c = 0; c < 3; c++)
            assert_int_equal(img.rgb[i * 3 + c], grey16[2 * i]);
    sc_image_free(&img);
    free(png);
}

static void test_bad_inputs(void **state)
{
    (void)state;
    expect_read_fails("empty.jpg", "", 0, SC_ERR_IMAGE, "not a picture");
    const char *text = "hello, this is not a picture at all\n";
    expect_read_fails("text.png", text, strlen(text), SC_ERR_IMAGE,
                      "not a picture (unknown format)");
    expect_read_fails("anim.gif", "GIF89a\x01\0\x01\0\0\0\0;", 14, SC_ERR_IMAGE,
                      "GIF pictures are not supported");

    sc_image src = pattern(8, 8, 1);
    const char *kinds[][2] = {{"t.png", "truncated PNG"},
                              {"t.jpg", "truncated JPEG"},
                              {"t.bmp", "truncated BMP"}};
    for (size_t i = 0; i < 3; i++) {
        char *path = path_in_dir(kinds[i][0]);
        sc_error err = {0};
        assert_int_equal(sc_image_write(path, &src, 90, &err), SC_OK);
        size_t size;
        uint8_t *bytes = io_read_bytes(path, &size);
        assert_non_null(bytes);
        expect_read_fails(kinds[i][0], bytes, size * 2 / 3, SC_ERR_IMAGE, kinds[i][1]);
        free(bytes);
        free(path);
    }
    sc_image_free(&src);

    char *missing = path_in_dir("missing.png");
    sc_image img;
    sc_error err = {0};
    assert_int_equal(sc_image_read(missing, &img, &err), SC_ERR_IO);
    IO_ASSERT_CONTAINS(err.msg, missing);
    IO_ASSERT_CONTAINS(err.msg, "No such file");
    free(missing);
    assert_int_equal(sc_image_read(io_test_dir, &img, &err), SC_ERR_IO);
    IO_ASSERT_CONTAINS(err.msg, "Is a directory");
}

/* A PNG whose header claims 20000 x 20000 pixels: refused before decoding. */
/* Headers whose width alone would overflow a row stride (width x 4 bytes past
 * INT_MAX) or whose area overflows 32 bits, in every format whose header states
 * them: refused from the header, with the stated size in the message. */
static void test_stride_overflow_headers_refused(void **state)
{
    (void)state;
    sc_image img = {0};
    sc_error err = {0};
    uint8_t one_row[3] = {0};
    size_t size;
    uint8_t *png = io_png_bytes(1, 1, 8, 2, one_row, &size);
    const uint8_t wide[8] = {0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 1}; /* 2147483647 x 1 */
    memcpy(png + 16, wide, 8);
    assert_int_equal(sc_image_read_memory(png, size, "wide.png", &img, &err), SC_ERR_IMAGE);
    IO_ASSERT_CONTAINS(err.msg, "wide.png: 2147483647x1 pixels is more than the limit");
    const uint8_t tall[8] = {0, 0, 0, 1, 0x7f, 0xff, 0xff, 0xff};
    memcpy(png + 16, tall, 8);
    assert_int_equal(sc_image_read_memory(png, size, "tall.png", &img, &err), SC_ERR_IMAGE);
    IO_ASSERT_CONTAINS(err.msg, "tall.png: 1x2147483647 pixels is more than the limit");
    free(png);

    /* BMP: BITMAPINFOHEADER, 24 bits, width 2^31 - 1, height 1 */
    uint8_t bmp[58] = {'B', 'M', 58, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0, 40, 0, 0, 0,
                       0xff, 0xff, 0xff, 0x7f, 1, 0, 0, 0, 1, 0, 24, 0};
    assert_int_equal(sc_image_read_memory(bmp, sizeof bmp, "wide.bmp", &img, &err),
                     SC_ERR_IMAGE);
    /* refused from its size field before the dimensions are even weighed */
    IO_ASSERT_CONTAINS(err.msg, "wide.bmp: truncated BMP");

    /* TGA: 65535 x 65535 (4.3 G pixels: the area overflows 32 bits). Uncompressed or
     * run-length encoded (a packet per 128 pixels at best), the missing data refuses it
     * before the dimensions are weighed. */
    uint8_t tga[21] = {0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 24, 0};
    assert_int_equal(sc_image_read_memory(tga, sizeof tga, "big.tga", &img, &err),
                     SC_ERR_IMAGE);
    IO_ASSERT_CONTAINS(err.msg, "big.tga: truncated TGA");
    tga[2] = 10; /* run-length encoded */
    tga[18] = 0xff; /* one packet: 128 pixels of one colour */
    assert_int_equal(sc_image_read_memory(tga, sizeof tga, "big_rle.tga", &img, &err),
                     SC_ERR_IMAGE);
    IO_ASSERT_CONTAINS(err.msg, "big_rle.tga: truncated TGA");
    assert_null(img.rgb);
}

/* A run-length TGA is at least a packet (a byte and a pixel) per 128 pixels: shorter, it
 * is cut, not a picture of zeros (found by tests/fuzz: 71 bytes claiming 65523x9 took
 * 0.1 s under ASan, a 100 MP claim would take seconds). One byte short of that is
 * refused, the shortest complete file decodes. */
static void test_tga_rle_too_short_refused(void **state)
{
    (void)state;
    enum { W = 1000, H = 3, PACKETS = (W * H + 127) / 128, SIZE = 18 + PACKETS * 4 };
    uint8_t *tga = calloc(SIZE, 1);
    assert_non_null(tga);
    tga[2] = 10;
    tga[12] = W & 0xff;
    tga[13] = W >> 8;
    tga[14] = H;
    tga[16] = 24;
    tga[17] = 0x20; /* top-left origin */
    for (int p = 0; p < PACKETS; p++) {
        int left = W * H - 128 * p;
        tga[18 + 4 * p] = (uint8_t)(0x80 | ((left < 128 ? left : 128) - 1));
        tga[18 + 4 * p + 1] = 200; /* blue, green, red */
        tga[18 + 4 * p + 2] = 100;
        tga[18 + 4 * p + 3] = 50;
    }
    sc_image img = {0};
    sc_error err = {0};
    assert_int_equal(sc_image_read_memory(tga, SIZE - 1, "short_rle.tga", &img, &err),
                     SC_ERR_IMAGE);
    IO_ASSERT_CONTAINS(err.msg, "short_rle.tga: truncated TGA");
    assert_null(img.rgb);
    assert_int_equal(sc_image_read_memory(tga, SIZE, "rle.tga", &img, &err), SC_OK);
    assert_int_equal(img.width, W);
    assert_int_equal(img.height, H);
    assert_int_equal(img.rgb[0], 50);
    assert_int_equal(img.rgb[3 * (W * H - 1) + 2], 200);
    sc_image_free(&img);
    free(tga);
}

/* JPEG markers behind 0xff fill bytes: not sniffed as JPEG, so stb's all-format
 * probe must not see them (its Huffman builder overflows on a bad DHT there;
 * found by tests/fuzz, input tests/fuzz/corpus/fuzz_matte/regress-jpeg-fill-bytes.jpg). */
static void test_jpeg_behind_fill_bytes_refused(void **state)
{
    (void)state;
    /* fill bytes, SOI, then a DHT with more than 256 codes */
    uint8_t data[64] = {0xff, 0xff, 0xff, 0xd8, 0xff, 0xc4, 0x00, 0x14, 0x00};
    for (int i = 9; i < 25; i++)
        data[i] = 0xff;
    sc_image img = {0};
    sc_error err = {0};
    assert_int_equal(sc_image_read_memory(data, sizeof data, "fill.jpg", &img, &err),
                     SC_ERR_IMAGE);
    IO_ASSERT_CONTAINS(err.msg, "fill.jpg: not a picture (unknown format)");
    assert_null(img.rgb);
}

static void test_huge_picture_refused_from_header(void **state)
{
    (void)state;
    uint8_t one_row[3] = {0};
    size_t size;
    uint8_t *png = io_png_bytes(1, 1, 8, 2, one_row, &size);
    /* IHDR width/height live at bytes 16..23; the CRC is not checked by the reader. */
    const uint8_t big[8] = {0, 0, 0x4e, 0x20, 0, 0, 0x4e, 0x20};
    memcpy(png + 16, big, 8);
    sc_image img;
    sc_error err = {0};
    assert_int_equal(sc_image_read_memory(png, size, "huge.png", &img, &err), SC_ERR_IMAGE);
    IO_ASSERT_CONTAINS(err.msg, "huge.png: 20000x20000 pixels is more than the limit");
    const uint8_t zero_width[4] = {0, 0, 0, 0};
    memcpy(png + 16, zero_width, 4);
    assert_int_equal(sc_image_read_memory(png, size, "zero.png", &img, &err), SC_ERR_IMAGE);
    IO_ASSERT_CONTAINS(err.msg, "zero.png: PNG of zero size");
    free(png);
}

/* Every cut of a valid PNG, JPEG or BMP is an error, never a crash. */
static void test_every_truncation_rejected(void **state)
{
    (void)state;
    sc_image src = pattern(12, 10, 0);
    const char *names[] = {"cut.png", "cut.jpg", "cut.bmp"};
    for (size_t i = 0; i < 3; i++) {
        char *path = path_in_dir(names[i]);
        sc_error err = {0};
        assert_int_equal(sc_image_write(path, &src, 75, &err), SC_OK);
        size_t size;
        uint8_t *bytes = io_read_bytes(path, &size);
        for (size_t len = 0; len < size; len++) {
            sc_image img = {.width = 0, .height = 0, .rgb = NULL};
            sc_status s = sc_image_read_memory(bytes, len, names[i], &img, &err);
            if (s == SC_OK)
                fail_msg("%s cut to %zu of %zu bytes was accepted", names[i], len, size);
            assert_int_equal(s, SC_ERR_IMAGE);
            IO_ASSERT_CONTAINS(err.msg, names[i]);
        }
        free(bytes);
        free(path);
    }
    sc_image_free(&src);
}

static void test_png_stream(void **state)
{
    (void)state;
    sc_image src = pattern(5, 3, 0);
    FILE *f = tmpfile();
    assert_non_null(f);
    sc_error err = {0};
    assert_int_equal(sc_image_write_stream(f, "stream", &src, SC_FILE_PNG, 0, &err), SC_OK);
    long size = ftell(f);
    assert_true(size > 8);
    rewind(f);
    uint8_t *bytes = malloc((size_t)size);
    assert_int_equal(fread(bytes, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    sc_image back;
    assert_int_equal(sc_image_read_memory(bytes, (size_t)size, "stream", &back, &err), SC_OK);
    assert_memory_equal(back.rgb, src.rgb, 5 * 3 * 3);
    sc_image_free(&back);
    free(bytes);

    FILE *full = fopen("/dev/full", "wb");
    if (full) {
        assert_int_equal(sc_image_write_stream(full, "full", &src, SC_FILE_PNG, 0, &err), SC_ERR_IO);
        fclose(full);
    }
    sc_image_free(&src);
}

static void test_path_extension(void **state)
{
    (void)state;
    char buf[16];
    assert_string_equal(sc_path_extension("a/b.PNG", buf, sizeof buf), "png");
    assert_string_equal(sc_path_extension("x.tar.GZ", buf, sizeof buf), "gz");
    assert_string_equal(sc_path_extension(".png", buf, sizeof buf), "");
    assert_string_equal(sc_path_extension("dir.d/file", buf, sizeof buf), "");
    assert_string_equal(sc_path_extension("photo.", buf, sizeof buf), "");
    assert_string_equal(sc_path_extension("p.JpEg", buf, 3), "jp");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lossless_round_trips),
        cmocka_unit_test(test_jpeg_round_trip),
        cmocka_unit_test(test_tga_inputs),
        cmocka_unit_test(test_tga_rle_too_short_refused),
        cmocka_unit_test(test_channel_conversions),
        cmocka_unit_test(test_sixteen_bit_png_keeps_high_byte),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_huge_picture_refused_from_header),
        cmocka_unit_test(test_stride_overflow_headers_refused),
        cmocka_unit_test(test_jpeg_behind_fill_bytes_refused),
        cmocka_unit_test(test_every_truncation_rejected),
        cmocka_unit_test(test_png_stream),
        cmocka_unit_test(test_path_extension),
    };
    return cmocka_run_group_tests(tests, io_test_dir_setup, io_test_dir_teardown);
}
