/* sc_distance_sq_u8 against a brute-force search over every set pixel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "imgproc/imgproc.h"

static uint64_t *naive_distances(const uint8_t *m, int w, int h)
{
    uint64_t *want = malloc(sizeof *want * (size_t)w * h);
    assert_non_null(want);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint64_t best = UINT64_MAX;
            for (int v = 0; v < h; v++)
                for (int u = 0; u < w; u++)
                    if (m[(size_t)v * w + u]) {
                        uint64_t d = (uint64_t)((u - x) * (u - x)) + (uint64_t)((v - y) * (v - y));
                        best = d < best ? d : best;
                    }
            want[(size_t)y * w + x] = best;
        }
    return want;
}

/* Exact wherever the true distance is within cap; above cap^2 elsewhere. */
static void check_against(const uint8_t *m, const uint64_t *naive, int w, int h, int cap)
{
    uint32_t *d = malloc(sizeof *d * (size_t)w * h);
    assert_non_null(d);
    assert_int_equal(sc_distance_sq_u8(m, w, h, cap, d), 0);
    uint64_t cap_sq = (uint64_t)cap * cap;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint64_t want = naive[(size_t)y * w + x];
            uint32_t got = d[(size_t)y * w + x];
            if (want <= cap_sq && got != want)
                fail_msg("%dx%d cap %d: (%d,%d) got %u, want %llu", w, h, cap, x, y, got,
                         (unsigned long long)want);
            if (want > cap_sq && got <= cap_sq)
                fail_msg("%dx%d cap %d: (%d,%d) is %llu away, got %u (within cap)", w, h, cap,
                         x, y, (unsigned long long)want, got);
        }
    free(d);
}

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static void random_masks_match_brute_force(void **state)
{
    (void)state;
    const int sizes[][2] = {{1, 1}, {1, 37}, {41, 1}, {7, 5}, {64, 48}, {97, 83}, {300, 220}};
    const int densities[] = {2, 50, 500, 5000}; /* set pixels per 10000 */
    const int caps[] = {3, 12, 40, 1000};
    uint32_t seed = 20261203u;
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        int w = sizes[s][0], h = sizes[s][1];
        uint8_t *m = malloc((size_t)w * h);
        assert_non_null(m);
        for (size_t k = 0; k < sizeof densities / sizeof *densities; k++) {
            if ((long)w * h * densities[k] > 20000L * 500)
                continue; /* the brute force would take minutes */
            for (size_t i = 0; i < (size_t)w * h; i++)
                m[i] = (int)(lcg(&seed) % 10000) < densities[k] ? (uint8_t)(1 + lcg(&seed) % 255)
                                                                 : 0;
            uint64_t *naive = naive_distances(m, w, h);
            for (size_t c = 0; c < sizeof caps / sizeof *caps; c++)
                check_against(m, naive, w, h, caps[c]);
            free(naive);
        }
        free(m);
    }
}

static void empty_full_and_single_pixel_masks(void **state)
{
    (void)state;
    int w = 150, h = 90;
    uint8_t *m = calloc((size_t)w * h, 1);
    assert_non_null(m);
    uint64_t *naive = naive_distances(m, w, h);
    check_against(m, naive, w, h, 50); /* nothing set: everything is far */
    free(naive);
    m[(size_t)45 * w + 149] = 1;
    naive = naive_distances(m, w, h);
    check_against(m, naive, w, h, 200);
    free(naive);
    for (size_t i = 0; i < (size_t)w * h; i++)
        m[i] = 255;
    naive = naive_distances(m, w, h);
    check_against(m, naive, w, h, 5);
    free(naive);
    free(m);
}

/* A straight horizon on a wide picture: below it the distance is the row offset. */
static void distance_below_a_horizon_is_the_row_offset(void **state)
{
    (void)state;
    int w = 2000, h = 700;
    uint8_t *m = calloc((size_t)w * h, 1);
    uint32_t *d = malloc(sizeof *d * (size_t)w * h);
    assert_true(m && d);
    for (size_t i = 0; i < (size_t)w * 100; i++)
        m[i] = 1;
    assert_int_equal(sc_distance_sq_u8(m, w, h, 400, d), 0);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x += 37) {
            uint32_t got = d[(size_t)y * w + x];
            if (y < 100)
                assert_int_equal(got, 0);
            else if (y - 99 <= 400)
                assert_int_equal(got, (uint32_t)((y - 99) * (y - 99)));
            else
                assert_true(got > 400u * 400u);
        }
    free(m);
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_masks_match_brute_force),
        cmocka_unit_test(empty_full_and_single_pixel_masks),
        cmocka_unit_test(distance_below_a_horizon_is_the_row_offset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
