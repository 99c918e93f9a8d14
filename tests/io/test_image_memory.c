/* Pictures and mattes from and to memory buffers and stdio streams, and the
 * decode/encode times the library records for them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/helper_io.h"
#include "io/picture_decode.h"
#include "skychange.h"

static sc_image pattern_image(int w, int h)
{
    sc_image img = {.width = w, .height = h, .rgb = malloc((size_t)w * (size_t)h * 3)};
    assert_non_null(img.rgb);
    for (size_t i = 0; i < (size_t)w * (size_t)h * 3; i++)
        img.rgb[i] = (uint8_t)(i * 37 + i / 7);
    return img;
}

/* Values on the 8-bit grid, so that PNG keeps them exactly, with 0 and 1. */
static sc_matte pattern_matte(int w, int h)
{
    sc_matte m = {w, h, malloc((size_t)w * (size_t)h * sizeof(float))};
    assert_non_null(m.alpha);
    for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
        m.alpha[i] = (float)((i * 53) % 256) / 255.0f;
    return m;
}

static void assert_same_image(const sc_image *a, const sc_image *b)
{
    assert_int_equal(a->width, b->width);
    assert_int_equal(a->height, b->height);
    assert_memory_equal(a->rgb, b->rgb, (size_t)a->width * (size_t)a->height * 3);
}

static void assert_same_matte(const sc_matte *a, const sc_matte *b)
{
    assert_int_equal(a->width, b->width);
    assert_int_equal(a->height, b->height);
    assert_memory_equal(a->alpha, b->alpha, (size_t)a->width * (size_t)a->height * sizeof(float));
}

static void test_image_buffer_round_trip(void **state)
{
    (void)state;
    sc_image src = pattern_image(9, 6);
    const sc_file_type lossless[] = {SC_FILE_PNG, SC_FILE_BMP};
    for (size_t i = 0; i < 2; i++) {
        void *data = NULL;
        size_t size = 0;
        sc_error err = {0};
        assert_int_equal(sc_image_encode(&src, lossless[i], 0, &data, &size, &err), SC_OK);
        assert_non_null(data);
        sc_image back = {0};
        assert_int_equal(sc_image_read_memory(data, size, "buffer", &back, &err), SC_OK);
        assert_same_image(&src, &back);
        sc_image_free(&back);
        sc_buffer_free(data);
    }
    /* JPEG: the size and the signature; its pixels are lossy. */
    void *jpeg = NULL;
    size_t jpeg_size = 0;
    sc_error err = {0};
    assert_int_equal(sc_image_encode(&src, SC_FILE_JPEG, 90, &jpeg, &jpeg_size, &err), SC_OK);
    assert_true(jpeg_size > 3);
    assert_memory_equal(jpeg, "\xff\xd8\xff", 3);
    sc_image back = {0};
    assert_int_equal(sc_image_read_memory(jpeg, jpeg_size, "jpeg", &back, &err), SC_OK);
    assert_int_equal(back.width, 9);
    assert_int_equal(back.height, 6);
    sc_image_free(&back);
    sc_buffer_free(jpeg);
    sc_image_free(&src);
}

/* PNG keeps values on the 8-bit grid, PFM every float; each is what its
 * format's header says. */
static void test_matte_buffer_round_trip(void **state)
{
    (void)state;
    sc_matte src = pattern_matte(11, 4);
    src.alpha[5] = 0.3333333f; /* off the grid: PNG rounds it to 85/255 */
    sc_error err = {0};
    void *png = NULL, *pfm = NULL;
    size_t png_size = 0, pfm_size = 0;
    assert_int_equal(sc_matte_encode(&src, SC_FILE_PNG, &png, &png_size, &err), SC_OK);
    assert_memory_equal(png, "\x89PNG", 4);
    assert_int_equal(sc_matte_encode(&src, SC_FILE_PFM, &pfm, &pfm_size, &err), SC_OK);
    const char header[] = "Pf\n11 4\n-1.0\n";
    assert_int_equal(pfm_size, strlen(header) + 11 * 4 * sizeof(float));
    assert_memory_equal(pfm, header, strlen(header));

    sc_matte from_pfm = {0}, from_png = {0};
    assert_int_equal(sc_matte_read_memory(pfm, pfm_size, "pfm", &from_pfm, &err), SC_OK);
    assert_same_matte(&src, &from_pfm);
    assert_int_equal(sc_matte_read_memory(png, png_size, "png", &from_png, &err), SC_OK);
    assert_float_equal(from_png.alpha[5], 85.0f / 255.0f, 1e-7f);
    from_png.alpha[5] = src.alpha[5];
    assert_same_matte(&src, &from_png);
    sc_matte_free(&from_png);
    sc_matte_free(&from_pfm);
    sc_buffer_free(pfm);
    sc_buffer_free(png);
    sc_matte_free(&src);
}

