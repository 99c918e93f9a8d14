/*
 * A scene's EXIF and ICC profile through decode and encode: the JPEG is made
 * here (libexif for the tags, a hand-made profile), and the results are read
 * back by libexif and by walking their segments and chunks, not only by our
 * own reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libexif/exif-data.h>
#include <stb_image_write.h>
#include <zlib.h>

#include "io/helper_formats.h"
#include "io/helper_io.h"
#include "skychange.h"

enum { W = 16, H = 8, ICC_SMALL = 300 };
static const char k_make[] = "TestMake", k_model[] = "TestModel 1";
static const char k_date[] = "2024:05:06 07:08:09";

static void put_ascii(ExifData *d, ExifIfd ifd, ExifTag tag, const char *value)
{
    ExifEntry *e = exif_entry_new();
    assert_non_null(e);
    e->tag = tag;
    e->format = EXIF_FORMAT_ASCII;
    e->components = strlen(value) + 1;
    e->size = (unsigned)e->components;
    e->data = malloc(e->size);
    assert_non_null(e->data);
    memcpy(e->data, value, e->size);
    exif_content_add_entry(d->ifd[ifd], e);
    exif_entry_unref(e);
}

/* "Exif\0\0" and a TIFF structure: camera, date, orientation 6, a thumbnail. */
static unsigned char *make_exif(unsigned *size)
{
    ExifData *d = exif_data_new();
    assert_non_null(d);
    exif_data_set_byte_order(d, EXIF_BYTE_ORDER_MOTOROLA);
    put_ascii(d, EXIF_IFD_0, EXIF_TAG_MAKE, k_make);
    put_ascii(d, EXIF_IFD_0, EXIF_TAG_MODEL, k_model);
    put_ascii(d, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, k_date);
    ExifEntry *o = exif_entry_new();
    assert_non_null(o);
    exif_content_add_entry(d->ifd[EXIF_IFD_0], o);
    exif_entry_initialize(o, EXIF_TAG_ORIENTATION);
    exif_set_short(o->data, EXIF_BYTE_ORDER_MOTOROLA, 6);
    exif_entry_unref(o);
    d->size = 64;
    d->data = calloc(1, d->size); /* freed by libexif's default allocator */
    assert_non_null(d->data);
    d->data[0] = 0xff;
    d->data[1] = 0xd8;
    unsigned char *bytes = NULL;
    exif_data_save_data(d, &bytes, size);
    exif_data_unref(d);
    assert_non_null(bytes);
    return bytes;
}

static void append(io_mem_sink *s, const void *bytes, size_t n)
{
    if (n) /* a segment without a head passes NULL, which memcpy may not get */
        io_mem_sink_append(s, (void *)bytes, (int)n);
}

static void append_segment(io_mem_sink *s, uint8_t marker, const void *head, size_t head_size,
                           const void *body, size_t body_size)
{
    size_t length = 2 + head_size + body_size;
    uint8_t m[4] = {0xff, marker, (uint8_t)(length >> 8), (uint8_t)length};
    append(s, m, 4);
    append(s, head, head_size);
    append(s, body, body_size);
}

/* ICC chunk seq of count, holding icc[from, to). */
static void append_icc_chunk(io_mem_sink *s, int seq, int count, const uint8_t *icc,
                             size_t from, size_t to)
{
    uint8_t head[14];
    memcpy(head, "ICC_PROFILE", 12);
    head[12] = (uint8_t)seq;
    head[13] = (uint8_t)count;
    append_segment(s, 0xe2, head, sizeof head, icc + from, to - from);
}

/* A W x H JPEG with the EXIF above and icc split in three chunks, of which
 * only those in the mask (bit 0 = chunk 1) are written. */
static io_mem_sink scene_jpeg(const uint8_t *icc, size_t icc_size, unsigned chunk_mask)
{
    uint8_t rgb[W * H * 3];
    for (size_t i = 0; i < sizeof rgb; i++)
        rgb[i] = (uint8_t)(i * 5);
    io_mem_sink plain = {NULL, 0}, s = {NULL, 0};
    assert_true(stbi_write_jpg_to_func(io_mem_sink_append, &plain, W, H, 3, rgb, 90));
    unsigned exif_size;
    unsigned char *exif = make_exif(&exif_size);
    append(&s, plain.data, 2);
    append_segment(&s, 0xe1, NULL, 0, exif, exif_size);
    size_t cut[4] = {0, icc_size / 3, icc_size * 2 / 3, icc_size};
    for (int i = 0; i < 3; i++)
        if (chunk_mask >> i & 1)
            append_icc_chunk(&s, i + 1, 3, icc, cut[i], cut[i + 1]);
    append(&s, plain.data + 2, plain.size - 2);
    free(exif);
    free(plain.data);
    return s;
}

