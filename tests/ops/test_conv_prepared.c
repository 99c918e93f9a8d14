/*
 * Convolutions whose weights were prepared at load (ops/conv_prepare.h):
 * Winograd F(4x4, 3x3), F(4x4, 5x5) and F(2x2, 3x3) (dilated too) and the narrow layers' row loops
 * against the float64 naive convolution, the packed im2col weights against
 * the unpacked path bit for bit, the fused ReLU6, the fallbacks (reproducible
 * mode, another GEMM kernel) and thread-count determinism.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/isa.h"
#include "core/parallel.h"
#include "core/reproducible.h"
#include "ops/conv_narrow.h"
#include "ops/conv_plan.h"
#include "ops/conv_prepare.h"
#include "ops/conv_trace.h"
#include "ops/gemm.h"
#include "ops/helper_ops.h"
#include "ops/naive.h"
#include "ops/ops.h"
#include "ops/winograd_lanes_entry.h"

/* Winograd's transforms scale the input by up to 10 (21/4 and 17/4 twice
 * over for the 8-point one) and the filters by fractions before the products
 * meet: more float roundings than im2col's, measured at 1e-7 to 6e-6 of the
 * largest output on these cases for F(4x4, 3x3) and 3e-6 to 1.2e-5 for
 * F(4x4, 5x5) (growing with the depth; the 5x5 ReLU6 cases highest, the
 * clipping lowering the largest output), against 1e-7 for im2col. */
#define WINOGRAD_REL_TOLERANCE 2e-5
/* F(2x2, 3x3): 6e-8 to 4.6e-7 on the same 3x3 cases, a tenth of F(4x4, 3x3)'s. */
#define WINOGRAD_2X2_REL_TOLERANCE 2e-6

typedef struct layer_case {
    const char *name;
    int cin, cout, k, pad;
    int bias, act;
    int h, w;
    int dilation;
} layer_case;

/* More than SC_CONV_NARROW_AVX2_MAX_COUT output channels: the 3x3 and 5x5
 * layers with fewer run narrow. */
static const layer_case WINOGRAD_CASES[] = {
    {"rgb-like input, ReLU", 3, 18, 3, 1, 1, SC_ACT_RELU, 17, 23, 1},
    {"sides a multiple of 4", 32, 32, 3, 1, 1, SC_ACT_NONE, 16, 24, 1},
    {"one pixel", 7, 17, 3, 1, 1, SC_ACT_NONE, 1, 1, 1},
    {"smaller than a tile", 6, 19, 3, 1, 0, SC_ACT_RELU, 3, 2, 1},
    {"no padding", 5, 21, 3, 0, 1, SC_ACT_RELU, 10, 9, 1},
    {"padding 2", 4, 18, 3, 2, 1, SC_ACT_NONE, 9, 11, 1},
    {"ReLU6", 16, 20, 3, 1, 1, SC_ACT_RELU6, 13, 14, 1},
    {"deep, many items", 64, 40, 3, 1, 1, SC_ACT_RELU, 45, 61, 1},
    {"wide output, one row of tiles", 33, 65, 3, 1, 1, SC_ACT_NONE, 4, 130, 1},
    {"5x5, padding 2, ReLU", 32, 32, 5, 2, 1, SC_ACT_RELU, 21, 19, 1},
    {"5x5, deep, odd sides", 128, 40, 5, 2, 1, SC_ACT_NONE, 23, 17, 1},
    {"5x5, no padding", 6, 18, 5, 0, 0, SC_ACT_NONE, 9, 12, 1},
    {"5x5, one pixel", 5, 17, 5, 2, 1, SC_ACT_NONE, 1, 1, 1},
    {"5x5, ReLU6, one row of tiles", 33, 34, 5, 2, 1, SC_ACT_RELU6, 2, 70, 1},
    /* Dilated: phase by phase, some phases a row or column shorter than others. */
    {"3x3, dilation 2", 32, 32, 3, 2, 1, SC_ACT_RELU, 19, 23, 2},
    {"3x3, dilation 6, deep", 64, 40, 3, 6, 1, SC_ACT_NONE, 41, 37, 6},
    {"3x3, dilation 18 on fewer pixels", 16, 20, 3, 18, 1, SC_ACT_NONE, 20, 13, 18},
    {"3x3, dilation 3, no padding", 8, 19, 3, 0, 0, SC_ACT_RELU, 17, 12, 3},
    /* Wide enough that 8 neighbouring phases' tiles lie inside: read and
     * written 8 floats at a time (winograd_lanes.h, groups_of_phases). */
    {"3x3, dilation 12, inner phases", 16, 20, 3, 12, 1, SC_ACT_RELU, 75, 83, 12},
    {"3x3, dilation 8, inner phases", 9, 17, 3, 8, 1, SC_ACT_NONE, 61, 58, 8},
    {"5x5, dilation 2", 32, 33, 5, 4, 1, SC_ACT_RELU6, 22, 15, 2},
    /* Long rows: most runs of 8 tiles lie side by side inside the picture,
     * where the rows move through vector registers (ops/winograd_rows.h). */
    {"3x3, long rows", 24, 40, 3, 1, 1, SC_ACT_RELU, 14, 157, 1},
    {"5x5, long rows", 16, 36, 5, 2, 1, SC_ACT_NONE, 13, 149, 1},
    {"3x3, dilation 3, long rows", 20, 33, 3, 3, 1, SC_ACT_RELU, 40, 230, 3},
};
#define WINOGRAD_DEEP_3X3 7
#define WINOGRAD_DEEP_5X5 10
#define WINOGRAD_DILATED 15

typedef struct prepared_layer {
    sc_conv cv;
    float *weight, *bias, *storage;
    sc_conv_prepared prepared;
} prepared_layer;

/* A layer with random weights; prepared for `algorithm` (Winograd: on output
 * tiles of `side`) when prepare != 0. */
