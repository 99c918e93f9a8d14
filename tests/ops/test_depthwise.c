#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/isa.h"
#include "core/parallel.h"
#include "ops/depthwise_copies.h"
#include "ops/helper_ops.h"
#include "ops/naive.h"
#include "ops/ops.h"

typedef struct dw_case {
    int c, h, w, stride, bias, relu6;
} dw_case;

/* Odd and tiny sizes: windows cut by every edge, rows with no interior. */
static const dw_case CASES[] = {
    {3, 1, 1, 1, 1, 0}, {3, 1, 1, 2, 0, 1}, {2, 1, 2, 2, 1, 1},  {4, 2, 1, 1, 1, 1},
    {5, 7, 5, 1, 1, 1}, {5, 7, 5, 2, 1, 0}, {6, 33, 17, 1, 0, 1}, {6, 33, 17, 2, 1, 1},
    {7, 16, 12, 2, 1, 1}, {4, 3, 2, 2, 1, 0}, {48, 41, 39, 1, 1, 1}, {48, 41, 39, 2, 1, 1},
};

typedef struct dw_layer {
    sc_conv cv;
    float *weight, *bias;
} dw_layer;

static dw_layer make_layer(const dw_case *c, unsigned seed)
{
    dw_layer l = {{c->c, c->c, 3, 3, c->stride, 1, 1, c->c, NULL, NULL, NULL}, NULL, NULL};
    l.weight = malloc((size_t)c->c * 9 * sizeof(float));
    assert_non_null(l.weight);
    /* Large enough that the ReLU6 clamp cuts both ends. */
    fill_uniform(l.weight, (size_t)c->c * 9, seed, -3.0f, 3.0f);
    l.cv.weight = l.weight;
    if (c->bias) {
        l.bias = malloc((size_t)c->c * sizeof(float));
        assert_non_null(l.bias);
        fill_uniform(l.bias, (size_t)c->c, seed + 1, -1.0f, 1.0f);
        l.cv.bias = l.bias;
    }
    return l;
}

static sc_tensor output_for(const dw_case *c)
{
    return zero_tensor(c->c, sc_conv_out_size(c->h, 3, c->stride, 1, 1),
                       sc_conv_out_size(c->w, 3, c->stride, 1, 1));
}

static void depthwise_matches_naive(void **state)
{
    (void)state;
    sc_set_threads(2);
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const dw_case *c = &CASES[i];
        dw_layer l = make_layer(c, (unsigned)i + 10);
        sc_tensor in = random_tensor(c->c, c->h, c->w, (unsigned)i + 100);
        sc_tensor got = output_for(c), want = output_for(c);
        assert_int_equal(sc_depthwise3x3(&l.cv, &in, &got, c->relu6), 0);
        assert_int_equal(sc_naive_depthwise3x3(&l.cv, &in, &want, c->relu6), 0);
        double err = max_rel_error(got.data, want.data, sc_tensor_size(&want));
        if (err > OPS_REL_TOLERANCE)
            fail_msg("%dx%dx%d stride %d: relative error %g", c->c, c->h, c->w, c->stride, err);
        for (size_t j = 0; c->relu6 && j < sc_tensor_size(&got); j++)
            assert_true(got.data[j] >= 0.0f && got.data[j] <= 6.0f);
        sc_tensor_free(&in);
        sc_tensor_free(&got);
        sc_tensor_free(&want);
        free(l.weight);
        free(l.bias);
    }
}

static void depthwise_is_bit_identical_for_any_thread_count(void **state)
{
    (void)state;
    const dw_case c = {32, 61, 57, 2, 1, 1};
    dw_layer l = make_layer(&c, 5);
    sc_tensor in = random_tensor(c.c, c.h, c.w, 6);
    sc_tensor out[3];
    for (int t = 0; t < 3; t++) {
        sc_set_threads(t + 1);
        out[t] = output_for(&c);
        assert_int_equal(sc_depthwise3x3(&l.cv, &in, &out[t], 1), 0);
    }
    size_t bytes = sc_tensor_size(&out[0]) * sizeof(float);
    assert_memory_equal(out[0].data, out[1].data, bytes);
    assert_memory_equal(out[0].data, out[2].data, bytes);
    for (int t = 0; t < 3; t++)
        sc_tensor_free(&out[t]);
    sc_tensor_free(&in);
    free(l.weight);
    free(l.bias);
    sc_set_threads(2);
}

