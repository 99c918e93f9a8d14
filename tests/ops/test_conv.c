#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/parallel.h"
#include "ops/conv_plan.h"
#include "ops/helper_ops.h"
#include "ops/naive.h"
#include "ops/ops.h"

typedef struct conv_case {
    const char *name;
    int cin, cout, kh, kw, stride, pad, dilation, groups;
    int bias, relu;
    int h, w;
} conv_case;

static const conv_case CASES[] = {
    {"3x3 rgb-like, bias+relu", 3, 8, 3, 3, 1, 1, 1, 1, 1, 1, 17, 23},
    {"3x3 stride 2, odd size", 8, 8, 3, 3, 2, 1, 1, 1, 0, 0, 19, 21},
    {"3x3 stride 2, even size", 6, 5, 3, 3, 2, 1, 1, 1, 1, 0, 16, 12},
    {"3x3 dilation 2", 8, 6, 3, 3, 1, 2, 2, 1, 1, 1, 15, 18},
    {"3x3 dilation 6 wider than image", 6, 4, 3, 3, 1, 6, 6, 1, 0, 1, 9, 13},
    {"3x3 dilation 6, 2 groups", 8, 4, 3, 3, 1, 6, 6, 2, 1, 0, 21, 20},
    {"3x3 groups 2", 8, 8, 3, 3, 1, 1, 1, 2, 0, 0, 11, 14},
    {"3x3 groups 4 stride 2", 8, 12, 3, 3, 2, 1, 1, 4, 1, 1, 13, 17},
    {"5x5 pad 2", 6, 5, 5, 5, 1, 2, 1, 1, 1, 0, 13, 11},
    {"5x5 on an image smaller than the kernel", 4, 3, 5, 5, 1, 2, 1, 1, 1, 0, 2, 3},
    {"5x5 single output channel", 16, 1, 5, 5, 1, 2, 1, 1, 1, 0, 23, 19},
    {"3x3 no padding", 5, 7, 3, 3, 1, 0, 1, 1, 1, 1, 10, 9},
    {"3x3 pad 1 on one pixel", 7, 3, 3, 3, 1, 1, 1, 1, 1, 0, 1, 1},
    {"3x3 stride 2 to one pixel", 4, 4, 3, 3, 2, 0, 1, 1, 0, 0, 3, 4},
    {"1x3 kernel", 4, 6, 1, 3, 1, 1, 1, 1, 1, 0, 9, 8},
    {"1x1 direct GEMM", 16, 8, 1, 1, 1, 0, 1, 1, 1, 1, 31, 29},
    {"1x1 direct GEMM, groups 2", 12, 6, 1, 1, 1, 0, 1, 2, 1, 0, 7, 9},
    {"1x1 direct GEMM, dilation ignored", 5, 3, 1, 1, 1, 0, 4, 1, 0, 0, 6, 5},
    {"1x1 stride 2 (downsample)", 16, 8, 1, 1, 2, 0, 1, 1, 0, 0, 15, 17},
    {"1x1 with padding", 4, 4, 1, 1, 1, 1, 1, 1, 1, 0, 5, 6},
    {"1x1 on one pixel", 9, 7, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1},
    {"many small tiles", 8, 20, 3, 3, 1, 1, 1, 1, 1, 1, 70, 93},
    {"deep layer, full-size tiles", 128, 8, 3, 3, 1, 1, 1, 1, 1, 1, 67, 71},
};

typedef struct conv_layer {
    sc_conv cv;
    float *weight, *bias;
} conv_layer;

static conv_layer make_layer(const conv_case *c, unsigned seed)
{
    conv_layer l = {{c->cout, c->cin, c->kh, c->kw, c->stride, c->pad, c->dilation, c->groups,
                     NULL, NULL, NULL},
                    NULL, NULL};
    size_t n = (size_t)c->cout * (size_t)(c->cin / c->groups) * (size_t)c->kh * (size_t)c->kw;
    l.weight = malloc(n * sizeof(float));
    assert_non_null(l.weight);
    fill_uniform(l.weight, n, seed, -0.5f, 0.5f);
    l.cv.weight = l.weight;
    if (c->bias) {
        l.bias = malloc((size_t)c->cout * sizeof(float));
        assert_non_null(l.bias);
        fill_uniform(l.bias, (size_t)c->cout, seed + 1, -1.0f, 1.0f);
        l.cv.bias = l.bias;
    }
    return l;
}

static void free_layer(conv_layer *l)
{
    free(l->weight);
    free(l->bias);
}

static sc_tensor output_for(const sc_conv *cv, const sc_tensor *in)
{
    return zero_tensor(cv->cout, sc_conv_out_size(in->h, cv->kh, cv->stride, cv->pad, cv->dilation),
                       sc_conv_out_size(in->w, cv->kw, cv->stride, cv->pad, cv->dilation));
}