static void make_layer(prepared_layer *l, const layer_case *c, int algorithm, int side,
                       int prepare, unsigned seed)
{
    memset(l, 0, sizeof *l);
    sc_conv cv = {c->cout, c->cin, c->k, c->k, 1, c->pad, c->dilation, 1, NULL, NULL, NULL};
    size_t n = (size_t)c->cout * (size_t)c->cin * (size_t)(c->k * c->k);
    l->weight = malloc(n * sizeof(float));
    assert_non_null(l->weight);
    fill_uniform(l->weight, n, seed, -0.5f, 0.5f);
    cv.weight = l->weight;
    if (c->bias) {
        l->bias = malloc((size_t)c->cout * sizeof(float));
        assert_non_null(l->bias);
        fill_uniform(l->bias, (size_t)c->cout, seed + 1, -1.0f, 1.0f);
        cv.bias = l->bias;
    }
    l->cv = cv;
    if (prepare) {
        size_t floats = sc_conv_prepared_floats(&l->cv, algorithm, side);
        assert_true(floats > 0);
        l->storage = calloc(floats, sizeof(float));
        assert_non_null(l->storage);
        assert_int_equal(sc_conv_prepare(&l->cv, algorithm, side, l->storage, &l->prepared), 0);
        l->cv.prepared = &l->prepared;
    }
}

static void free_layer(prepared_layer *l)
{
    free(l->weight);
    free(l->bias);
    free(l->storage);
}

static sc_tensor output_for(const sc_conv *cv, const sc_tensor *in)
{
    return zero_tensor(cv->cout, sc_conv_out_size(in->h, cv->kh, cv->stride, cv->pad, cv->dilation),
                       sc_conv_out_size(in->w, cv->kw, cv->stride, cv->pad, cv->dilation));
}

/* sc_conv2d with the scratch it asks for; checks the arena is given back. */
static void run_conv(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int act)
{
    size_t bytes = sc_conv2d_scratch_bytes(cv, in->h, in->w, sc_get_threads());
    sc_arena arena;
    assert_int_equal(sc_arena_init(&arena, bytes + 64), 0);
    assert_int_equal(sc_conv2d(cv, in, out, act, &arena), 0);
    assert_int_equal(arena.used, 0);
    sc_arena_release(&arena);
}

/* The naive twin with the activation applied the same way. */
static void run_naive(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int act)
{
    assert_int_equal(sc_naive_conv2d(cv, in, out, act == SC_ACT_RELU), 0);
    if (act == SC_ACT_RELU6)
        sc_naive_relu6(out);
}

static int plan_algorithm(const sc_conv *cv, int h, int w)
{
    sc_conv_plan plan;
    assert_int_equal(sc_conv_plan_make(cv, h, w, &plan), 0);
    return plan.algorithm;
}

/* Every case on the output tiles given, against the float64 naive convolution;
 * the cases whose filter side has no transform on such tiles are skipped. */
static void check_winograd_cases(int side, double tolerance)
{
    sc_set_threads(2);
    int checked = 0;
    for (size_t i = 0; i < sizeof WINOGRAD_CASES / sizeof WINOGRAD_CASES[0]; i++) {
        const layer_case *c = &WINOGRAD_CASES[i];
        if (!sc_winograd_supports(side, c->k))
            continue;
        prepared_layer l;
        make_layer(&l, c, SC_CONV_WINOGRAD, side, 1, (unsigned)i + 20);
        sc_conv_plan plan;
        assert_int_equal(sc_conv_plan_make(&l.cv, c->h, c->w, &plan), 0);
        assert_int_equal(plan.algorithm, SC_CONV_WINOGRAD);
        assert_string_equal(sc_conv_algorithm_name(&plan), side == 2 ? "wino2x2" : "winograd");
        sc_tensor in = random_tensor(c->cin, c->h, c->w, (unsigned)i + 200);
        sc_tensor got = output_for(&l.cv, &in), want = output_for(&l.cv, &in);
        run_conv(&l.cv, &in, &got, c->act);
        run_naive(&l.cv, &in, &want, c->act);
        double err = max_rel_error(got.data, want.data, sc_tensor_size(&want));
        if (getenv("SC_PRINT_ERRORS"))
            print_message("%dx%d tiles, %-32s relative error %.3g\n", side, side, c->name, err);
        if (err > tolerance)
            fail_msg("%dx%d tiles, %s: relative error %g", side, side, c->name, err);
        sc_tensor_free(&in);
        sc_tensor_free(&got);
        sc_tensor_free(&want);
        free_layer(&l);
        checked++;
    }
    assert_true(checked >= 10);
}

static void winograd_matches_naive(void **state)
{
    (void)state;
    check_winograd_cases(SC_WINOGRAD_OUT, WINOGRAD_REL_TOLERANCE);
}

/* F(2x2, 3x3) adds and subtracts where F(4x4, 3x3) scales by up to 5: its
 * error must stay near im2col's, which is why the refiner's first layers
 * take it. */
static void winograd_2x2_matches_naive_closely(void **state)
{
    (void)state;
    check_winograd_cases(2, WINOGRAD_2X2_REL_TOLERANCE);
}

/* Asking for a transform that does not exist (2x2 tiles of a 5x5 filter)
 * prepares nothing. */
static void winograd_2x2_refuses_5x5(void **state)
{
    (void)state;
    const layer_case *c = &WINOGRAD_CASES[WINOGRAD_DEEP_5X5];
    prepared_layer l;
    make_layer(&l, c, SC_CONV_WINOGRAD, SC_WINOGRAD_OUT, 0, 3);
    float storage[64];
    sc_conv_prepared prepared;
    assert_int_equal(sc_conv_prepare(&l.cv, SC_CONV_WINOGRAD, 2, storage, &prepared), -1);
    assert_int_equal(sc_winograd_supports(2, 5), 0);
    free_layer(&l);
}

/* Packing the weights at load changes where they are read from, not the sums. */
static void packed_im2col_is_bit_identical_to_unpacked(void **state)
{
    (void)state;
    static const layer_case cases[] = {
        {"3x3 ReLU", 24, 20, 3, 1, 1, SC_ACT_RELU, 30, 27, 1},
        {"5x5 no bias", 12, 9, 5, 2, 0, SC_ACT_NONE, 19, 22, 1},
        {"1x1 direct, ReLU6", 40, 70, 1, 0, 1, SC_ACT_RELU6, 21, 23, 1},
        {"deep 3x3 (several depth blocks)", 64, 17, 3, 1, 1, SC_ACT_RELU, 12, 13, 1},
    };
    sc_set_threads(2);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const layer_case *c = &cases[i];
        prepared_layer packed, plain;
        make_layer(&packed, c, SC_CONV_IM2COL, 0, 1, (unsigned)i + 40);
        make_layer(&plain, c, SC_CONV_IM2COL, 0, 0, (unsigned)i + 40);
        sc_tensor in = random_tensor(c->cin, c->h, c->w, (unsigned)i + 400);
        sc_tensor a = output_for(&packed.cv, &in), b = output_for(&plain.cv, &in);
        sc_tensor want = output_for(&plain.cv, &in);
        run_conv(&packed.cv, &in, &a, c->act);
        run_conv(&plain.cv, &in, &b, c->act);
        assert_memory_equal(a.data, b.data, sc_tensor_size(&a) * sizeof(float));
        run_naive(&plain.cv, &in, &want, c->act);
        assert_true(max_rel_error(a.data, want.data, sc_tensor_size(&want)) <= OPS_REL_TOLERANCE);
        sc_tensor_free(&in);
        sc_tensor_free(&a);
        sc_tensor_free(&b);
        sc_tensor_free(&want);
        free_layer(&packed);
        free_layer(&plain);
    }
}

