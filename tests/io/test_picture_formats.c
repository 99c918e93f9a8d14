/*
 * WebP, TIFF and HEIC through the library: the list of output types, round
 * trips (exact where the coding is lossless), 16-bit TIFF samples, the
 * orientation of each format applied once, and the EXIF and ICC profile kept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libexif/exif-tag.h>

#include "io/helper_formats.h"
#include "io/helper_io.h"
#include "io/picture_codecs.h"
#include "skychange.h"

enum { ICC_SIZE = 400 };

static sc_image read_back(const void *data, size_t size)
{
    sc_image img = {0};
    sc_error err = {0};
    if (sc_image_read_memory(data, size, "back", &img, &err) != SC_OK)
        fail_msg("reading back: %s", err.msg);
    return img;
}

static int contains(const uint8_t *data, size_t size, const char *what)
{
    size_t n = strlen(what);
    for (size_t i = 0; i + n <= size; i++)
        if (memcmp(data + i, what, n) == 0)
            return 1;
    return 0;
}

static void output_types_are_one_list(void **state)
{
    (void)state;
    sc_file_type type = SC_FILE_PFM;
    assert_int_equal(sc_output_type("webp", 0, &type), 1);
    assert_int_equal(type, SC_FILE_WEBP);
    assert_int_equal(sc_output_type("TIF", 0, &type), 1);
    assert_int_equal(type, SC_FILE_TIFF);
    assert_int_equal(sc_output_type("tiff", 0, &type), 1);
    assert_int_equal(sc_output_type("Jpeg", 0, &type), 1);
    assert_int_equal(type, SC_FILE_JPEG);
    assert_int_equal(sc_output_type("heic", 0, &type), sc_heif_can_encode() ? 1 : -1);
    assert_int_equal(type, SC_FILE_HEIC);
    assert_int_equal(sc_output_type("pfm", 0, NULL), 0);
    assert_int_equal(sc_output_type("pfm", 1, NULL), 1);
    assert_int_equal(sc_output_type("webp", 1, NULL), 0);
    assert_int_equal(sc_output_type("gif", 0, NULL), 0);
    assert_int_equal(sc_output_type("", 0, NULL), 0);
    assert_int_equal(sc_output_type(NULL, 0, NULL), 0);
    assert_int_equal(sc_output_type("webpwebpwebp", 0, NULL), 0);
    assert_string_equal(sc_output_types(1), ".png or .pfm");
    const char *pictures = sc_output_types(0);
    IO_ASSERT_CONTAINS(pictures, ".png, .jpg, .jpeg, .bmp, .webp, .tif, .tiff");
    if (sc_heif_can_encode())
        IO_ASSERT_CONTAINS(pictures, ".tiff or .heic");
    else
        IO_ASSERT_CONTAINS(pictures, ".tif or .tiff");
}

/* Lossless WebP (quality 100) and TIFF give the pixels back exactly. */
static void lossless_round_trips_are_exact(void **state)
{
    (void)state;
    sc_image img = fmt_pattern(37, 23);
    const sc_file_type types[] = {SC_FILE_WEBP, SC_FILE_TIFF};
    const char *signature[] = {"VP8L", "II*"};
    for (int i = 0; i < 2; i++) {
        size_t size;
        uint8_t *data = fmt_encode(&img, types[i], 100, &size);
        assert_true(contains(data, size < 64 ? size : 64, signature[i]));
        sc_image back = read_back(data, size);
        assert_int_equal(back.width, 37);
        assert_int_equal(back.height, 23);
        assert_memory_equal(back.rgb, img.rgb, (size_t)37 * 23 * 3);
        assert_null(back.exif);
        assert_null(back.icc);
        sc_image_free(&back);
        free(data);
    }
    sc_image_free(&img);
}