/* Every instruction set's copy against the baseline one, bit for bit, on
 * every case (both strides, edges, with and without bias and ReLU6). */
static void copies_give_the_baseline_bits(void **state)
{
    (void)state;
    sc_depthwise_fn *copies[2] = {SC_ISA_WIDE_COPY(SC_ISA_AVX2, sc_depthwise3x3_avx2),
                                  SC_ISA_WIDE_COPY(SC_ISA_AVX512, sc_depthwise3x3_avx512)};
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const dw_case *c = &CASES[i];
        dw_layer l = make_layer(c, (unsigned)i + 20);
        sc_tensor in = random_tensor(c->c, c->h, c->w, (unsigned)i + 200);
        sc_tensor want = output_for(c), got = output_for(c);
        sc_depthwise3x3_plain(&l.cv, &in, &want, c->relu6);
        for (int k = 0; k < 2; k++) {
            if (!copies[k])
                continue;
            copies[k](&l.cv, &in, &got, c->relu6);
            if (memcmp(got.data, want.data, sc_tensor_size(&want) * sizeof(float)) != 0)
                fail_msg("%s copy, %dx%dx%d stride %d: differs from the baseline",
                         k ? "AVX-512" : "AVX2", c->c, c->h, c->w, c->stride);
        }
        sc_tensor_free(&in);
        sc_tensor_free(&got);
        sc_tensor_free(&want);
        free(l.weight);
        free(l.bias);
    }
}

static void depthwise_rejects_other_layers(void **state)
{
    (void)state;
    const dw_case c = {4, 9, 8, 1, 0, 0};
    dw_layer l = make_layer(&c, 7);
    sc_tensor in = random_tensor(4, 9, 8, 8), out = output_for(&c);
    sc_conv bad = l.cv;
    bad.groups = 1; /* dense */
    assert_int_equal(sc_depthwise3x3(&bad, &in, &out, 0), -1);
    bad = l.cv;
    bad.stride = 3;
    assert_int_equal(sc_depthwise3x3(&bad, &in, &out, 0), -1);
    bad = l.cv;
    bad.dilation = 2;
    assert_int_equal(sc_depthwise3x3(&bad, &in, &out, 0), -1);
    sc_tensor small = zero_tensor(4, 8, 8);
    assert_int_equal(sc_depthwise3x3(&l.cv, &in, &small, 0), -1);
    assert_int_equal(sc_depthwise3x3(&l.cv, &in, &in, 0), -1); /* in place */
    assert_int_equal(sc_depthwise3x3(&l.cv, &in, &out, 0), 0);
    sc_tensor_free(&small);
    sc_tensor_free(&in);
    sc_tensor_free(&out);
    free(l.weight);
}

static void relu6_matches_naive(void **state)
{
    (void)state;
    sc_set_threads(2);
    const int sizes[][3] = {{1, 1, 1}, {3, 5, 7}, {18, 80, 81}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        sc_tensor a = zero_tensor(sizes[i][0], sizes[i][1], sizes[i][2]);
        sc_tensor b = zero_tensor(sizes[i][0], sizes[i][1], sizes[i][2]);
        const size_t n = sc_tensor_size(&a);
        fill_uniform(a.data, n, (unsigned)i + 3, -10.0f, 10.0f);
        memcpy(b.data, a.data, n * sizeof(float));
        sc_relu6(&a);
        sc_naive_relu6(&b);
        assert_memory_equal(a.data, b.data, n * sizeof(float));
        sc_tensor_free(&a);
        sc_tensor_free(&b);
    }
    float v[5] = {-1.0f, 0.0f, 3.5f, 6.0f, 6.5f};
    sc_tensor t = {1, 1, 5, v};
    sc_relu6(&t);
    assert_true(v[0] == 0.0f && v[1] == 0.0f && v[2] == 3.5f && v[3] == 6.0f && v[4] == 6.0f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(depthwise_matches_naive),
        cmocka_unit_test(depthwise_is_bit_identical_for_any_thread_count),
        cmocka_unit_test(copies_give_the_baseline_bits),
        cmocka_unit_test(depthwise_rejects_other_layers),
        cmocka_unit_test(relu6_matches_naive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
