#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "core/parallel.h"
#include "ops/helper_ops.h"
#include "ops/naive.h"
#include "ops/ops.h"

#define BN_EPS 1e-5f

typedef struct bn_params {
    float *gamma, *beta, *mean, *var;
} bn_params;

static float *random_floats(size_t n, unsigned seed, float lo, float hi)
{
    float *x = malloc(n * sizeof *x);
    assert_non_null(x);
    fill_uniform(x, n, seed, lo, hi);
    return x;
}

static bn_params random_bn(int c, unsigned seed)
{
    bn_params p = {random_floats((size_t)c, seed, 0.5f, 2.0f),
                   random_floats((size_t)c, seed + 1, -1.0f, 1.0f),
                   random_floats((size_t)c, seed + 2, -0.5f, 0.5f),
                   random_floats((size_t)c, seed + 3, 1e-4f, 3.0f)};
    return p;
}

static void free_bn(bn_params *p)
{
    free(p->gamma);
    free(p->beta);
    free(p->mean);
    free(p->var);
}

static void fold_follows_the_formula(void **state)
{
    (void)state;
    float w[4] = {1.0f, -2.0f, 0.5f, 4.0f};
    float b[2] = {0.0f, 1.0f};
    const float gamma[2] = {2.0f, 0.5f}, beta[2] = {0.25f, -1.0f};
    const float mean[2] = {1.0f, 3.0f}, var[2] = {4.0f - BN_EPS, 0.25f - BN_EPS};
    sc_fold_batchnorm(w, b, 2, 2, gamma, beta, mean, var, BN_EPS);
    /* scale 2/sqrt(4) = 1 and 0.5/sqrt(0.25) = 1 (to float precision). */
    const float want_w[4] = {1.0f, -2.0f, 0.5f, 4.0f};
    const float want_b[2] = {(0.0f - 1.0f) * 1.0f + 0.25f, (1.0f - 3.0f) * 1.0f - 1.0f};
    for (int i = 0; i < 4; i++)
        assert_true(fabsf(w[i] - want_w[i]) <= 1e-6f);
    for (int i = 0; i < 2; i++)
        assert_true(fabsf(b[i] - want_b[i]) <= 1e-6f);
}

/* conv -> BN (-> ReLU) computed naively equals the folded layer through sc_conv2d. */
static void check_fold(int cin, int cout, int k, int pad, int with_bias, int relu, unsigned seed)
{
    const int h = 19, w = 22;
    const size_t per_out = (size_t)cin * (size_t)k * (size_t)k;
    float *weight = random_floats((size_t)cout * per_out, seed, -0.5f, 0.5f);
    float *bias = with_bias ? random_floats((size_t)cout, seed + 1, -1.0f, 1.0f)
                            : calloc((size_t)cout, sizeof(float));
    assert_non_null(bias);
    bn_params bn = random_bn(cout, seed + 2);
    sc_tensor in = random_tensor(cin, h, w, seed + 3);
    const int oh = sc_conv_out_size(h, k, 1, pad, 1), ow = sc_conv_out_size(w, k, 1, pad, 1);

    sc_conv raw = {cout, cin, k, k, 1, pad, 1, 1, weight, with_bias ? bias : NULL, NULL};
    sc_tensor want = zero_tensor(cout, oh, ow);
    assert_int_equal(sc_naive_conv2d(&raw, &in, &want, 0), 0);
    sc_naive_batchnorm(&want, &want, bn.gamma, bn.beta, bn.mean, bn.var, BN_EPS, relu);

    sc_fold_batchnorm(weight, bias, cout, (int)per_out, bn.gamma, bn.beta, bn.mean, bn.var,
                      BN_EPS);
    sc_conv folded = {cout, cin, k, k, 1, pad, 1, 1, weight, bias, NULL};
    sc_tensor got = zero_tensor(cout, oh, ow);
    sc_arena arena;
    assert_int_equal(sc_arena_init(&arena, sc_conv2d_scratch_bytes(&folded, h, w, 2) + 64), 0);
    assert_int_equal(sc_conv2d(&folded, &in, &got, relu, &arena), 0);
    double err = max_rel_error(got.data, want.data, sc_tensor_size(&want));
    if (err > OPS_REL_TOLERANCE)
        fail_msg("%dx%d conv %d->%d: relative error %g", k, k, cin, cout, err);

    sc_arena_release(&arena);
    sc_tensor_free(&in);
    sc_tensor_free(&want);
    sc_tensor_free(&got);
    free_bn(&bn);
    free(weight);
    free(bias);
}

static void folded_conv_equals_conv_then_batchnorm(void **state)
{
    (void)state;
    sc_set_threads(2);
    check_fold(8, 6, 3, 1, 0, 1, 1);  /* CBR without conv bias (HRNet) */
    check_fold(8, 6, 3, 1, 0, 0, 11); /* CB */
    check_fold(5, 7, 5, 2, 1, 0, 21); /* refiner decoder: bias, 5x5, no ReLU */
    check_fold(4, 9, 3, 1, 1, 1, 31); /* refiner encoder: bias, ReLU */
    check_fold(12, 4, 1, 0, 1, 1, 41); /* 1x1 direct GEMM */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fold_follows_the_formula),
        cmocka_unit_test(folded_conv_equals_conv_then_batchnorm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