static void lossy_round_trips_are_close(void **state)
{
    (void)state;
    sc_image img = fmt_pattern(64, 48);
    size_t size;
    uint8_t *webp = fmt_encode(&img, SC_FILE_WEBP, 90, &size);
    assert_true(contains(webp, 64, "VP8 "));
    sc_image back = read_back(webp, size);
    double webp_error = fmt_mean_difference(&img, &back);
    print_message("WebP quality 90: %zu bytes, mean error %.2f levels\n", size, webp_error);
    assert_true(webp_error < 4.0);
    assert_true(webp_error > 0.0); /* lossy indeed: the comparison can fail */
    sc_image_free(&back);
    free(webp);
    if (sc_heif_can_encode()) {
        uint8_t *heic = fmt_encode(&img, SC_FILE_HEIC, 90, &size);
        assert_memory_equal(heic + 4, "ftypheic", 8);
        back = read_back(heic, size);
        double heic_error = fmt_mean_difference(&img, &back);
        print_message("HEIC quality 90: %zu bytes, mean error %.2f levels\n", size, heic_error);
        assert_true(heic_error < 4.0);
        sc_image_free(&back);
        free(heic);
    }
    sc_image_free(&img);
}

/* EXIF and the profile go into each format and come back from it. */
static void metadata_survives_each_format(void **state)
{
    (void)state;
    sc_image img = fmt_pattern(32, 16);
    img.exif = fmt_exif(1, 32, 16, &img.exif_size);
    img.icc = fmt_icc(ICC_SIZE);
    img.icc_size = ICC_SIZE;
    const sc_file_type types[] = {SC_FILE_WEBP, SC_FILE_TIFF, SC_FILE_HEIC};
    for (int i = 0; i < 3; i++) {
        if (types[i] == SC_FILE_HEIC && !sc_heif_can_encode())
            continue;
        size_t size;
        uint8_t *data = fmt_encode(&img, types[i], 100, &size);
        sc_image back = read_back(data, size);
        assert_int_equal(back.icc_size, ICC_SIZE);
        assert_memory_equal(back.icc, img.icc, ICC_SIZE);
        assert_non_null(back.exif);
        assert_true(fmt_exif_has_text(back.exif, back.exif_size, EXIF_TAG_MAKE, "FmtMake"));
        assert_true(fmt_exif_has_text(back.exif, back.exif_size, EXIF_TAG_DATE_TIME,
                                      "2025:01:02 03:04:05"));
        if (types[i] != SC_FILE_TIFF) /* TIFF carries EXIF's text fields only */
            assert_int_equal(fmt_exif_number(back.exif, back.exif_size, 1,
                                             EXIF_TAG_PIXEL_X_DIMENSION),
                             32);
        sc_image_free(&back);
        free(data);
    }
    sc_image_free(&img);
}

/* 16-bit samples: their high byte in a picture, the full value in a matte. */
static void sixteen_bit_tiff_is_scaled(void **state)
{
    (void)state;
    enum { W = 5, H = 4 };
    uint16_t rgba[W * H * 4], grey[W * H];
    for (int i = 0; i < W * H; i++) {
        rgba[4 * i] = (uint16_t)(0xab00 + i);
        rgba[4 * i + 1] = (uint16_t)(i * 3000 + 255);
        rgba[4 * i + 2] = (uint16_t)(65535 - i * 1111);
        rgba[4 * i + 3] = (uint16_t)(i * 100); /* alpha: dropped, not premultiplied */
        grey[i] = (uint16_t)(i * 3449 + 7);
    }
    for (int tiled = 0; tiled <= 1; tiled++) {
        size_t size;
        uint8_t *tiff = fmt_tiff(W, H, 16, 4, 0, tiled, rgba, &size);
        sc_image img = read_back(tiff, size);
        assert_int_equal(img.width, W);
        for (int i = 0; i < W * H; i++)
            for (int c = 0; c < 3; c++)
                assert_int_equal(img.rgb[3 * i + c], rgba[4 * i + c] >> 8);
        sc_image_free(&img);
        free(tiff);

        tiff = fmt_tiff(W, H, 16, 1, 0, tiled, grey, &size);
        sc_matte matte = {0};
        assert_int_equal(sc_matte_read_memory(tiff, size, "grey16", &matte, NULL), SC_OK);
        for (int i = 0; i < W * H; i++)
            assert_true(matte.alpha[i] == (float)grey[i] / 65535.0f);
        sc_matte_free(&matte);
        free(tiff);
    }
}