static void check_tag(ExifData *d, ExifIfd ifd, ExifTag tag, const char *want)
{
    ExifEntry *e = exif_content_get_entry(d->ifd[ifd], tag);
    assert_non_null(e);
    assert_int_equal(e->size, strlen(want) + 1);
    assert_memory_equal(e->data, want, e->size);
}

/* The camera, the date, orientation 1 and no thumbnail, in an APP1 payload
 * ("Exif\0\0" first) or a whole JPEG, as libexif reads them. */
static void check_exif(const uint8_t *data, size_t size)
{
    ExifData *d = exif_data_new_from_data(data, (unsigned)size);
    assert_non_null(d);
    check_tag(d, EXIF_IFD_0, EXIF_TAG_MAKE, k_make);
    check_tag(d, EXIF_IFD_0, EXIF_TAG_MODEL, k_model);
    check_tag(d, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, k_date);
    ExifEntry *o = exif_content_get_entry(d->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
    assert_non_null(o);
    assert_int_equal(exif_get_short(o->data, exif_data_get_byte_order(d)), 1);
    assert_null(d->data);
    assert_int_equal(d->ifd[EXIF_IFD_1]->count, 0);
    exif_data_unref(d);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The data of a PNG's first chunk of type, after checking its CRC. */
static const uint8_t *png_chunk(const uint8_t *png, size_t size, const char *type, size_t *n)
{
    for (size_t pos = 8; pos + 12 <= size;) {
        size_t length = be32(png + pos);
        assert_true(length <= size - pos - 12);
        if (memcmp(png + pos + 4, type, 4) == 0) {
            assert_int_equal(crc32(0, png + pos + 4, (uInt)(4 + length)),
                             be32(png + pos + 8 + length));
            *n = length;
            return png + pos + 8;
        }
        if (memcmp(png + pos + 4, "IDAT", 4) == 0)
            break; /* metadata must come before the pixels */
        pos += 12 + length;
    }
    return NULL;
}

static void check_png(const uint8_t *png, size_t size, const uint8_t *icc, size_t icc_size)
{
    size_t n;
    const uint8_t *exif = png_chunk(png, size, "eXIf", &n);
    assert_non_null(exif);
    uint8_t *payload = malloc(6 + n);
    assert_non_null(payload);
    memcpy(payload, "Exif\0\0", 6);
    memcpy(payload + 6, exif, n);
    check_exif(payload, 6 + n);
    free(payload);
    const uint8_t *iccp = png_chunk(png, size, "iCCP", &n);
    assert_non_null(iccp);
    const uint8_t *z = memchr(iccp, 0, n);
    assert_non_null(z);
    assert_int_equal(z[1], 0); /* zlib */
    uLongf got = icc_size;
    uint8_t *back = malloc(icc_size);
    assert_non_null(back);
    assert_int_equal(uncompress(back, &got, z + 2, (uLong)(n - (size_t)(z + 2 - iccp))), Z_OK);
    assert_int_equal(got, icc_size);
    assert_memory_equal(back, icc, icc_size);
    free(back);
}

/* Our reader on an encoded result: the pixels' picture and the same profile. */
static void check_read_back(const void *data, size_t size, const uint8_t *icc, size_t icc_size)
{
    sc_image img = {0};
    assert_int_equal(sc_image_read_memory(data, size, NULL, &img, NULL), SC_OK);
    assert_int_equal(img.width, H); /* orientation 6 was applied once, not twice */
    assert_int_equal(img.icc_size, icc_size);
    assert_memory_equal(img.icc, icc, icc_size);
    assert_non_null(img.exif);
    sc_image_free(&img);
}

static void metadata_survives_jpeg_and_png(void **state)
{
    (void)state;
    uint8_t *icc = fmt_icc(ICC_SMALL);
    io_mem_sink scene = scene_jpeg(icc, ICC_SMALL, 7);
    sc_image img = {0};
    assert_int_equal(sc_image_read_memory(scene.data, scene.size, "scene", &img, NULL), SC_OK);
    assert_int_equal(img.width, H);
    assert_int_equal(img.height, W);
    assert_int_equal(img.icc_size, ICC_SMALL);
    assert_memory_equal(img.icc, icc, ICC_SMALL);

    void *jpeg = NULL, *png = NULL;
    size_t jpeg_size = 0, png_size = 0;
    assert_int_equal(sc_image_encode(&img, SC_FILE_JPEG, 90, &jpeg, &jpeg_size, NULL), SC_OK);
    check_exif(jpeg, jpeg_size);
    check_read_back(jpeg, jpeg_size, icc, ICC_SMALL);
    assert_int_equal(sc_image_encode(&img, SC_FILE_PNG, 0, &png, &png_size, NULL), SC_OK);
    check_png(png, png_size, icc, ICC_SMALL);
    check_read_back(png, png_size, icc, ICC_SMALL);

    /* The result of a sky replacement gets the scene's metadata by copy. */
    sc_image copy = {.width = img.width, .height = img.height, .rgb = img.rgb};
    assert_int_equal(sc_image_copy_metadata(&copy, &img, NULL), SC_OK);
    assert_int_equal(copy.exif_size, img.exif_size);
    assert_memory_equal(copy.exif, img.exif, img.exif_size);
    assert_memory_equal(copy.icc, img.icc, img.icc_size);
    assert_ptr_not_equal(copy.icc, img.icc);
    copy.rgb = NULL; /* img's */
    sc_image_free(&copy);

    sc_buffer_free(jpeg);
    sc_buffer_free(png);
    sc_image_free(&img);
    free(scene.data);
    free(icc);
}

/* A profile larger than one APP2 segment is split and joined again. */
static void large_profile_in_several_segments(void **state)
{
    (void)state;
    enum { BIG = 150000 };
    uint8_t *icc = fmt_icc(BIG);
    io_mem_sink scene = scene_jpeg(icc, BIG, 7);
    sc_image img = {0};
    assert_int_equal(sc_image_read_memory(scene.data, scene.size, "scene", &img, NULL), SC_OK);
    assert_int_equal(img.icc_size, BIG);
    void *jpeg = NULL;
    size_t jpeg_size = 0;
    assert_int_equal(sc_image_encode(&img, SC_FILE_JPEG, 90, &jpeg, &jpeg_size, NULL), SC_OK);
    check_read_back(jpeg, jpeg_size, icc, BIG);
    sc_buffer_free(jpeg);
    sc_image_free(&img);
    free(scene.data);
    free(icc);
}

/* A missing chunk leaves the profile out; the picture and its EXIF still read. */
static void truncated_profile_is_dropped(void **state)
{
    (void)state;
    uint8_t *icc = fmt_icc(ICC_SMALL);
    io_mem_sink scene = scene_jpeg(icc, ICC_SMALL, 5); /* chunks 1 and 3 of 3 */
    sc_image img = {0};
    assert_int_equal(sc_image_read_memory(scene.data, scene.size, "scene", &img, NULL), SC_OK);
    assert_null(img.icc);
    assert_int_equal(img.icc_size, 0);
    assert_non_null(img.exif);
    sc_image_free(&img);
    free(scene.data);
    free(icc);
}

/* Full-size APP1 and APP2 segments of noise read without metadata, no crash. */
static void hostile_segments_are_ignored(void **state)
{
    (void)state;
    uint8_t rgb[W * H * 3] = {0};
    io_mem_sink plain = {NULL, 0}, s = {NULL, 0};
    assert_true(stbi_write_jpg_to_func(io_mem_sink_append, &plain, W, H, 3, rgb, 90));
    enum { MAX_BODY = 65535 - 2 };
    uint8_t *noise = malloc(MAX_BODY);
    assert_non_null(noise);
    for (size_t i = 0; i < MAX_BODY; i++)
        noise[i] = (uint8_t)(i * 131 + 7);
    append(&s, plain.data, 2);
    append_segment(&s, 0xe1, "Exif\0\0", 6, noise, MAX_BODY - 6);
    /* a chunk claiming to be 2 of 1, then one 1 of 1 whose profile lies about its size */
    append_icc_chunk(&s, 2, 1, noise, 0, 1000);
    append_icc_chunk(&s, 1, 1, noise, 0, MAX_BODY - 14);
    append(&s, plain.data + 2, plain.size - 2);
    sc_image img = {0};
    assert_int_equal(sc_image_read_memory(s.data, s.size, "hostile", &img, NULL), SC_OK);
    assert_int_equal(img.width, W);
    assert_null(img.icc);
    sc_image_free(&img);
    free(noise);
    free(plain.data);
    free(s.data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(metadata_survives_jpeg_and_png),
        cmocka_unit_test(large_profile_in_several_segments),
        cmocka_unit_test(truncated_profile_is_dropped),
        cmocka_unit_test(hostile_segments_are_ignored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
