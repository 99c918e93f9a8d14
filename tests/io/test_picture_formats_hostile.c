/*
 * Hostile WebP, TIFF and HEIF files: cut short, wrong inside their magic,
 * stating huge sizes, damaged. Each is refused with one line naming the
 * file (or decodes to a picture of the stated size), never a crash; a huge
 * size is refused from the header's bytes alone, before anything is read or
 * allocated for the pixels.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io/helper_formats.h"
#include "io/helper_io.h"
#include "io/picture_decode.h"
#include "skychange.h"

typedef struct sample {
    const char *name;
    uint8_t *data;
    size_t size;
} sample;

/* A small file of each kind the library reads through libwebp, libtiff, libheif. */
static int make_samples(sample *s)
{
    sc_image img = fmt_pattern(40, 24);
    int n = 0;
    s[n].name = "lossless.webp";
    s[n].data = fmt_encode(&img, SC_FILE_WEBP, 100, &s[n].size);
    n++;
    s[n].name = "lossy.webp";
    s[n].data = fmt_encode(&img, SC_FILE_WEBP, 80, &s[n].size);
    n++;
    s[n].name = "deflate.tif";
    s[n].data = fmt_encode(&img, SC_FILE_TIFF, 0, &s[n].size);
    n++;
    uint16_t grey[40 * 24];
    for (int i = 0; i < 40 * 24; i++)
        grey[i] = (uint16_t)(i * 61);
    s[n].name = "tiled16.tif";
    s[n].data = fmt_tiff(40, 24, 16, 1, 0, 1, grey, &s[n].size);
    n++;
    s[n].name = "palette.tif";
    s[n].data = fmt_tiff_palette(40, 24, 0, &s[n].size);
    n++;
    s[n].name = "photo.heic";
    s[n].data = fmt_heic(&img, 1, 0, NULL, 0, &s[n].size);
    n += s[n].data != NULL;
    sc_image_free(&img);
    return n;
}

static void free_samples(sample *s, int n)
{
    for (int i = 0; i < n; i++)
        free(s[i].data);
}

/* SC_ERR_IMAGE with one line naming the file, and no picture. */
static void expect_refused(const void *data, size_t size, const char *name, const char *part)
{
    sc_image img = {0};
    sc_error err = {0};
    sc_status status = sc_image_read_memory(data, size, name, &img, &err);
    if (status != SC_ERR_IMAGE)
        fail_msg("%s: status %d, message '%s'", name, (int)status, err.msg);
    assert_null(img.rgb);
    assert_null(img.exif);
    assert_true(strncmp(err.msg, name, strlen(name)) == 0);
    assert_null(strchr(err.msg, '\n'));
    if (part)
        IO_ASSERT_CONTAINS(err.msg, part);
}

static void truncated_files_are_refused(void **state)
{
    (void)state;
    sample s[6];
    int n = make_samples(s);
    for (int i = 0; i < n; i++) {
        /* from the first bytes to all but the last one */
        const size_t cuts[] = {4, 12, 30, s[i].size / 3, s[i].size / 2, s[i].size - 1};
        for (size_t c = 0; c < sizeof cuts / sizeof *cuts; c++) {
            char name[64];
            snprintf(name, sizeof name, "%s cut at %zu", s[i].name, cuts[c]);
            expect_refused(s[i].data, cuts[c], name, NULL);
        }
    }
    free_samples(s, n);
}

/* The magic bytes of the format, then nonsense. */
static void wrong_insides_are_refused(void **state)
{
    (void)state;
    uint8_t junk[200];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (uint8_t)(i * 73 + 11);
    memcpy(junk, "RIFF\xc0\0\0\0WEBPVP8 ", 16);
    expect_refused(junk, sizeof junk, "junk.webp", "junk.webp: ");
    memcpy(junk, "II*\0\x08\0\0\0", 8);
    expect_refused(junk, sizeof junk, "junk.tif", "TIFF");
    memcpy(junk, "MM\0*\0\0\0\x08\0\0", 10); /* a directory of no entries */
    expect_refused(junk, sizeof junk, "empty.tif", "TIFF");
    memcpy(junk, "\0\0\0\x18" "ftypheic\0\0\0\0mif1heic", 24);
    memcpy(junk + 24, "\0\0\0\xb0junk", 8);
    expect_refused(junk, sizeof junk, "junk.heic", "HEIF");
}

/* A header stating more pixels than allowed is refused from its first bytes,
 * the same way whether they come alone or with the whole file. */
static void expect_huge(const uint8_t *head, size_t size, const char *name, const char *stated)
{
    sc_error err = {0};
    assert_int_equal(sc_picture_check_head(head, size, name, &err), SC_ERR_IMAGE);
    IO_ASSERT_CONTAINS(err.msg, stated);
    IO_ASSERT_CONTAINS(err.msg, "pixels is more than the limit");
    expect_refused(head, size, name, stated);
}

/* A TIFF stating 200000 x 200000 grey pixels in one strip of one byte. */
static void huge_tiff(uint8_t tiff[80], int big_endian)
{
    static const uint16_t fields[5][3] = {
        {256, 4, 0}, {257, 4, 0}, {262, 3, 1}, {273, 4, 8}, {279, 4, 1}}; /* tag, type, value */
    memset(tiff, 0, 80);
    size_t n = 0;
#define PUT(v, bytes)                                                                          \
    for (int b_ = 0; b_ < (bytes); b_++)                                                      \
        tiff[n++] = (uint8_t)((uint32_t)(v) >> (8 * (big_endian ? (bytes) - 1 - b_ : b_)));
    memcpy(tiff, big_endian ? "MM\0*" : "II*\0", 4);
    n = 4;
    PUT(8, 4);
    PUT(5, 2);
    for (int i = 0; i < 5; i++) {
        PUT(fields[i][0], 2);
        PUT(fields[i][1], 2);
        PUT(1, 4);
        uint32_t value = i < 2 ? 200000 : fields[i][2];
        if (fields[i][1] == 3) { /* a SHORT sits in the first two bytes of the field */
            PUT(value, 2);
            PUT(0, 2);
        } else {
            PUT(value, 4);
        }
    }
    PUT(0, 4); /* no next directory */
#undef PUT
}

