/* The PNG writer: pixels survive a round trip through stb_image, the bytes
 * do not depend on the thread count, the filters give the values of the PNG
 * specification, and metadata lands right after IHDR. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <stb_image.h>
#include <zlib.h>

#include "core/parallel.h"
#include "io/encode.h"
#include "io/png_write.h"

enum { SIGNATURE_AND_IHDR = 33 };

typedef struct encoded {
    char *data;
    size_t size;
} encoded;

static uint32_t next_random(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

/* smooth: gradients, as in a photo's sky, which the predicting filters win;
 * otherwise noise, which None wins. */
static uint8_t *make_pixels(int width, int height, int channels, int smooth, uint32_t seed)
{
    size_t n = (size_t)width * (size_t)height * (size_t)channels;
    uint8_t *pixels = malloc(n ? n : 1);
    assert_non_null(pixels);
    for (size_t i = 0; i < n; i++) {
        size_t pixel = i / (size_t)channels, x = pixel % (size_t)width, y = pixel / (size_t)width;
        pixels[i] = smooth ? (uint8_t)(x / 3 + y / 2 + (i % (size_t)channels) * 40 +
                                       next_random(&seed) % 3)
                           : (uint8_t)next_random(&seed);
    }
    return pixels;
}

static encoded encode(const uint8_t *pixels, int width, int height, int channels,
                      const sc_encode_insert *insert)
{
    encoded out = {NULL, 0};
    FILE *f = open_memstream(&out.data, &out.size);
    assert_non_null(f);
    sc_error err = {0};
    sc_status status = sc_encode_png(f, pixels, width, height, channels, insert, "test", &err);
    assert_int_equal(fclose(f), 0);
    if (status != SC_OK)
        fail_msg("%s", err.msg);
    return out;
}

static void assert_round_trip(int width, int height, int channels, int smooth)
{
    uint8_t *pixels = make_pixels(width, height, channels, smooth, (uint32_t)(width * 31 + height));
    encoded png = encode(pixels, width, height, channels, NULL);
    int w, h, c;
    uint8_t *back = stbi_load_from_memory((const uint8_t *)png.data, (int)png.size, &w, &h, &c, 0);
    if (!back)
        fail_msg("%dx%dx%d: stb_image refused the file: %s", width, height, channels,
                 stbi_failure_reason());
    assert_int_equal(w, width);
    assert_int_equal(h, height);
    assert_int_equal(c, channels);
    assert_memory_equal(back, pixels, (size_t)width * (size_t)height * (size_t)channels);
    stbi_image_free(back);
    free(png.data);
    free(pixels);
}

/* A picture of several bands, whatever the band height. */
static int rows_of_bands(int width, int channels, int bands)
{
    size_t rows = sc_png_band_rows((size_t)width * (size_t)channels + 1);
    return (int)rows * bands + 5;
}

static void test_round_trips(void **state)
{
    (void)state;
    const int sizes[][2] = {{1, 1}, {3, 1}, {1, 5}, {257, 131}, {40, 0}};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (int channels = 1; channels <= 3; channels += 2)
            for (int smooth = 0; smooth < 2; smooth++) {
                int width = sizes[s][0];
                int height = sizes[s][1] ? sizes[s][1] : rows_of_bands(width, channels, 3);
                assert_round_trip(width, height, channels, smooth);
            }
}