static void test_image_stream_round_trip(void **state)
{
    (void)state;
    sc_image src = pattern_image(5, 8);
    FILE *f = tmpfile();
    assert_non_null(f);
    /* Reading starts at the stream's position: a prefix is skipped. */
    assert_int_equal(fputs("prefix", f) >= 0, 1);
    sc_error err = {0};
    assert_int_equal(sc_image_write_stream(f, "picture stream", &src, SC_FILE_BMP, 0, &err),
                     SC_OK);
    assert_int_equal(fseek(f, 6, SEEK_SET), 0);
    sc_image back = {0};
    assert_int_equal(sc_image_read_stream(f, "picture stream", &back, &err), SC_OK);
    assert_same_image(&src, &back);
    assert_int_equal(fclose(f), 0);
    sc_image_free(&back);
    sc_image_free(&src);
}

/* Through a pipe: a stream that cannot seek, read to its end. */
static void test_matte_stream_round_trip(void **state)
{
    (void)state;
    sc_matte src = pattern_matte(3, 7);
    src.alpha[0] = 0.123456789f; /* off the 8-bit grid: PFM keeps it */
    int ends[2];
    assert_int_equal(pipe(ends), 0);
    FILE *writer = fdopen(ends[1], "wb");
    FILE *reader = fdopen(ends[0], "rb");
    assert_non_null(writer);
    assert_non_null(reader);
    sc_error err = {0};
    /* 3x7 floats fit in the pipe's buffer: the write does not wait for the reader. */
    assert_int_equal(sc_matte_write_stream(writer, "pipe", &src, SC_FILE_PFM, &err), SC_OK);
    assert_int_equal(fclose(writer), 0);
    sc_matte back = {0};
    assert_int_equal(sc_matte_read_stream(reader, "pipe", &back, &err), SC_OK);
    assert_int_equal(fgetc(reader), EOF);
    assert_same_matte(&src, &back);
    assert_int_equal(fclose(reader), 0);
    sc_matte_free(&back);
    sc_matte_free(&src);
}

/* A failed read names the source and the problem and leaves out empty. */
static void expect_image_refused(const void *data, size_t size, const char *name, sc_status want,
                                 const char *part)
{
    sc_image img = {.width = 3, .height = 3, .rgb = NULL};
    sc_error err = {0};
    sc_status got = sc_image_read_memory(data, size, name, &img, &err);
    if (got != want)
        fail_msg("%s: status %d, want %d (%s)", name, got, want, err.msg);
    IO_ASSERT_CONTAINS(err.msg, part);
    assert_null(img.rgb);
    assert_int_equal(img.width, 0);
    assert_int_equal(img.height, 0);
}

static void test_bad_buffers_refused(void **state)
{
    (void)state;
    const char garbage[] = "this is not a picture at all";
    expect_image_refused(garbage, sizeof garbage, "notes.txt", SC_ERR_IMAGE,
                         "notes.txt: not a picture");
    expect_image_refused(garbage, 0, "empty.png", SC_ERR_IMAGE, "empty.png: empty");
    expect_image_refused(NULL, 10, "nothing", SC_ERR_INVALID_ARG, "nothing: no input given");
    expect_image_refused(NULL, 10, NULL, SC_ERR_INVALID_ARG, "(memory): no input given");

    sc_image src = pattern_image(4, 4);
    void *png = NULL;
    size_t size = 0;
    sc_error err = {0};
    assert_int_equal(sc_image_encode(&src, SC_FILE_PNG, 0, &png, &size, &err), SC_OK);
    expect_image_refused(png, size / 2, "half.png", SC_ERR_IMAGE, "half.png: truncated PNG");
    sc_buffer_free(png);

    sc_matte m = {2, 2, NULL};
    assert_int_equal(sc_matte_read_memory("Pf\n2 2\n-1.0\n", 12, "cut.pfm", &m, &err),
                     SC_ERR_IMAGE);
    IO_ASSERT_CONTAINS(err.msg, "cut.pfm: ");
    assert_null(m.alpha);
    assert_int_equal(m.width, 0);
    sc_image_free(&src);
}

static void test_bad_encodes_refused(void **state)
{
    (void)state;
    sc_image img = pattern_image(2, 2);
    sc_matte matte = pattern_matte(2, 2);
    sc_error err = {0};
    void *data = &err;
    size_t size = 99;
    assert_int_equal(sc_image_encode(&img, SC_FILE_PFM, 0, &data, &size, &err),
                     SC_ERR_INVALID_ARG);
    IO_ASSERT_CONTAINS(err.msg, "a picture is written as .png, .jpg, .jpeg, .bmp, .webp");
    IO_ASSERT_CONTAINS(err.msg, "not PFM");
    assert_null(data);
    assert_int_equal(size, 0);
    assert_int_equal(sc_image_encode(&img, SC_FILE_JPEG, 0, &data, &size, &err),
                     SC_ERR_INVALID_ARG);
    IO_ASSERT_CONTAINS(err.msg, "JPEG quality 0 is not in 1..100");
    assert_int_equal(sc_matte_encode(&matte, SC_FILE_JPEG, &data, &size, &err),
                     SC_ERR_INVALID_ARG);
    IO_ASSERT_CONTAINS(err.msg, "a matte is written as PNG or PFM, not JPEG");
    sc_image empty = {0};
    assert_int_equal(sc_image_encode(&empty, SC_FILE_PNG, 0, &data, &size, &err),
                     SC_ERR_INVALID_ARG);
    IO_ASSERT_CONTAINS(err.msg, "no picture to write");
    assert_int_equal(sc_image_write_stream(NULL, "nowhere", &img, SC_FILE_PNG, 0, &err),
                     SC_ERR_INVALID_ARG);
    IO_ASSERT_CONTAINS(err.msg, "nowhere: no stream given");
    sc_image_free(&img);
    sc_matte_free(&matte);
}