/* One layer's output for 1, 2 and 3 threads, and with scratch for one worker. */
static void check_thread_counts(const layer_case *c, int side, unsigned seed)
{
    prepared_layer l;
    make_layer(&l, c, SC_CONV_WINOGRAD, side, 1, seed);
    sc_tensor in = random_tensor(c->cin, c->h, c->w, seed + 1);
    sc_tensor out[3];
    for (int t = 0; t < 3; t++) {
        sc_set_threads(t + 1);
        out[t] = output_for(&l.cv, &in);
        run_conv(&l.cv, &in, &out[t], c->act);
    }
    size_t bytes = sc_tensor_size(&out[0]) * sizeof(float);
    assert_memory_equal(out[0].data, out[1].data, bytes);
    assert_memory_equal(out[0].data, out[2].data, bytes);

    /* Scratch for one worker only: fewer workers, the same values. */
    sc_set_threads(3);
    sc_tensor tight = output_for(&l.cv, &in);
    sc_arena arena;
    assert_int_equal(sc_arena_init(&arena, sc_conv2d_scratch_bytes(&l.cv, c->h, c->w, 1)), 0);
    assert_int_equal(sc_conv2d(&l.cv, &in, &tight, c->act, &arena), 0);
    assert_memory_equal(out[0].data, tight.data, bytes);
    sc_arena_release(&arena);

    for (int t = 0; t < 3; t++)
        sc_tensor_free(&out[t]);
    sc_tensor_free(&tight);
    sc_tensor_free(&in);
    free_layer(&l);
    sc_set_threads(2);
}

static void winograd_is_bit_identical_for_any_thread_count(void **state)
{
    (void)state;
    check_thread_counts(&WINOGRAD_CASES[WINOGRAD_DEEP_3X3], SC_WINOGRAD_OUT, 5);
    check_thread_counts(&WINOGRAD_CASES[WINOGRAD_DEEP_5X5], SC_WINOGRAD_OUT, 7);
    check_thread_counts(&WINOGRAD_CASES[WINOGRAD_DILATED], SC_WINOGRAD_OUT, 8);
    check_thread_counts(&WINOGRAD_CASES[WINOGRAD_DEEP_3X3], 2, 6);
    check_thread_counts(&WINOGRAD_CASES[WINOGRAD_DILATED], 2, 9);
}

/* Layers whose grid gives a few runs are cut by output channels when many
 * workers share them (ops/conv_plan.h), with one shared input transform, or
 * each part its own where the scratch lacks room for it: the values must be
 * those of the uncut layer. */
static void winograd_cut_by_output_channels_keeps_the_bits(void **state)
{
    (void)state;
    static const layer_case cases[] = {
        {"3x3, 200 outputs, one run", 64, 200, 3, 1, 1, SC_ACT_RELU, 20, 20, 1},
        {"5x5, 100 outputs, bias, ReLU6", 48, 100, 5, 2, 1, SC_ACT_RELU6, 24, 21, 1},
        {"3x3, dilation 6, no bias", 64, 100, 3, 6, 0, SC_ACT_NONE, 30, 31, 6},
    };
    const int sides[] = {SC_WINOGRAD_OUT, SC_WINOGRAD_OUT, SC_WINOGRAD_OUT, 2};
    for (size_t i = 0; i < 4; i++) {
        const layer_case *c = &cases[i < 3 ? i : 0];
        prepared_layer l;
        make_layer(&l, c, SC_CONV_WINOGRAD, sides[i], 1, (unsigned)i + 60);
        sc_tensor in = random_tensor(c->cin, c->h, c->w, (unsigned)i + 600);
        sc_conv_plan whole, cut;
        assert_int_equal(sc_conv_plan_make(&l.cv, c->h, c->w, &whole), 0);
        cut = whole;
        sc_conv_plan_for_workers(&l.cv, 16, &cut);
        /* The case must be one that is cut, into parts sharing a transform. */
        assert_int_equal(whole.cout_parts, 1);
        assert_true(cut.cout_parts > 1 && cut.input_items > 0 && cut.shared_bytes > 0);
        assert_int_equal(cut.part_rows % SC_SGEMM_ROWS_ALIGN, 0);
        /* 25 tiles in one run and 8 parts would leave half of 16 workers idle:
         * the run is cut shorter too. */
        if (i == 0)
            assert_true(whole.runs == 1 && cut.runs > 1);

        sc_set_threads(1);
        sc_tensor want = output_for(&l.cv, &in), shared = output_for(&l.cv, &in);
        sc_tensor own = output_for(&l.cv, &in), naive = output_for(&l.cv, &in);
        run_conv(&l.cv, &in, &want, c->act);
        sc_set_threads(16);
        sc_conv_trace trace;
        memset(&trace, 0, sizeof trace);
        sc_conv_trace_set(&trace);
        run_conv(&l.cv, &in, &shared, c->act);
        assert_int_equal(trace.first_phase, cut.input_items);
        assert_int_equal(trace.items, cut.input_items + cut.tiles);
        /* Room for the parts' slices but not the shared transform. */
        sc_arena arena;
        const size_t tight = sc_conv2d_scratch_bytes(&l.cv, c->h, c->w, 16) - cut.shared_bytes;
        assert_int_equal(sc_arena_init(&arena, tight), 0);
        assert_int_equal(sc_conv2d(&l.cv, &in, &own, c->act, &arena), 0);
        assert_int_equal(arena.used, 0);
        assert_int_equal(trace.first_phase, 0);
        assert_int_equal(trace.items, cut.tiles);
        sc_conv_trace_set(NULL);
        sc_arena_release(&arena);
        const size_t bytes = sc_tensor_size(&want) * sizeof(float);
        if (memcmp(want.data, shared.data, bytes) != 0)
            fail_msg("%s, %dx%d tiles: the shared transform's parts differ", c->name, sides[i],
                     sides[i]);
        if (memcmp(want.data, own.data, bytes) != 0)
            fail_msg("%s, %dx%d tiles: the parts' own transforms differ", c->name, sides[i],
                     sides[i]);
        run_naive(&l.cv, &in, &naive, c->act);
        assert_true(max_rel_error(want.data, naive.data, sc_tensor_size(&naive)) <=
                    WINOGRAD_REL_TOLERANCE);
        sc_tensor_free(&want);
        sc_tensor_free(&shared);
        sc_tensor_free(&own);
        sc_tensor_free(&naive);
        sc_tensor_free(&in);
        free_layer(&l);
    }
    sc_set_threads(2);
}

