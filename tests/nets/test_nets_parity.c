/* Both networks against the PyTorch reference, for every fixture variant:
 * coarse logits and refined alpha within 1e-4 of the tensor's magnitude, and
 * the coarse label identical except where the reference's two best logits
 * (nearly) tie. Each network is fed the reference's own input for it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/parallel.h"
#include "nets/helper_fixtures.h"
#include "nets/model.h"
#include "nets/netctx.h"

#define REL_TOLERANCE 1e-4
#define TIE_MARGIN 1e-4 /* top-2 logit gap, relative to the logits' max |value| */

typedef struct variant {
    sc_model *model;
    sc_safetensors io;
    sc_arena arena;
} variant;

static int open_variant(const char *name, variant *v)
{
    char path[512];
    sc_error err = {SC_OK, ""};
    fx_model_path(name, path, sizeof path);
    if (sc_model_load(path, &v->model, &err) != SC_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    fx_io_path(name, path, sizeof path);
    if (sc_st_open(path, &v->io, &err) != SC_OK) {
        fprintf(stderr, "%s\n", err.msg);
        sc_model_free(v->model);
        return -1;
    }
    if (sc_arena_init(&v->arena, (size_t)1 << 30) != 0) {
        sc_st_close(&v->io);
        sc_model_free(v->model);
        return -1;
    }
    return 0;
}

static void close_variant(variant *v)
{
    sc_arena_release(&v->arena);
    sc_st_close(&v->io);
    sc_model_free(v->model);
}

/* Runs the coarse net on the reference xc; checks logits and the label. */
static void check_coarse(const char *name, variant *v)
{
    const int s = v->model->cfg.coarse_size, r = v->model->cfg.refine_size;
    const size_t plane = (size_t)r * r;
    size_t n_out = 0;
    float *xc = fx_read_n(&v->io, "xc", (size_t)3 * s * s);
    float *ref_out = fx_read(&v->io, "out", NULL, NULL, &n_out);
    float *ref_lu = fx_read_n(&v->io, "logits_up", (size_t)v->model->cfg.coarse.class_num * plane);
    float *ref_label = fx_read_n(&v->io, "label", plane);
    assert_non_null(xc);
    assert_non_null(ref_out);
    assert_non_null(ref_lu);
    assert_non_null(ref_label);

    sc_error err = {SC_OK, ""};
    sc_net_ctx ctx = {&v->arena, NULL, NULL, SC_OK, &err, 0};
    sc_tensor x = {3, s, s, xc};
    sc_tensor out = sc_coarse_forward(&ctx, &v->model->coarse, &x);
    if (sc_failed(&ctx))
        fail_msg("%s: coarse forward failed: %s", name, err.msg);
    assert_int_equal(sc_tensor_size(&out), n_out);
    double rel = fx_max_rel_error(out.data, ref_out, n_out);
    double abs_err = fx_max_abs_error(out.data, ref_out, n_out);

    assert_true(rel <= REL_TOLERANCE);
    if (v->model->cfg.coarse_views.count > 0) {
        /* Its label comes from several views of the picture: tests/matting checks it. */
        printf("  %-26s coarse logits abs err %.2e, rel err %.2e (label from coarse views)\n",
               name, abs_err, rel);
    } else {
        /* Label from our logits, compared where the reference is not a near-tie. */
        sc_tensor up = sc_upsample(&ctx, &out, r, r);
        float *label = malloc(plane * sizeof(float));
        assert_non_null(label);
        sc_argmax_channels(&up, label);
        int ties = 0, flips = 0;
        fx_label_differences(label, ref_label, ref_lu, out.c, plane, TIE_MARGIN, &ties, &flips);
        printf("  %-26s coarse logits abs err %.2e, rel err %.2e, label: %d near-tie "
               "differences, %d others\n", name, abs_err, rel, ties, flips);
        assert_int_equal(flips, 0);
        free(label);
    }
    free(xc);
    free(ref_out);
    free(ref_lu);
    free(ref_label);
    sc_arena_reset(&v->arena, 0);
}

static void check_refine(const char *name, variant *v)
{
    const int r = v->model->cfg.refine_size;
    size_t n_in = 0, n_alpha = 0;
    float *in = fx_read(&v->io, "refine_in", NULL, NULL, &n_in);
    float *ref_alpha = fx_read(&v->io, "alpha", NULL, NULL, &n_alpha);
    assert_non_null(in);
    assert_non_null(ref_alpha);
    assert_int_equal(n_in, (size_t)4 * r * r);
    assert_int_equal(n_alpha, (size_t)r * r);
    sc_error err = {SC_OK, ""};
    sc_net_ctx ctx = {&v->arena, NULL, NULL, SC_OK, &err, 0};
    sc_tensor x = {4, r, r, in};
    sc_tensor alpha = sc_refine_forward(&ctx, &v->model->refine, &x);
    if (sc_failed(&ctx))
        fail_msg("%s: refine forward failed: %s", name, err.msg);
    assert_int_equal(sc_tensor_size(&alpha), n_alpha);
    double rel = fx_max_rel_error(alpha.data, ref_alpha, n_alpha);
    printf("  %-26s refined alpha abs err %.2e, rel err %.2e\n", name,
           fx_max_abs_error(alpha.data, ref_alpha, n_alpha), rel);
    assert_true(rel <= REL_TOLERANCE);
    free(in);
    free(ref_alpha);
    sc_arena_reset(&v->arena, 0);
}

static void for_each_variant(void (*check)(const char *, variant *))
{
    char names[FX_MAX_VARIANTS][64];
    int n = fx_variants(names, FX_MAX_VARIANTS);
    if (n < 1)
        fail_msg("no network fixtures in %s", fx_dir());
    for (int i = 0; i < n; i++) {
        variant v;
        if (open_variant(names[i], &v) != 0)
            fail_msg("%s: cannot open the fixture", names[i]);
        check(names[i], &v);
        close_variant(&v);
    }
}

static void test_coarse_parity(void **state)
{
    (void)state;
    for_each_variant(check_coarse);
}

static void test_refine_parity(void **state)
{
    (void)state;
    for_each_variant(check_refine);
}

int main(void)
{
    sc_set_threads(2);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coarse_parity),
        cmocka_unit_test(test_refine_parity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