static void test_stream_errors_named(void **state)
{
    (void)state;
    sc_matte matte = pattern_matte(64, 64);
    FILE *full = fopen("/dev/full", "wb");
    if (full) {
        sc_error err = {0};
        assert_int_equal(sc_matte_write_stream(full, "standard output", &matte, SC_FILE_PNG, &err),
                         SC_ERR_IO);
        IO_ASSERT_CONTAINS(err.msg, "standard output: write error (No space left on device)");
        fclose(full);
    }
    FILE *empty = tmpfile();
    assert_non_null(empty);
    sc_matte back = {0};
    sc_error err = {0};
    assert_int_equal(sc_matte_read_stream(empty, NULL, &back, &err), SC_ERR_IMAGE);
    IO_ASSERT_CONTAINS(err.msg, "(stream): empty");
    assert_null(back.alpha);
    fclose(empty);
    sc_matte_free(&matte);
}

/* A stream whose picture states more pixels than allowed is refused from its
 * first bytes: the rest of the stream is not read. */
static void test_huge_stream_refused_early(void **state)
{
    (void)state;
    uint8_t one_pixel[3] = {0};
    size_t size;
    uint8_t *png = io_png_bytes(1, 1, 8, 2, one_pixel, &size);
    const uint8_t big[8] = {0, 0, 0x4e, 0x20, 0, 0, 0x4e, 0x20}; /* IHDR: 20000x20000 */
    memcpy(png + 16, big, 8);
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(fwrite(png, 1, size, f), size);
    static const uint8_t filler[64 * 1024];
    for (int i = 0; i < 16; i++)
        assert_int_equal(fwrite(filler, 1, sizeof filler, f), sizeof filler);
    rewind(f);
    sc_image img = {0};
    sc_error err = {0};
    assert_int_equal(sc_image_read_stream(f, "huge.png", &img, &err), SC_ERR_IMAGE);
    IO_ASSERT_CONTAINS(err.msg, "huge.png: 20000x20000 pixels is more than the limit");
    assert_true(ftell(f) <= SC_PICTURE_HEAD_BYTES);
    fclose(f);
    free(png);
}

static void test_timings_filled(void **state)
{
    (void)state;
    sc_timings *t = sc_timings_thread();
    *t = (sc_timings){0};
    sc_image img = pattern_image(64, 64);
    void *png = NULL;
    size_t size = 0;
    sc_error err = {0};
    assert_int_equal(sc_image_encode(&img, SC_FILE_PNG, 0, &png, &size, &err), SC_OK);
    assert_true(t->encode > 0);
    assert_true(t->decode == 0);
    double one_encode = t->encode;
    sc_image back = {0};
    assert_int_equal(sc_image_read_memory(png, size, "png", &back, &err), SC_OK);
    assert_true(t->decode > 0);
    assert_true(t->encode == one_encode);
    /* Stages add up over calls. */
    double one_decode = t->decode;
    sc_image_free(&back);
    assert_int_equal(sc_image_read_memory(png, size, "png", &back, &err), SC_OK);
    assert_true(t->decode > one_decode);
    assert_true(t->coarse == 0 && t->refine == 0 && t->matte_other == 0 && t->blend == 0);
    sc_image_free(&back);
    sc_buffer_free(png);
    sc_image_free(&img);
}

static void test_monotonic_seconds_advance(void **state)
{
    (void)state;
    double first = sc_monotonic_seconds();
    double later = sc_monotonic_seconds();
    assert_true(first > 0);
    assert_true(later >= first);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_buffer_round_trip),
        cmocka_unit_test(test_matte_buffer_round_trip),
        cmocka_unit_test(test_image_stream_round_trip),
        cmocka_unit_test(test_matte_stream_round_trip),
        cmocka_unit_test(test_bad_buffers_refused),
        cmocka_unit_test(test_bad_encodes_refused),
        cmocka_unit_test(test_stream_errors_named),
        cmocka_unit_test(test_huge_stream_refused_early),
        cmocka_unit_test(test_timings_filled),
        cmocka_unit_test(test_monotonic_seconds_advance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