/* GEMM layers with few column tiles get narrower ones when many workers
 * share them: the values must be those of the one-thread cut. */
static void im2col_cut_for_many_workers_keeps_the_bits(void **state)
{
    (void)state;
    static const layer_case cases[] = {
        {"3x3 im2col", 32, 48, 3, 1, 1, SC_ACT_RELU, 40, 60, 1},
        {"1x1 straight on the input", 128, 96, 1, 0, 1, SC_ACT_RELU6, 50, 50, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const layer_case *c = &cases[i];
        prepared_layer l;
        make_layer(&l, c, SC_CONV_IM2COL, 0, 1, (unsigned)i + 70);
        sc_tensor in = random_tensor(c->cin, c->h, c->w, (unsigned)i + 700);
        sc_conv_plan whole, cut;
        assert_int_equal(sc_conv_plan_make(&l.cv, c->h, c->w, &whole), 0);
        cut = whole;
        sc_conv_plan_for_workers(&l.cv, 16, &cut);
        assert_true(cut.tiles > whole.tiles);
        sc_tensor want = output_for(&l.cv, &in), got = output_for(&l.cv, &in);
        sc_set_threads(1);
        run_conv(&l.cv, &in, &want, c->act);
        sc_conv_trace trace;
        memset(&trace, 0, sizeof trace);
        sc_conv_trace_set(&trace);
        sc_set_threads(16);
        run_conv(&l.cv, &in, &got, c->act);
        sc_conv_trace_set(NULL);
        assert_int_equal(trace.items, cut.tiles);
        assert_memory_equal(want.data, got.data, sc_tensor_size(&want) * sizeof(float));
        sc_tensor_free(&want);
        sc_tensor_free(&got);
        sc_tensor_free(&in);
        free_layer(&l);
    }
    sc_set_threads(2);
}

/* The transforms on 16 lanes (AVX-512) must give the bits of those on 8:
 * every case's whole grid, in runs of up to 256 tiles as the convolution
 * takes them, input and output alike. */
static void winograd_16_lanes_give_the_bits_of_8(void **state)
{
    (void)state;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx512f")) {
        print_message("no AVX-512 on this CPU: only 8 lanes run here, nothing to compare\n");
        return;
    }
    int compared = 0;
    for (size_t i = 0; i < sizeof WINOGRAD_CASES / sizeof WINOGRAD_CASES[0]; i++) {
        for (int side = 2; side <= SC_WINOGRAD_OUT; side += 2) {
            const layer_case *c = &WINOGRAD_CASES[i];
            if (!sc_winograd_supports(side, c->k))
                continue;
            prepared_layer l;
            make_layer(&l, c, SC_CONV_WINOGRAD, side, 1, (unsigned)i + 80);
            sc_conv_plan plan;
            assert_int_equal(sc_conv_plan_make(&l.cv, c->h, c->w, &plan), 0);
            sc_tensor in = random_tensor(c->cin, c->h, c->w, (unsigned)i + 800);
            const int points = sc_winograd_points(side, c->k);
            for (long first = 0; first < plan.grid_tiles; first += 256) {
                const int count = (int)(plan.grid_tiles - first < 256 ? plan.grid_tiles - first : 256);
                const size_t v_point = sc_winograd_point_stride(c->cin, count);
                const size_t m_point = sc_winograd_point_stride(c->cout, count);
                const size_t v_floats = (size_t)points * v_point;
                const size_t m_floats = (size_t)points * m_point;
                float *v8 = calloc(v_floats, sizeof(float)), *v16 = calloc(v_floats, sizeof(float));
                float *m = malloc(m_floats * sizeof(float));
                assert_true(v8 && v16 && m);
                sc_winograd_input_lanes8(&in, &plan.grid, first, count, v8, (size_t)count, v_point);
                sc_winograd_input_lanes16(&in, &plan.grid, first, count, v16, (size_t)count,
                                          v_point);
                if (memcmp(v8, v16, v_floats * sizeof(float)) != 0)
                    fail_msg("%s, %dx%d tiles: input transforms differ", c->name, side, side);
                fill_uniform(m, m_floats, (unsigned)i + 900, -2.0f, 2.0f);
                sc_tensor out8 = output_for(&l.cv, &in), out16 = output_for(&l.cv, &in);
                sc_winograd_output_lanes8(m, c->cout, &plan.grid, first, count, l.cv.bias, c->act,
                                          &out8);
                sc_winograd_output_lanes16(m, c->cout, &plan.grid, first, count, l.cv.bias,
                                           c->act, &out16);
                if (memcmp(out8.data, out16.data, sc_tensor_size(&out8) * sizeof(float)) != 0)
                    fail_msg("%s, %dx%d tiles: output transforms differ", c->name, side, side);
                sc_tensor_free(&out8);
                sc_tensor_free(&out16);
                free(v8);
                free(v16);
                free(m);
            }
            sc_tensor_free(&in);
            free_layer(&l);
            compared++;
        }
    }
    assert_true(compared >= 20);
#endif
}

/* Reproducible mode must not depend on the algorithm a layer was prepared
 * for: it runs im2col on the plain weights, the same bits as an unprepared layer. */