static void huge_sizes_are_refused_from_the_header(void **state)
{
    (void)state;
    /* lossless WebP: 14-bit width - 1 and height - 1 after the 0x2f signature */
    uint8_t webp[64] = "RIFF\x38\0\0\0WEBPVP8L\x2c\0\0\0\x2f";
    uint32_t bits = (16383 - 1) | (uint32_t)(16383 - 1) << 14;
    for (int i = 0; i < 4; i++)
        webp[21 + i] = (uint8_t)(bits >> (8 * i));
    expect_huge(webp, sizeof webp, "huge.webp", "16383x16383");

    uint8_t tiff[80];
    huge_tiff(tiff, 0);
    expect_huge(tiff, sizeof tiff, "huge.tif", "200000x200000");
    huge_tiff(tiff, 1);
    expect_huge(tiff, sizeof tiff, "huge-mm.tif", "200000x200000");

    /* HEIC: the image size box of a real file rewritten to 20000 x 20000 */
    sc_image img = fmt_pattern(64, 64);
    size_t size;
    uint8_t *heic = fmt_heic(&img, 1, 0, NULL, 0, &size);
    sc_image_free(&img);
    if (!heic)
        return;
    int patched = 0;
    for (size_t i = 0; i + 16 <= size; i++)
        if (memcmp(heic + i, "ispe", 4) == 0) {
            const uint8_t big[8] = {0, 0, 0x4e, 0x20, 0, 0, 0x4e, 0x20};
            memcpy(heic + i + 8, big, 8); /* after version and flags */
            patched++;
        }
    assert_true(patched >= 1);
    expect_huge(heic, size, "huge.heic", "20000x20000");
    free(heic);
}

/* A file stating a huge size, followed by 4 MiB: the stream reader stops at
 * its header. */
static void huge_stream_is_not_read_in_full(void **state)
{
    (void)state;
    uint8_t tiff[80];
    huge_tiff(tiff, 1);
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(fwrite(tiff, 1, sizeof tiff, f), sizeof tiff);
    static const uint8_t filler[64 * 1024];
    for (int i = 0; i < 64; i++)
        assert_int_equal(fwrite(filler, 1, sizeof filler, f), sizeof filler);
    rewind(f);
    sc_image img = {0};
    sc_error err = {0};
    assert_int_equal(sc_image_read_stream(f, "huge-stream.tif", &img, &err), SC_ERR_IMAGE);
    IO_ASSERT_CONTAINS(err.msg, "huge-stream.tif: 200000x200000 pixels is more than the limit");
    assert_true(ftell(f) <= SC_PICTURE_HEAD_BYTES);
    fclose(f);
}

/* Every 29th byte damaged in turn: a picture of the stated size or a
 * one-line refusal, under the sanitizers no invalid access or leak. */
static void damaged_files_never_crash(void **state)
{
    (void)state;
    sample s[6];
    int n = make_samples(s);
    for (int i = 0; i < n; i++) {
        int refused = 0, decoded = 0;
        for (size_t at = 0; at < s[i].size; at += 29) {
            s[i].data[at] ^= 0x5a;
            sc_image img = {0};
            sc_error err = {0};
            sc_status status = sc_image_read_memory(s[i].data, s[i].size, s[i].name, &img, &err);
            if (status == SC_OK) {
                assert_true(img.width > 0 && img.height > 0 && img.rgb);
                decoded++;
            } else {
                assert_true(status == SC_ERR_IMAGE || status == SC_ERR_NO_MEMORY);
                assert_true(strncmp(err.msg, s[i].name, strlen(s[i].name)) == 0);
                assert_null(strchr(err.msg, '\n'));
                assert_null(img.rgb);
                refused++;
            }
            sc_image_free(&img);
            s[i].data[at] ^= 0x5a;
        }
        print_message("%s (%zu bytes): %d damaged copies refused, %d decoded\n", s[i].name,
                      s[i].size, refused, decoded);
        assert_true(refused > 0);
    }
    free_samples(s, n);
}

/* A damaged file given by path: the error names it, and a result that was
 * to be written from it is never started. */
static void damaged_file_by_path(void **state)
{
    (void)state;
    sample s[6];
    int n = make_samples(s);
    char *dir = io_tempdir();
    for (int i = 0; i < n; i++) {
        char *path = io_join(dir, s[i].name);
        assert_int_equal(io_write_bytes(path, s[i].data, s[i].size / 2), 0);
        sc_image img = {0};
        sc_error err = {0};
        assert_int_equal(sc_image_read(path, &img, &err), SC_ERR_IMAGE);
        IO_ASSERT_CONTAINS(err.msg, path);
        assert_null(strchr(err.msg, '\n'));
        free(path);
    }
    assert_int_equal(io_count_entries(dir), n);
    io_rmtree(dir);
    free(dir);
    free_samples(s, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(truncated_files_are_refused),
        cmocka_unit_test(wrong_insides_are_refused),
        cmocka_unit_test(huge_sizes_are_refused_from_the_header),
        cmocka_unit_test(huge_stream_is_not_read_in_full),
        cmocka_unit_test(damaged_files_never_crash),
        cmocka_unit_test(damaged_file_by_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