/* sc_conv2d with an arena sized by sc_conv2d_scratch_bytes for the current threads. */
static int run_conv(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int relu)
{
    size_t bytes = sc_conv2d_scratch_bytes(cv, in->h, in->w, sc_get_threads());
    sc_arena arena;
    /* Something already lives in the arena: the conv must go back to its mark. */
    assert_int_equal(sc_arena_init(&arena, 64 + bytes), 0);
    assert_non_null(sc_arena_alloc(&arena, 40));
    size_t mark = sc_arena_mark(&arena);
    int rc = sc_conv2d(cv, in, out, relu, &arena);
    assert_int_equal(arena.used, mark);
    assert_true(arena.peak <= 64 + bytes);
    sc_arena_release(&arena);
    return rc;
}

static void conv_out_size_follows_pytorch(void **state)
{
    (void)state;
    assert_int_equal(sc_conv_out_size(1280, 3, 1, 1, 1), 1280);
    assert_int_equal(sc_conv_out_size(640, 3, 2, 1, 1), 320);
    assert_int_equal(sc_conv_out_size(641, 3, 2, 1, 1), 321);
    assert_int_equal(sc_conv_out_size(7, 3, 1, 6, 6), 7);
    assert_int_equal(sc_conv_out_size(4, 5, 1, 0, 1), 0);
    assert_int_equal(sc_conv_out_size(5, 1, 2, 0, 1), 3);
    assert_int_equal(sc_conv_out_size(10, 3, 0, 1, 1), 0);
    assert_int_equal(sc_conv_out_size(10, 3, 1, -1, 1), 0);
}

static void conv_matches_naive(void **state)
{
    (void)state;
    sc_set_threads(2);
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        const conv_case *c = &CASES[i];
        conv_layer layer = make_layer(c, (unsigned)i + 10);
        sc_tensor in = random_tensor(c->cin, c->h, c->w, (unsigned)i + 100);
        sc_tensor got = output_for(&layer.cv, &in), want = output_for(&layer.cv, &in);
        assert_int_equal(run_conv(&layer.cv, &in, &got, c->relu), 0);
        assert_int_equal(sc_naive_conv2d(&layer.cv, &in, &want, c->relu), 0);
        double err = max_rel_error(got.data, want.data, sc_tensor_size(&want));
        if (err > OPS_REL_TOLERANCE)
            fail_msg("%s: relative error %g", c->name, err);
        sc_tensor_free(&in);
        sc_tensor_free(&got);
        sc_tensor_free(&want);
        free_layer(&layer);
    }
}

static void conv_cases_cover_tiling_paths(void **state)
{
    (void)state;
    const conv_case *many = &CASES[sizeof CASES / sizeof CASES[0] - 2];
    const conv_case *deep = &CASES[sizeof CASES / sizeof CASES[0] - 1];
    conv_layer a = make_layer(many, 1), b = make_layer(deep, 2);
    sc_conv_plan pa, pb;
    assert_int_equal(sc_conv_plan_make(&a.cv, many->h, many->w, &pa), 0);
    assert_int_equal(sc_conv_plan_make(&b.cv, deep->h, deep->w, &pb), 0);
    /* Tiles that start and end inside output rows, and a short last tile. */
    assert_true(pa.tiles >= 8);
    assert_true(pa.tile % pa.out_w != 0);
    assert_true(pa.columns % pa.tile != 0);
    assert_true(pb.tiles >= 16);
    assert_false(pa.direct);
    free_layer(&a);
    free_layer(&b);
}

static void conv_is_bit_identical_for_any_thread_count(void **state)
{
    (void)state;
    const conv_case picks[] = {
        CASES[sizeof CASES / sizeof CASES[0] - 2],
        {"1x1 direct, many tiles", 24, 16, 1, 1, 1, 0, 1, 1, 1, 1, 64, 80},
        {"5x5 groups 2", 8, 6, 5, 5, 1, 2, 1, 2, 1, 0, 40, 37},
    };
    for (size_t i = 0; i < sizeof picks / sizeof picks[0]; i++) {
        conv_layer layer = make_layer(&picks[i], (unsigned)i + 7);
        sc_tensor in = random_tensor(picks[i].cin, picks[i].h, picks[i].w, (unsigned)i + 70);
        sc_tensor out[3];
        for (int t = 0; t < 3; t++) {
            sc_set_threads(t + 1);
            out[t] = output_for(&layer.cv, &in);
            assert_int_equal(run_conv(&layer.cv, &in, &out[t], picks[i].relu), 0);
        }
        size_t bytes = sc_tensor_size(&out[0]) * sizeof(float);
        if (memcmp(out[0].data, out[1].data, bytes) || memcmp(out[0].data, out[2].data, bytes))
            fail_msg("%s: results differ between thread counts", picks[i].name);
        for (int t = 0; t < 3; t++)
            sc_tensor_free(&out[t]);
        sc_tensor_free(&in);
        free_layer(&layer);
    }
    sc_set_threads(2);
}

