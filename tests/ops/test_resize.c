#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/parallel.h"
#include "ops/helper_ops.h"
#include "ops/naive.h"
#include "ops/ops.h"

/* A 3x4 plane and its resizes by PyTorch 1.13 (CPU, float32):
 * F.interpolate(x, size, mode='bilinear', align_corners=True). */
static const float PLANE_3X4[12] = {1.21000004f, 0.532900035f, 0.129600003f, 9.99998083e-05f,
                                    0.144400001f, 0.5625f, 1.25440001f, 2.2201004f,
                                    3.45959997f, 4.97289991f, 6.75999928f, 8.82090187f};
static const float TORCH_5X7[35] = {
    1.21000004f, 0.871450067f, 0.532900035f, 0.331250012f, 0.129600003f, 0.0648500025f,
    9.99998083e-05f, 0.677200019f, 0.612450004f, 0.547700047f, 0.619850039f, 0.692000031f,
    0.901050091f, 1.11010015f, 0.144400001f, 0.35345f, 0.5625f, 0.908450007f, 1.25440001f,
    1.73725021f, 2.2201004f, 1.80200005f, 2.28484988f, 2.76769996f, 3.38744974f, 4.00719976f,
    4.76385021f, 5.52050114f, 3.45959997f, 4.21624994f, 4.97289991f, 5.86644936f, 6.75999928f,
    7.79045057f, 8.82090187f};
static const float TORCH_2X3[6] = {1.21000004f, 0.331250012f, 9.99998083e-05f,
                                   3.45959997f, 5.86644936f, 8.82090187f};
static const float TORCH_4X1[4] = {1.21000004f, 0.499599993f, 1.24946678f, 3.45959997f};

static void resize_plane(const float *src, int h, int w, float *dst, int oh, int ow)
{
    sc_tensor in = {1, h, w, (float *)src};
    sc_tensor out = {1, oh, ow, dst};
    sc_resize_bilinear_ac(&in, &out);
}

static void resize_matches_pytorch_bit_for_bit(void **state)
{
    (void)state;
    float out[35];
    resize_plane(PLANE_3X4, 3, 4, out, 5, 7);
    assert_memory_equal(out, TORCH_5X7, sizeof TORCH_5X7);
    resize_plane(PLANE_3X4, 3, 4, out, 2, 3);
    assert_memory_equal(out, TORCH_2X3, sizeof TORCH_2X3);
    resize_plane(PLANE_3X4, 3, 4, out, 4, 1);
    assert_memory_equal(out, TORCH_4X1, sizeof TORCH_4X1);
    /* out = 1: scale 0, the top-left value. */
    resize_plane(PLANE_3X4, 3, 4, out, 1, 1);
    assert_memory_equal(out, PLANE_3X4, sizeof(float));
    /* Same size: a copy. */
    resize_plane(PLANE_3X4, 3, 4, out, 3, 4);
    assert_memory_equal(out, PLANE_3X4, sizeof PLANE_3X4);
}

static void resize_of_one_pixel_broadcasts(void **state)
{
    (void)state;
    const float one[2] = {0.75f, -2.5f};
    sc_tensor in = {2, 1, 1, (float *)one};
    sc_tensor out = zero_tensor(2, 6, 5);
    sc_resize_bilinear_ac(&in, &out);
    for (int i = 0; i < 30; i++) {
        assert_true(out.data[i] == 0.75f);
        assert_true(out.data[30 + i] == -2.5f);
    }
    sc_tensor_free(&out);

    /* One row (in h = 1) stretched to several rows: each row is the resized row. */
    const float row[2] = {0.25f, -1.5f};
    const float want[5] = {0.25f, -0.1875f, -0.625f, -1.0625f, -1.5f};
    float got[15];
    resize_plane(row, 1, 2, got, 3, 5);
    for (int y = 0; y < 3; y++)
        assert_memory_equal(got + 5 * y, want, sizeof want);
}

static void resize_matches_naive(void **state)
{
    (void)state;
    sc_set_threads(2);
    const int sizes[][4] = {{20, 20, 80, 80},  {40, 40, 160, 160}, {160, 160, 320, 320},
                            {17, 23, 5, 9},    {7, 5, 31, 2},      {1, 9, 4, 27},
                            {13, 1, 26, 3},    {160, 160, 640, 640}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        const int c = i == sizeof sizes / sizeof sizes[0] - 1 ? 1 : 3;
        sc_tensor in = random_tensor(c, sizes[i][0], sizes[i][1], (unsigned)i + 1);
        sc_tensor got = zero_tensor(c, sizes[i][2], sizes[i][3]);
        sc_tensor want = zero_tensor(c, sizes[i][2], sizes[i][3]);
        sc_resize_bilinear_ac(&in, &got);
        sc_naive_resize_bilinear_ac(&in, &want);
        double err = max_rel_error(got.data, want.data, sc_tensor_size(&want));
        if (err > OPS_REL_TOLERANCE)
            fail_msg("%dx%d -> %dx%d: relative error %g", sizes[i][0], sizes[i][1], sizes[i][2],
                     sizes[i][3], err);
        sc_tensor_free(&in);
        sc_tensor_free(&got);
        sc_tensor_free(&want);
    }
}