/* TIFF orientation 6 (and 3 through libtiff's RGBA reader) turns the
 * pixels as a JPEG's EXIF orientation does. */
static void tiff_orientation_is_applied(void **state)
{
    (void)state;
    enum { W = 7, H = 3 };
    uint8_t rgb[W * H * 3];
    for (int i = 0; i < W * H * 3; i++)
        rgb[i] = (uint8_t)(i * 5 + 1);
    size_t size;
    uint8_t *tiff = fmt_tiff(W, H, 8, 3, 6, 0, rgb, &size);
    sc_image img = read_back(tiff, size);
    assert_int_equal(img.width, H);
    assert_int_equal(img.height, W);
    /* rotated 90 degrees clockwise: shown (x, y) is stored (y, H - 1 - x) */
    for (int y = 0; y < W; y++)
        for (int x = 0; x < H; x++)
            assert_memory_equal(img.rgb + ((size_t)y * H + (size_t)x) * 3,
                                rgb + ((size_t)(H - 1 - x) * W + (size_t)y) * 3, 3);
    sc_image_free(&img);
    free(tiff);

    tiff = fmt_tiff_palette(W, H, 3, &size);
    img = read_back(tiff, size);
    assert_int_equal(img.width, W);
    assert_int_equal(img.height, H);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            /* rotated 180 degrees: shown (x, y) is stored (W-1-x, H-1-y) */
            size_t stored = (size_t)(H - 1 - y) * W + (size_t)(W - 1 - x);
            const uint8_t *p = img.rgb + ((size_t)y * W + (size_t)x) * 3;
            assert_int_equal(p[0], stored % 3 == 0 ? 20 : 200);
            assert_int_equal(p[2], stored % 3 == 0 ? 250 : 30);
        }
    sc_image_free(&img);
    free(tiff);
}

/* A WebP's EXIF orientation is applied, the kept EXIF says 1 and states the
 * upright size. */
static void webp_exif_orientation_is_applied(void **state)
{
    (void)state;
    enum { W = 9, H = 4 };
    sc_image img = fmt_pattern(W, H);
    img.exif = fmt_exif(8, W, H, &img.exif_size);
    size_t size;
    uint8_t *webp = fmt_encode(&img, SC_FILE_WEBP, 100, &size);
    sc_image back = read_back(webp, size);
    assert_int_equal(back.width, H);
    assert_int_equal(back.height, W);
    /* rotated 90 degrees anticlockwise: shown (x, y) is stored (W - 1 - y, x) */
    for (int y = 0; y < W; y++)
        for (int x = 0; x < H; x++)
            assert_memory_equal(back.rgb + ((size_t)y * H + (size_t)x) * 3,
                                img.rgb + ((size_t)x * W + (size_t)(W - 1 - y)) * 3, 3);
    assert_int_equal(fmt_exif_number(back.exif, back.exif_size, 0, EXIF_TAG_ORIENTATION), 1);
    assert_int_equal(
        fmt_exif_number(back.exif, back.exif_size, 1, EXIF_TAG_PIXEL_X_DIMENSION), H);
    assert_int_equal(
        fmt_exif_number(back.exif, back.exif_size, 1, EXIF_TAG_PIXEL_Y_DIMENSION), W);
    sc_image_free(&back);
    sc_image_free(&img);
    free(webp);
}

/* A HEIC's rotation (irot) is applied by libheif; the EXIF orientation that
 * an iPhone writes beside it describes the same turn and must not be
 * applied again. Left half dark, right half light: after a quarter turn
 * clockwise the top is dark. */