static void conv_with_scratch_for_one_worker_gives_same_result(void **state)
{
    (void)state;
    /* Above SC_PARALLEL_MIN_FLOPS, so that it runs on several workers when it can. */
    static const conv_case big = {"3x3 32->32 on 64x64", 32, 32, 3, 3, 1, 1, 1, 1, 1, 1, 64, 64};
    const conv_case *c = &big;
    conv_layer layer = make_layer(c, 3);
    sc_tensor in = random_tensor(c->cin, c->h, c->w, 4);
    sc_tensor full = output_for(&layer.cv, &in), tight = output_for(&layer.cv, &in);
    sc_set_threads(3);
    assert_int_equal(run_conv(&layer.cv, &in, &full, 1), 0);

    sc_arena arena;
    size_t one = sc_conv2d_scratch_bytes(&layer.cv, c->h, c->w, 1);
    assert_true(one < sc_conv2d_scratch_bytes(&layer.cv, c->h, c->w, 3));
    assert_int_equal(sc_arena_init(&arena, one), 0);
    assert_int_equal(sc_conv2d(&layer.cv, &in, &tight, 1, &arena), 0);
    assert_memory_equal(full.data, tight.data, sc_tensor_size(&full) * sizeof(float));
    sc_arena_release(&arena);

    sc_set_threads(2);
    sc_tensor_free(&in);
    sc_tensor_free(&full);
    sc_tensor_free(&tight);
    free_layer(&layer);
}

static void conv_rejects_bad_arguments(void **state)
{
    (void)state;
    const conv_case c = {"bad", 4, 6, 3, 3, 1, 1, 1, 2, 1, 0, 8, 9};
    conv_layer layer = make_layer(&c, 5);
    sc_tensor in = random_tensor(4, 8, 9, 6);
    sc_tensor out = zero_tensor(6, 8, 9);
    sc_arena arena;
    assert_int_equal(sc_arena_init(&arena, 1 << 20), 0);
    size_t mark = sc_arena_mark(&arena);

    assert_int_equal(sc_conv2d(&layer.cv, &in, &out, 0, NULL), -1); /* im2col needs scratch */
    sc_arena tiny;
    assert_int_equal(sc_arena_init(&tiny, 128), 0);
    assert_int_equal(sc_conv2d(&layer.cv, &in, &out, 0, &tiny), -1);
    assert_int_equal(tiny.used, 0);
    sc_arena_release(&tiny);

    sc_tensor wrong = zero_tensor(6, 8, 8);
    assert_int_equal(sc_conv2d(&layer.cv, &in, &wrong, 0, &arena), -1);
    sc_tensor_free(&wrong);
    wrong = zero_tensor(5, 8, 9);
    assert_int_equal(sc_conv2d(&layer.cv, &in, &wrong, 0, &arena), -1);
    sc_tensor_free(&wrong);
    wrong = random_tensor(3, 8, 9, 1);
    assert_int_equal(sc_conv2d(&layer.cv, &wrong, &out, 0, &arena), -1);
    sc_tensor_free(&wrong);
    assert_int_equal(sc_conv2d(&layer.cv, &in, &in, 0, &arena), -1); /* aliasing */

    sc_conv bad = layer.cv;
    bad.groups = 4; /* 6 output channels do not split into 4 groups */
    assert_int_equal(sc_conv2d(&bad, &in, &out, 0, &arena), -1);
    bad = layer.cv;
    bad.stride = 0;
    assert_int_equal(sc_conv2d(&bad, &in, &out, 0, &arena), -1);
    bad = layer.cv;
    bad.weight = NULL;
    assert_int_equal(sc_conv2d(&bad, &in, &out, 0, &arena), -1);
    assert_int_equal(sc_conv2d_scratch_bytes(&bad, 8, 9, 2), 0);
    assert_int_equal(sc_arena_mark(&arena), mark);

    /* The 1x1 stride-1 path reads the input directly and needs no scratch
     * (a layer wider than the narrow loops take: ops/conv_narrow.h). */
    const conv_case one = {"1x1", 4, 12, 1, 1, 1, 0, 1, 1, 0, 0, 8, 9};
    conv_layer direct = make_layer(&one, 8);
    sc_tensor wide = zero_tensor(12, 8, 9);
    assert_int_equal(sc_conv2d_scratch_bytes(&direct.cv, 8, 9, 4), 0);
    assert_int_equal(sc_conv2d(&direct.cv, &in, &wide, 0, NULL), 0);
    sc_tensor_free(&wide);

    sc_arena_release(&arena);
    sc_tensor_free(&in);
    sc_tensor_free(&out);
    free_layer(&layer);
    free_layer(&direct);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conv_out_size_follows_pytorch),
        cmocka_unit_test(conv_matches_naive),
        cmocka_unit_test(conv_cases_cover_tiling_paths),
        cmocka_unit_test(conv_is_bit_identical_for_any_thread_count),
        cmocka_unit_test(conv_with_scratch_for_one_worker_gives_same_result),
        cmocka_unit_test(conv_rejects_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