static size_t big_endian(const uint8_t *p)
{
    return (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
}

static int count_chunks(const encoded *png, const char *type)
{
    int count = 0;
    for (size_t at = 8; at + 12 <= png->size;) {
        const uint8_t *p = (const uint8_t *)png->data + at;
        size_t length = big_endian(p);
        count += !memcmp(p + 4, type, 4);
        at += 12 + length;
    }
    return count;
}

/* stb_image checks neither CRCs nor the Adler-32: zlib does, here. */
static void test_checksums_valid(void **state)
{
    (void)state;
    int width = 123, height = rows_of_bands(width, 3, 3);
    uint8_t *pixels = make_pixels(width, height, 3, 1, 11);
    encoded png = encode(pixels, width, height, 3, NULL);
    uint8_t *stream = malloc(png.size);
    assert_non_null(stream);
    size_t stream_size = 0;
    for (size_t at = 8; at + 12 <= png.size;) {
        const uint8_t *p = (const uint8_t *)png.data + at;
        size_t length = big_endian(p);
        assert_true(at + 12 + length <= png.size);
        assert_int_equal(crc32(0, p + 4, (uInt)(4 + length)), big_endian(p + 8 + length));
        if (!memcmp(p + 4, "IDAT", 4)) {
            memcpy(stream + stream_size, p + 8, length);
            stream_size += length;
        }
        at += 12 + length;
    }
    size_t filtered_size = (size_t)height * ((size_t)width * 3 + 1);
    uLongf inflated_size = (uLongf)filtered_size + 1;
    uint8_t *inflated = malloc(inflated_size);
    assert_non_null(inflated);
    assert_int_equal(uncompress(inflated, &inflated_size, stream, (uLong)stream_size), Z_OK);
    assert_int_equal(inflated_size, filtered_size);
    free(inflated);
    free(stream);
    free(png.data);
    free(pixels);
}

static void test_same_bytes_for_any_thread_count(void **state)
{
    (void)state;
    for (int channels = 1; channels <= 3; channels += 2) {
        int width = 300, height = rows_of_bands(width, channels, 4);
        uint8_t *pixels = make_pixels(width, height, channels, 1, 7);
        encoded first = {NULL, 0};
        for (int threads = 1; threads <= 3; threads++) {
            int before = sc_set_threads(threads);
            encoded png = encode(pixels, width, height, channels, NULL);
            sc_set_threads(before);
            if (threads == 1) {
                assert_int_equal(count_chunks(&png, "IDAT"), 5);
                first = png;
                continue;
            }
            assert_int_equal(png.size, first.size);
            assert_memory_equal(png.data, first.data, first.size);
            free(png.data);
        }
        free(first.data);
        free(pixels);
    }
}

static void assert_filtered(int type, const uint8_t *row, const uint8_t *prev, size_t bpp,
                            size_t n, const uint8_t *expected)
{
    uint8_t out[16];
    sc_png_filter_row(type, row, prev, bpp, n, out);
    assert_memory_equal(out, expected, n);
}

static void test_filters_by_hand(void **state)
{
    (void)state;
    const uint8_t prev[] = {10, 20, 30, 40}, row[] = {12, 25, 28, 50};
    assert_filtered(SC_PNG_NONE, row, prev, 1, 4, (const uint8_t[]){12, 25, 28, 50});
    assert_filtered(SC_PNG_SUB, row, prev, 1, 4, (const uint8_t[]){12, 13, 3, 22});
    assert_filtered(SC_PNG_UP, row, prev, 1, 4, (const uint8_t[]){2, 5, 254, 10});
    /* (left + up) / 2 rounded down: 5, 16, 27, 34 */
    assert_filtered(SC_PNG_AVERAGE, row, prev, 1, 4, (const uint8_t[]){7, 9, 1, 16});
    assert_filtered(SC_PNG_PAETH, row, prev, 1, 4, (const uint8_t[]){2, 5, 254, 10});

    /* Three bytes a pixel: the first pixel's left neighbour is zero. */
    const uint8_t zeros[6] = {0}, rgb[] = {1, 2, 3, 4, 6, 9};
    assert_filtered(SC_PNG_SUB, rgb, zeros, 3, 6, (const uint8_t[]){1, 2, 3, 3, 4, 6});
    assert_filtered(SC_PNG_AVERAGE, rgb, zeros, 3, 6, (const uint8_t[]){1, 2, 3, 4, 5, 8});
    assert_filtered(SC_PNG_PAETH, rgb, zeros, 3, 6, (const uint8_t[]){1, 2, 3, 3, 4, 6});
}

/* The Paeth predictor of the second byte: left a, up b, up-left c. */
static uint8_t paeth_of(uint8_t a, uint8_t b, uint8_t c)
{
    const uint8_t row[] = {a, 100}, prev[] = {c, b};
    uint8_t out[2];
    sc_png_filter_row(SC_PNG_PAETH, row, prev, 1, 2, out);
    return (uint8_t)(100 - out[1]);
}

static void test_paeth_ties(void **state)
{
    (void)state;
    assert_int_equal(paeth_of(5, 5, 5), 5);    /* all equal */
    assert_int_equal(paeth_of(14, 23, 20), 14); /* |p-a| = |p-c| = 3 < |p-b|: left */
    assert_int_equal(paeth_of(23, 14, 20), 14); /* |p-b| = |p-c| = 3 < |p-a|: up */
    assert_int_equal(paeth_of(10, 20, 15), 15); /* p = c: up-left */
    assert_int_equal(paeth_of(200, 10, 0), 200); /* p = 210, nearest the left */
}

static uint64_t plain_cost(const uint8_t *bytes, size_t n)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += (uint64_t)abs((int)(int8_t)bytes[i]);
    return sum;
}

/* The plain twin of the filter choice: every type's output and cost, then
 * the first of the cheapest. */