/* PyTorch's align_corners sampling in float, pixel by pixel: the sums the
 * engine must keep, whatever it reuses between rows. */
static void float_twin(const sc_tensor *in, sc_tensor *out)
{
    const float sy = out->h > 1 ? (float)(in->h - 1) / (float)(out->h - 1) : 0.0f;
    const float sx = out->w > 1 ? (float)(in->w - 1) / (float)(out->w - 1) : 0.0f;
    for (int c = 0; c < out->c; c++)
        for (int y = 0; y < out->h; y++) {
            const float fy = sy * (float)y;
            const int y0 = (int)fy, y1 = y0 + (y0 < in->h - 1);
            const float ly1 = fy - (float)y0, ly0 = 1.0f - ly1;
            for (int x = 0; x < out->w; x++) {
                const float fx = sx * (float)x;
                const int x0 = (int)fx, x1 = x0 + (x0 < in->w - 1);
                const float lx1 = fx - (float)x0, lx0 = 1.0f - lx1;
                const float *top = sc_tensor_at(in, c, y0, 0), *bot = sc_tensor_at(in, c, y1, 0);
                *sc_tensor_at(out, c, y, x) = ly0 * (lx0 * top[x0] + lx1 * top[x1]) +
                                              ly1 * (lx0 * bot[x0] + lx1 * bot[x1]);
            }
        }
}

/* Enlarging (rows reused), reducing, odd sizes and one row or column, on one
 * to three threads: the same bits as the pixel-by-pixel sums. */
static void resize_keeps_the_float_sums_of_each_pixel(void **state)
{
    (void)state;
    const int sizes[][5] = {{2, 64, 64, 320, 320}, {2, 80, 80, 1280, 1280}, {3, 640, 640, 160, 160},
                            {3, 613, 419, 256, 256}, {1, 7, 5, 31, 2},       {2, 1, 9, 4, 27},
                            {4, 13, 1, 26, 3},       {1, 33, 17, 33, 17}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        const int *z = sizes[i];
        sc_tensor in = random_tensor(z[0], z[1], z[2], (unsigned)i + 40);
        sc_tensor want = zero_tensor(z[0], z[3], z[4]);
        float_twin(&in, &want);
        for (int t = 1; t <= 3; t++) {
            sc_set_threads(t);
            sc_tensor got = zero_tensor(z[0], z[3], z[4]);
            sc_resize_bilinear_ac(&in, &got);
            if (memcmp(got.data, want.data, sc_tensor_size(&want) * sizeof(float)))
                fail_msg("%dx%d -> %dx%d, %d threads: not the pixel-by-pixel sums", z[1], z[2],
                         z[3], z[4], t);
            sc_tensor_free(&got);
        }
        sc_tensor_free(&in);
        sc_tensor_free(&want);
    }
    sc_set_threads(2);
}

static void resize_is_bit_identical_for_any_thread_count(void **state)
{
    (void)state;
    sc_tensor in = random_tensor(18, 40, 40, 9);
    sc_tensor out[3];
    for (int t = 0; t < 3; t++) {
        sc_set_threads(t + 1);
        out[t] = zero_tensor(18, 160, 160);
        sc_resize_bilinear_ac(&in, &out[t]);
    }
    size_t bytes = sc_tensor_size(&out[0]) * sizeof(float);
    assert_memory_equal(out[0].data, out[1].data, bytes);
    assert_memory_equal(out[0].data, out[2].data, bytes);
    for (int t = 0; t < 3; t++)
        sc_tensor_free(&out[t]);
    sc_tensor_free(&in);
    sc_set_threads(2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(resize_matches_pytorch_bit_for_bit),
        cmocka_unit_test(resize_of_one_pixel_broadcasts),
        cmocka_unit_test(resize_matches_naive),
        cmocka_unit_test(resize_keeps_the_float_sums_of_each_pixel),
        cmocka_unit_test(resize_is_bit_identical_for_any_thread_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