static void heic_rotation_is_applied_once(void **state)
{
    (void)state;
    enum { W = 64, H = 32 };
    sc_image img = fmt_pattern(W, H);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            memset(img.rgb + ((size_t)y * W + (size_t)x) * 3, x < W / 2 ? 10 : 240, 3);
    size_t exif_size, size;
    uint8_t *exif = fmt_exif(6, W, H, &exif_size);
    uint8_t *heic = fmt_heic(&img, 6, 0, exif, exif_size, &size);
    if (!heic) {
        print_message("no HEVC encoder: skipped\n");
        free(exif);
        sc_image_free(&img);
        return;
    }
    sc_image back = read_back(heic, size);
    assert_int_equal(back.width, H);
    assert_int_equal(back.height, W);
    double top = 0, bottom = 0;
    for (int y = 0; y < W; y++)
        for (int x = 0; x < H; x++)
            *(y < W / 2 ? &top : &bottom) += back.rgb[((size_t)y * H + (size_t)x) * 3];
    top /= W / 2 * H;
    bottom /= W / 2 * H;
    assert_true(top < 40 && bottom > 210);
    assert_int_equal(fmt_exif_number(back.exif, back.exif_size, 0, EXIF_TAG_ORIENTATION), 1);
    assert_int_equal(
        fmt_exif_number(back.exif, back.exif_size, 1, EXIF_TAG_PIXEL_X_DIMENSION), H);
    sc_image_free(&back);
    free(heic);
    free(exif);
    sc_image_free(&img);
}

/* Lossless HEVC on 4:4:4 samples stored in RGB order comes back within one
 * level of the source (libheif's conversion rounds): what the decoder gives
 * is the picture itself, as the same picture from a PNG would be. */
static void lossless_heic_is_within_one_level(void **state)
{
    (void)state;
    enum { W = 48, H = 40 };
    sc_image img = fmt_pattern(W, H);
    for (size_t i = 0; i < (size_t)W * H * 3; i++) /* texture, not only gradients */
        img.rgb[i] = (uint8_t)(img.rgb[i] ^ ((i * 37) & 31));
    size_t size;
    uint8_t *heic = fmt_heic(&img, 1, 1, NULL, 0, &size);
    if (!heic) {
        print_message("no HEVC encoder: skipped\n");
        sc_image_free(&img);
        return;
    }
    sc_image back = read_back(heic, size);
    int worst = 0;
    for (size_t i = 0; i < (size_t)W * H * 3; i++) {
        int d = abs((int)back.rgb[i] - (int)img.rgb[i]);
        worst = d > worst ? d : worst;
    }
    print_message("lossless HEIC: largest difference %d level(s)\n", worst);
    assert_true(worst <= 1);
    sc_image_free(&back);
    sc_image_free(&img);
    free(heic);
}

/* The writers' own limits, checked before any file is touched. */
static void writer_limits_refuse_up_front(void **state)
{
    (void)state;
    sc_image wide = {.width = 16384, .height = 1, .rgb = calloc(16384, 3)};
    assert_non_null(wide.rgb);
    char *dir = io_tempdir();
    char *path = io_join(dir, "wide.webp");
    sc_error err = {0};
    assert_int_equal(sc_image_write(path, &wide, 90, &err), SC_ERR_INVALID_ARG);
    IO_ASSERT_CONTAINS(err.msg, "wide.webp: 16384x1 is too large for WebP (at most 16383");
    assert_int_equal(io_count_entries(dir), 0);
    free(path);
    path = io_join(dir, "q.webp");
    assert_int_equal(sc_image_write(path, &wide, 0, &err), SC_ERR_INVALID_ARG);
    IO_ASSERT_CONTAINS(err.msg, "WebP quality 0 is not in 1..100");
    assert_int_equal(io_count_entries(dir), 0);
    free(path);
    io_rmtree(dir);
    free(dir);
    sc_image_free(&wide);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(output_types_are_one_list),
        cmocka_unit_test(lossless_round_trips_are_exact),
        cmocka_unit_test(lossy_round_trips_are_close),
        cmocka_unit_test(metadata_survives_each_format),
        cmocka_unit_test(sixteen_bit_tiff_is_scaled),
        cmocka_unit_test(tiff_orientation_is_applied),
        cmocka_unit_test(webp_exif_orientation_is_applied),
        cmocka_unit_test(heic_rotation_is_applied_once),
        cmocka_unit_test(lossless_heic_is_within_one_level),
        cmocka_unit_test(writer_limits_refuse_up_front),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