static void reproducible_mode_runs_im2col(void **state)
{
    (void)state;
    const layer_case *c = &WINOGRAD_CASES[1];
    prepared_layer wino, plain;
    make_layer(&wino, c, SC_CONV_WINOGRAD, SC_WINOGRAD_OUT, 1, 9);
    make_layer(&plain, c, SC_CONV_WINOGRAD, SC_WINOGRAD_OUT, 0, 9);
    sc_tensor in = random_tensor(c->cin, c->h, c->w, 10);
    sc_tensor a = output_for(&wino.cv, &in), b = output_for(&plain.cv, &in);
    const int before = sc_set_reproducible(1);
    assert_int_equal(plan_algorithm(&wino.cv, c->h, c->w), SC_CONV_IM2COL);
    run_conv(&wino.cv, &in, &a, c->act);
    run_conv(&plain.cv, &in, &b, c->act);
    sc_set_reproducible(before);
    assert_memory_equal(a.data, b.data, sc_tensor_size(&a) * sizeof(float));
    assert_int_equal(plan_algorithm(&wino.cv, c->h, c->w), SC_CONV_WINOGRAD);
    sc_tensor_free(&in);
    sc_tensor_free(&a);
    sc_tensor_free(&b);
    free_layer(&wino);
    free_layer(&plain);
}

/* Weights packed for one kernel are not fed to another: after a forced
 * switch the layer runs im2col from its plain weights, still correct. */
static void another_kernel_falls_back_to_plain_weights(void **state)
{
    (void)state;
    const char *packed_for = sc_sgemm_kernel_name();
    const char *other = strcmp(packed_for, "avx2") ? "avx2" : "exact-sse2";
    const layer_case *c = &WINOGRAD_CASES[WINOGRAD_DEEP_3X3];
    prepared_layer l;
    make_layer(&l, c, SC_CONV_WINOGRAD, SC_WINOGRAD_OUT, 1, 11);
    if (sc_sgemm_force_kernel(other) != 0) {
        free_layer(&l);
        skip();
    }
    assert_int_equal(plan_algorithm(&l.cv, c->h, c->w), SC_CONV_IM2COL);
    sc_tensor in = random_tensor(c->cin, c->h, c->w, 12);
    sc_tensor got = output_for(&l.cv, &in), want = output_for(&l.cv, &in);
    run_conv(&l.cv, &in, &got, c->act);
    assert_int_equal(sc_sgemm_force_kernel(packed_for), 0);
    run_naive(&l.cv, &in, &want, c->act);
    assert_true(max_rel_error(got.data, want.data, sc_tensor_size(&want)) <= OPS_REL_TOLERANCE);
    sc_tensor_free(&in);
    sc_tensor_free(&got);
    sc_tensor_free(&want);
    free_layer(&l);
}

/* Narrow shapes: the refiner's (4 -> 8 and 8 -> 8 3x3, 16 -> 8 and 8 -> 1 5x5,
 * 64 -> 1 5x5 in the original), channel counts the AVX2 loops pad (3, 5, 6),
 * rows shorter and longer than their steps, every activation. */
static const layer_case NARROW_CASES[] = {
    {"refiner up1 shape 64->1 5x5", 64, 1, 5, 2, 1, SC_ACT_NONE, 37, 53, 1},
    {"8->1 5x5, ReLU", 8, 1, 5, 2, 1, SC_ACT_RELU, 20, 9, 1},
    {"3->4 3x3, ReLU6", 3, 4, 3, 1, 1, SC_ACT_RELU6, 11, 16, 1},
    {"1x1, no bias", 5, 2, 1, 0, 0, SC_ACT_NONE, 7, 8, 1},
    {"no padding", 6, 3, 3, 0, 1, SC_ACT_NONE, 10, 12, 1},
    {"wider padding than the picture", 2, 1, 5, 4, 1, SC_ACT_NONE, 2, 3, 1},
    {"refiner down1 4->8 3x3, ReLU", 4, 8, 3, 1, 1, SC_ACT_RELU, 19, 75, 1},
    {"refiner down1 8->8 3x3, ReLU", 8, 8, 3, 1, 1, SC_ACT_RELU, 9, 130, 1},
    {"refiner up2 16->8 5x5, ReLU", 16, 8, 5, 2, 1, SC_ACT_RELU, 14, 41, 1},
    {"5 channels, ReLU6", 7, 5, 3, 1, 1, SC_ACT_RELU6, 6, 17, 1},
    {"6 channels, no bias", 3, 6, 5, 2, 0, SC_ACT_NONE, 5, 8, 1},
    {"2 channels, 1 pixel wide", 9, 2, 3, 1, 1, SC_ACT_NONE, 8, 1, 1},
    {"9 channels: a group and one", 5, 9, 3, 1, 1, SC_ACT_RELU, 12, 19, 1},
    {"12 channels, no bias", 6, 12, 5, 2, 0, SC_ACT_NONE, 9, 35, 1},
    {"refiner down2 16->16 3x3, ReLU", 16, 16, 3, 1, 1, SC_ACT_RELU, 11, 70, 1},
    {"refiner up3 24->16 5x5, ReLU", 24, 16, 5, 2, 1, SC_ACT_RELU, 10, 27, 1},
};

static int avx2_narrow(void)
{
    return sc_isa_allowed() >= SC_ISA_AVX2;
}