static void plain_best(const uint8_t *row, const uint8_t *prev, size_t bpp, size_t n, uint8_t *out)
{
    uint8_t *trials = malloc(SC_PNG_FILTERS * n);
    assert_non_null(trials);
    uint64_t costs[SC_PNG_FILTERS];
    for (int type = 0; type < SC_PNG_FILTERS; type++) {
        sc_png_filter_row(type, row, prev, bpp, n, trials + (size_t)type * n);
        costs[type] = plain_cost(trials + (size_t)type * n, n);
    }
    int best = 0;
    for (int type = 1; type < SC_PNG_FILTERS; type++)
        best = costs[type] < costs[best] ? type : best;
    out[0] = (uint8_t)best;
    memcpy(out + 1, trials + (size_t)best * n, n);
    free(trials);
}

static void test_filter_choice_matches_plain_twin(void **state)
{
    (void)state;
    enum { MAX_BYTES = 3 * 97 };
    uint8_t row[MAX_BYTES], prev[MAX_BYTES], scratch[MAX_BYTES];
    uint8_t got[MAX_BYTES + 1], want[MAX_BYTES + 1];
    uint32_t seed = 12345;
    int chosen[SC_PNG_FILTERS] = {0};
    for (int trial = 0; trial < 2000; trial++) {
        size_t bpp = trial % 2 ? 3 : 1, n = bpp * (1 + next_random(&seed) % 97);
        int spread = 1 + (int)(next_random(&seed) % 256);
        for (size_t i = 0; i < n; i++) {
            prev[i] = (uint8_t)(next_random(&seed) % (uint32_t)spread + i);
            row[i] = (uint8_t)(prev[i] + next_random(&seed) % (uint32_t)spread);
        }
        sc_png_filter_best(row, prev, bpp, n, scratch, got);
        plain_best(row, prev, bpp, n, want);
        assert_memory_equal(got, want, n + 1);
        chosen[got[0]]++;
    }
    /* The rows are varied enough for each type to win some. */
    for (int type = 0; type < SC_PNG_FILTERS; type++)
        assert_true(chosen[type] > 0);
    /* On a tie the lowest type: a flat row costs nothing under every filter. */
    memset(row, 0, sizeof row);
    sc_png_filter_best(row, row, 3, 30, scratch, got);
    assert_int_equal(got[0], SC_PNG_NONE);
}

static void test_insert_follows_ihdr(void **state)
{
    (void)state;
    /* A tEXt chunk, a valid one so that decoders read on past it. */
    uint8_t chunk[12 + 9] = {0,   0,   0,   9,   't', 'E', 'X', 't', 'C',
                             'o', 'm', 'm', 'e', 'n', 't', 0,   'x'};
    uLong crc = crc32(0, chunk + 4, 4 + 9);
    for (int i = 0; i < 4; i++)
        chunk[12 + 9 - 4 + i] = (uint8_t)(crc >> (24 - 8 * i));
    sc_encode_insert insert = {chunk, sizeof chunk, SIGNATURE_AND_IHDR};
    int width = 500, height = rows_of_bands(width, 3, 2);
    uint8_t *pixels = make_pixels(width, height, 3, 1, 3);
    encoded plain = encode(pixels, width, height, 3, NULL);
    encoded with = encode(pixels, width, height, 3, &insert);
    assert_int_equal(with.size, plain.size + sizeof chunk);
    assert_memory_equal(with.data, plain.data, SIGNATURE_AND_IHDR);
    assert_memory_equal(with.data + SIGNATURE_AND_IHDR, chunk, sizeof chunk);
    assert_memory_equal(with.data + SIGNATURE_AND_IHDR + sizeof chunk,
                        plain.data + SIGNATURE_AND_IHDR, plain.size - SIGNATURE_AND_IHDR);
    int w, h, c;
    uint8_t *back =
        stbi_load_from_memory((const uint8_t *)with.data, (int)with.size, &w, &h, &c, 0);
    assert_non_null(back);
    assert_memory_equal(back, pixels, (size_t)width * (size_t)height * 3);
    stbi_image_free(back);
    free(plain.data);
    free(with.data);
    free(pixels);
}

/* Sizes whose rows or whole overflow are refused before any pixel is read. */
static void test_impossible_sizes_refused(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    sc_error err = {0};
    assert_int_equal(sc_encode_png(f, NULL, INT_MAX, INT_MAX, 3, NULL, "huge", &err),
                     SC_ERR_NO_MEMORY);
    assert_string_equal(err.msg, "huge: cannot encode PNG (out of memory)");
    assert_int_equal(sc_encode_png(f, NULL, 0, 5, 3, NULL, "empty", &err), SC_ERR_NO_MEMORY);
    assert_int_equal(ftell(f), 0);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_checksums_valid),
        cmocka_unit_test(test_same_bytes_for_any_thread_count),
        cmocka_unit_test(test_filters_by_hand),
        cmocka_unit_test(test_paeth_ties),
        cmocka_unit_test(test_filter_choice_matches_plain_twin),
        cmocka_unit_test(test_insert_follows_ihdr),
        cmocka_unit_test(test_impossible_sizes_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