/* Whether the AVX2 loops can run here at all, whatever SKYCHANGE_ISA says. */
static int cpu_has_avx2_fma(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

/* Narrow layers through sc_conv2d against the float64 naive convolution,
 * whatever their kernel, padding, dilation and activation: the AVX2 loops
 * where the CPU has them (and SKYCHANGE_ISA allows them), the plain loops
 * otherwise, which take at most SC_CONV_NARROW_MAX_COUT channels. */
static void narrow_layers_match_naive(void **state)
{
    (void)state;
    sc_set_threads(2);
    for (size_t i = 0; i < sizeof NARROW_CASES / sizeof NARROW_CASES[0]; i++) {
        const layer_case *c = &NARROW_CASES[i];
        prepared_layer l;
        make_layer(&l, c, SC_CONV_IM2COL, 0, 1, (unsigned)i + 60);
        const int narrow = c->cout <= SC_CONV_NARROW_MAX_COUT || avx2_narrow();
        assert_int_equal(plan_algorithm(&l.cv, c->h, c->w),
                         narrow ? SC_CONV_NARROW : SC_CONV_IM2COL);
        sc_tensor in = random_tensor(c->cin, c->h, c->w, (unsigned)i + 600);
        sc_tensor got = output_for(&l.cv, &in), want = output_for(&l.cv, &in);
        run_conv(&l.cv, &in, &got, c->act);
        run_naive(&l.cv, &in, &want, c->act);
        double err = max_rel_error(got.data, want.data, sc_tensor_size(&want));
        if (err > OPS_REL_TOLERANCE)
            fail_msg("%s: relative error %g", c->name, err);
        sc_tensor_free(&in);
        sc_tensor_free(&got);
        sc_tensor_free(&want);
        free_layer(&l);
    }
    /* Dilation, which the row loops take as well. */
    sc_conv cv = {1, 3, 3, 3, 1, 2, 2, 1, NULL, NULL, NULL};
    float weight[27];
    fill_uniform(weight, 27, 70, -0.5f, 0.5f);
    cv.weight = weight;
    assert_int_equal(plan_algorithm(&cv, 13, 17), SC_CONV_NARROW);
    sc_tensor in = random_tensor(3, 13, 17, 71);
    sc_tensor got = output_for(&cv, &in), want = output_for(&cv, &in);
    run_conv(&cv, &in, &got, SC_ACT_NONE);
    run_naive(&cv, &in, &want, SC_ACT_NONE);
    assert_true(max_rel_error(got.data, want.data, sc_tensor_size(&want)) <= OPS_REL_TOLERANCE);
    sc_tensor_free(&in);
    sc_tensor_free(&got);
    sc_tensor_free(&want);
}

typedef void (*narrow_loops)(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int y0,
                             int y1, int act, float *scratch);

/* One kind of loops over every output row, in bands of 3 rows (as workers
 * take them), on a scratch of `floats` floats. */
static void run_loops(narrow_loops loops, size_t floats, const sc_conv *cv, const sc_tensor *in,
                      sc_tensor *out, int act)
{
    float *scratch = aligned_alloc(64, (floats * sizeof(float) + 63) / 64 * 64);
    assert_non_null(scratch);
    for (int y = 0; y < out->h; y += 3)
        loops(cv, in, out, y, y + 3 < out->h ? y + 3 : out->h, act, scratch);
    free(scratch);
}

/* Each kind of loops against the naive convolution on its own, whichever
 * sc_conv2d would pick here: the plain loops on the shapes they take, the
 * AVX2 loops (on a CPU with AVX2 and FMA) on all, with dilation 2 as well,
 * and their 16-lane copy (on a CPU with AVX-512) bit for bit against them. */
static void plain_and_avx2_loops_match_naive(void **state)
{
    (void)state;
    const int cpu_avx2 = cpu_has_avx2_fma();
    int cpu_avx512 = 0, compared = 0;
#if defined(__x86_64__) || defined(__i386__)
    cpu_avx512 = cpu_avx2 && __builtin_cpu_supports("avx512f");
#endif
    for (int dilation = 1; dilation <= 2; dilation++)
        for (size_t i = 0; i < sizeof NARROW_CASES / sizeof NARROW_CASES[0]; i++) {
            const layer_case *c = &NARROW_CASES[i];
            prepared_layer l;
            make_layer(&l, c, SC_CONV_IM2COL, 0, 0, (unsigned)i + 90);
            l.cv.dilation = dilation;
            l.cv.pad = c->pad * dilation;
            sc_tensor in = random_tensor(c->cin, c->h, c->w, (unsigned)i + 900);
            sc_tensor want = output_for(&l.cv, &in);
            run_naive(&l.cv, &in, &want, c->act);
            for (int kind = 0; kind < 2; kind++) {
                if (kind == 0 && c->cout > SC_CONV_NARROW_MAX_COUT)
                    continue;
                if (kind == 1 && !cpu_avx2)
                    continue;
                sc_tensor got = output_for(&l.cv, &in);
                if (kind == 0)
                    run_loops(sc_conv_narrow_rows_plain, sc_conv_narrow_row_floats(&l.cv, c->w),
                              &l.cv, &in, &got, c->act);
                else
                    run_loops(sc_conv_narrow_rows_avx2,
                              sc_conv_narrow_avx2_scratch_floats(&l.cv, c->w), &l.cv, &in, &got,
                              c->act);
                double err = max_rel_error(got.data, want.data, sc_tensor_size(&want));
                if (err > OPS_REL_TOLERANCE)
                    fail_msg("%s loops, %s, dilation %d: relative error %g",
                             kind ? "AVX2" : "plain", c->name, dilation, err);
                if (kind == 1 && cpu_avx512) {
                    /* The same loops on 16 lanes: the same bits. */
                    sc_tensor wide = output_for(&l.cv, &in);
                    run_loops(sc_conv_narrow_rows_avx512,
                              sc_conv_narrow_avx2_scratch_floats(&l.cv, c->w), &l.cv, &in, &wide,
                              c->act);
                    if (memcmp(wide.data, got.data, sc_tensor_size(&got) * sizeof(float)) != 0)
                        fail_msg("AVX-512 loops, %s, dilation %d: bits differ from AVX2's",
                                 c->name, dilation);
                    sc_tensor_free(&wide);
                    compared++;
                }
                sc_tensor_free(&got);
            }
            sc_tensor_free(&in);
            sc_tensor_free(&want);
            free_layer(&l);
        }
    if (cpu_avx512)
        assert_true(compared >= 8);
    else
        print_message("no AVX-512 on this CPU: the 16-lane loops were not compared\n");
}

/* The same bits for any thread count; reproducible mode and
 * SKYCHANGE_CONV=im2col run im2col on the layer instead. */
static void narrow_layers_are_deterministic_and_can_be_turned_off(void **state)
{
    (void)state;
    const layer_case c = {"up1", 16, 1, 5, 2, 1, SC_ACT_NONE, 45, 33, 1};
    prepared_layer l;
    make_layer(&l, &c, SC_CONV_IM2COL, 0, 1, 80);
    sc_tensor in = random_tensor(c.cin, c.h, c.w, 81);
    sc_tensor out[3];
    for (int t = 0; t < 3; t++) {
        sc_set_threads(t + 1);
        out[t] = output_for(&l.cv, &in);
        run_conv(&l.cv, &in, &out[t], c.act);
    }
    size_t bytes = sc_tensor_size(&out[0]) * sizeof(float);
    assert_memory_equal(out[0].data, out[1].data, bytes);
    assert_memory_equal(out[0].data, out[2].data, bytes);
    sc_set_threads(2);

    const int before = sc_set_reproducible(1);
    assert_int_equal(plan_algorithm(&l.cv, c.h, c.w), SC_CONV_IM2COL);
    sc_set_reproducible(before);
    assert_int_equal(setenv("SKYCHANGE_CONV", "im2col", 1), 0);
    assert_int_equal(plan_algorithm(&l.cv, c.h, c.w), SC_CONV_IM2COL);
    assert_int_equal(unsetenv("SKYCHANGE_CONV"), 0);
    sc_conv strided = l.cv;
    strided.stride = 2;
    assert_int_equal(plan_algorithm(&strided, c.h, c.w), SC_CONV_IM2COL);
    sc_conv five = l.cv;
    five.cout = SC_CONV_NARROW_AVX2_MAX_COUT + 1;
    five.prepared = NULL;
    assert_int_equal(plan_algorithm(&five, c.h, c.w), SC_CONV_IM2COL);
    /* Wider than one group, a 1x1 layer stays a direct GEMM: no copies to save. */
    sc_conv wide_1x1 = l.cv;
    wide_1x1.cout = SC_CONV_NARROW_GROUP + 4;
    wide_1x1.kh = wide_1x1.kw = 1;
    wide_1x1.pad = 0;
    wide_1x1.prepared = NULL;
    assert_int_equal(plan_algorithm(&wide_1x1, c.h, c.w), SC_CONV_IM2COL);
    for (int t = 0; t < 3; t++)
        sc_tensor_free(&out[t]);
    sc_tensor_free(&in);
    free_layer(&l);
}

static void algorithm_rule_follows_shape_and_environment(void **state)
{
    (void)state;
    sc_conv cv = {64, 64, 3, 3, 1, 1, 1, 1, NULL, NULL, NULL};
    assert_int_equal(sc_conv_choose_algorithm(&cv), SC_CONV_WINOGRAD);
    sc_conv other = cv;
    other.stride = 2;
    assert_int_equal(sc_conv_choose_algorithm(&other), SC_CONV_IM2COL);
    other = cv;
    other.dilation = 2; /* phase by phase */
    assert_int_equal(sc_conv_choose_algorithm(&other), SC_CONV_WINOGRAD);
    other = cv;
    other.kh = other.kw = 5;
    assert_int_equal(sc_conv_choose_algorithm(&other), SC_CONV_WINOGRAD);
    other.kh = other.kw = 7; /* no transform for it */
    assert_int_equal(sc_conv_choose_algorithm(&other), SC_CONV_IM2COL);
    other = cv;
    other.kw = 5; /* not square */
    assert_int_equal(sc_conv_choose_algorithm(&other), SC_CONV_IM2COL);
    other = cv;
    other.cin = 4; /* too narrow to gain */
    assert_int_equal(sc_conv_choose_algorithm(&other), SC_CONV_IM2COL);
    assert_int_equal(setenv("SKYCHANGE_CONV", "im2col", 1), 0);
    assert_int_equal(sc_conv_choose_algorithm(&cv), SC_CONV_IM2COL);
    other = cv;
    other.cin = 4;
    assert_int_equal(setenv("SKYCHANGE_CONV", "winograd", 1), 0);
    assert_int_equal(sc_conv_choose_algorithm(&other), SC_CONV_WINOGRAD);
    other.stride = 2;
    assert_int_equal(sc_conv_choose_algorithm(&other), SC_CONV_IM2COL);
    assert_int_equal(unsetenv("SKYCHANGE_CONV"), 0);
    assert_int_equal(sc_conv_choose_algorithm(&cv), SC_CONV_WINOGRAD);
}

/* A 1x1 layer written over its input gives sc_conv2d's bits (with and without
 * packed weights, on 1 to 3 threads, output tiles that do and do not divide
 * the map), leaves the input's other channels as they were and gives its
 * scratch back; a layer that does not run as a direct GEMM is refused. */
static void conv_over_input_gives_conv2ds_bits(void **state)
{
    (void)state;
    static const layer_case cases[] = {
        {"OCR fuse shape 64->32", 64, 32, 1, 0, 1, SC_ACT_RELU, 37, 41, 1},
        {"as many out as in, no bias", 24, 24, 1, 0, 0, SC_ACT_NONE, 90, 71, 1},
        {"one pixel", 20, 17, 1, 0, 1, SC_ACT_RELU6, 1, 1, 1},
        {"deeper than a depth block", 300, 40, 1, 0, 1, SC_ACT_RELU, 13, 11, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (int prepare = 0; prepare <= 1; prepare++)
            for (int threads = 1; threads <= 3; threads++) {
                const layer_case *c = &cases[i];
                sc_set_threads(threads);
                prepared_layer l;
                make_layer(&l, c, SC_CONV_IM2COL, 0, prepare, (unsigned)i + 300);
                sc_tensor in = random_tensor(c->cin, c->h, c->w, (unsigned)i + 310);
                sc_tensor want = output_for(&l.cv, &in);
                run_conv(&l.cv, &in, &want, c->act);
                sc_tensor inout = random_tensor(c->cin, c->h, c->w, (unsigned)i + 310);
                sc_arena arena;
                assert_int_equal(sc_arena_init(&arena, (size_t)8 << 20), 0);
                assert_int_equal(sc_conv2d_over_input(&l.cv, &inout, c->act, &arena), 0);
                assert_int_equal(arena.used, 0);
                sc_arena_release(&arena);
                const size_t plane = (size_t)c->h * (size_t)c->w;
                assert_memory_equal(inout.data, want.data, sc_tensor_size(&want) * sizeof(float));
                assert_memory_equal(inout.data + (size_t)c->cout * plane,
                                    in.data + (size_t)c->cout * plane,
                                    (size_t)(c->cin - c->cout) * plane * sizeof(float));
                sc_tensor_free(&in);
                sc_tensor_free(&want);
                sc_tensor_free(&inout);
                free_layer(&l);
            }
    sc_set_threads(2);
    const layer_case three = {"3x3", 8, 8, 3, 1, 1, SC_ACT_NONE, 9, 9, 1};
    const layer_case wider = {"more out than in", 8, 16, 1, 0, 1, SC_ACT_NONE, 9, 9, 1};
    const layer_case *refused[] = {&three, &wider};
    for (int i = 0; i < 2; i++) {
        prepared_layer l;
        make_layer(&l, refused[i], SC_CONV_IM2COL, 0, 0, 320);
        sc_tensor inout = random_tensor(refused[i]->cin, 9, 9, 321);
        sc_arena arena;
        assert_int_equal(sc_arena_init(&arena, (size_t)8 << 20), 0);
        assert_int_equal(sc_conv2d_over_input(&l.cv, &inout, SC_ACT_NONE, &arena), -1);
        sc_arena_release(&arena);
        sc_tensor_free(&inout);
        free_layer(&l);
    }
}

/* A narrow layer over a pooled map's unpooling, made on the fly, gives the
 * bits of unpooling first and running sc_conv2d: through sc_conv2d_unpooled
 * (1 to 3 threads) and through the 8-lane and 16-lane loops on their own
 * where the CPU has them; maps of odd sides too (the unpooling's last row and
 * column are 0). A layer that does not run narrow is refused. */
static void unpooled_layers_give_unpool_then_conv_bits(void **state)
{
    (void)state;
    static const layer_case cases[] = {
        {"refiner up1 8->1 5x5", 8, 1, 5, 2, 1, SC_ACT_NONE, 21, 33, 1},
        {"refiner up2 16->8 5x5, ReLU", 16, 8, 5, 2, 1, SC_ACT_RELU, 14, 18, 1},
        {"odd sides, 12 channels 3x3", 6, 12, 3, 1, 1, SC_ACT_RELU, 11, 9, 1},
    };
    const int cpu_avx2 = cpu_has_avx2_fma();
    int cpu_avx512 = 0;
#if defined(__x86_64__) || defined(__i386__)
    cpu_avx512 = cpu_avx2 && __builtin_cpu_supports("avx512f");
#endif
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const layer_case *c = &cases[i];
        prepared_layer l;
        make_layer(&l, c, SC_CONV_IM2COL, 0, 0, (unsigned)i + 400);
        sc_tensor pooled = random_tensor(c->cin, c->h / 2, c->w / 2, (unsigned)i + 410);
        uint8_t *where = malloc(sc_tensor_size(&pooled));
        assert_non_null(where);
        for (size_t j = 0; j < sc_tensor_size(&pooled); j++)
            where[j] = (uint8_t)((j * 2654435761u >> 7) % 4);
        sc_tensor map = zero_tensor(c->cin, c->h, c->w);
        sc_maxunpool2x2(&pooled, where, &map);
        sc_tensor want = output_for(&l.cv, &map);
        run_conv(&l.cv, &map, &want, c->act);
        const size_t bytes = sc_tensor_size(&want) * sizeof(float);
        for (int threads = 1; threads <= 3; threads++) {
            sc_set_threads(threads);
            sc_tensor got = output_for(&l.cv, &map);
            sc_arena arena;
            size_t scratch = sc_conv2d_scratch_bytes(&l.cv, c->h, c->w, threads);
            assert_int_equal(sc_arena_init(&arena, scratch + 64), 0);
            const int ran = sc_conv2d_unpooled(&l.cv, &pooled, where, &got, c->act, &arena);
            assert_int_equal(arena.used, 0);
            sc_arena_release(&arena);
            assert_int_equal(ran, avx2_narrow() ? 0 : -1);
            if (ran == 0)
                assert_memory_equal(got.data, want.data, bytes);
            sc_tensor_free(&got);
        }
        for (int lanes = 8; lanes <= 16; lanes += 8) {
            if (!cpu_avx2 || (lanes == 16 && !cpu_avx512))
                continue;
            sc_tensor got = output_for(&l.cv, &map);
            size_t floats = sc_conv_narrow_avx2_scratch_floats(&l.cv, c->w);
            float *scratch = aligned_alloc(64, (floats * sizeof(float) + 63) / 64 * 64);
            assert_non_null(scratch);
            for (int y = 0; y < got.h; y += 4) {
                const int y1 = y + 4 < got.h ? y + 4 : got.h;
                if (lanes == 8)
                    sc_conv_narrow_unpooled_avx2(&l.cv, &pooled, where, &got, y, y1, c->act,
                                                 scratch);
                else
                    sc_conv_narrow_unpooled_avx512(&l.cv, &pooled, where, &got, y, y1, c->act,
                                                   scratch);
            }
            free(scratch);
            if (memcmp(got.data, want.data, bytes) != 0)
                fail_msg("%s: the %d-lane loops over the unpooled rows differ", c->name, lanes);
            sc_tensor_free(&got);
        }
        free(where);
        sc_tensor_free(&pooled);
        sc_tensor_free(&map);
        sc_tensor_free(&want);
        free_layer(&l);
    }
    sc_set_threads(2);
    /* Too many output channels for the row loops: refused. */
    const layer_case wide = {"32 channels", 8, 32, 3, 1, 1, SC_ACT_NONE, 8, 8, 1};
    prepared_layer l;
    make_layer(&l, &wide, SC_CONV_IM2COL, 0, 0, 420);
    sc_tensor pooled = random_tensor(8, 4, 4, 421);
    uint8_t where[8 * 4 * 4] = {0};
    sc_tensor out = zero_tensor(32, 8, 8);
    sc_arena arena;
    assert_int_equal(sc_arena_init(&arena, (size_t)8 << 20), 0);
    assert_int_equal(sc_conv2d_unpooled(&l.cv, &pooled, where, &out, SC_ACT_NONE, &arena), -1);
    sc_arena_release(&arena);
    sc_tensor_free(&pooled);
    sc_tensor_free(&out);
    free_layer(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conv_over_input_gives_conv2ds_bits),
        cmocka_unit_test(unpooled_layers_give_unpool_then_conv_bits),
        cmocka_unit_test(winograd_matches_naive),
        cmocka_unit_test(winograd_2x2_matches_naive_closely),
        cmocka_unit_test(winograd_2x2_refuses_5x5),
        cmocka_unit_test(narrow_layers_match_naive),
        cmocka_unit_test(plain_and_avx2_loops_match_naive),
        cmocka_unit_test(narrow_layers_are_deterministic_and_can_be_turned_off),
        cmocka_unit_test(packed_im2col_is_bit_identical_to_unpacked),
        cmocka_unit_test(winograd_is_bit_identical_for_any_thread_count),
        cmocka_unit_test(winograd_cut_by_output_channels_keeps_the_bits),
        cmocka_unit_test(im2col_cut_for_many_workers_keeps_the_bits),
        cmocka_unit_test(winograd_16_lanes_give_the_bits_of_8),
        cmocka_unit_test(reproducible_mode_runs_im2col),
        cmocka_unit_test(another_kernel_falls_back_to_plain_weights),
        cmocka_unit_test(algorithm_rule_follows_shape_and_environment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
