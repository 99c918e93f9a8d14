/* The matting pipeline against the reference fixtures (tests/data/nets):
 * preprocessing bit-exact, the whole matte within tolerance, and the same
 * matte bit-identical with 1 to 4 threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/safetensors.h"
#include "core/arena.h"
#include "matting/label.h"
#include "matting/preprocess.h"
#include "nets/model.h"
#include "skychange.h"

/* The fixture helpers of the nets tests, which are linked into that folder only. */
#include "nets/helper_fixtures.c"

#define REL_TOLERANCE 1e-4
#define LABEL_TIE_MARGIN 1e-4 /* top-2 score gap, relative to the scores' max |value| */

typedef struct fixture {
    char name[64];
    sc_model *model;
    sc_safetensors io;
    sc_image picture;
} fixture;

static int fixture_open(const char *name, fixture *f)
{
    char path[512];
    sc_error err = {SC_OK, ""};
    memset(f, 0, sizeof *f);
    snprintf(f->name, sizeof f->name, "%s", name);
    fx_model_path(name, path, sizeof path);
    if (sc_model_load(path, &f->model, &err) != SC_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    fx_io_path(name, path, sizeof path);
    if (sc_st_open(path, &f->io, &err) != SC_OK) {
        fprintf(stderr, "%s\n", err.msg);
        sc_model_free(f->model);
        return -1;
    }
    /* The picture is a PNG beside the fixture, named in its metadata. */
    const char *picture = sc_st_metadata(&f->io, "picture");
    if (!picture) {
        fprintf(stderr, "%s: no picture named in the metadata\n", path);
        sc_st_close(&f->io);
        sc_model_free(f->model);
        return -1;
    }
    snprintf(path, sizeof path, "%s/%s", fx_dir(), picture);
    if (sc_image_read(path, &f->picture, &err) != SC_OK) {
        fprintf(stderr, "%s\n", err.msg);
        sc_st_close(&f->io);
        sc_model_free(f->model);
        return -1;
    }
    return 0;
}

static void fixture_close(fixture *f)
{
    sc_image_free(&f->picture);
    sc_st_close(&f->io);
    sc_model_free(f->model);
}

static void for_each_fixture(void (*check)(fixture *))
{
    char names[FX_MAX_VARIANTS][64];
    int n = fx_variants(names, FX_MAX_VARIANTS);
    if (n < 1)
        fail_msg("no network fixtures in %s", fx_dir());
    for (int i = 0; i < n; i++) {
        fixture f;
        if (fixture_open(names[i], &f) != 0)
            fail_msg("%s: cannot open the fixture", names[i]);
        check(&f);
        fixture_close(&f);
    }
}

static void check_preprocess(fixture *f)
{
    const sc_model_config *cfg = &f->model->cfg;
    const int r = cfg->refine_size;
    size_t n = 0;
    float *ref = fx_read(&f->io, "x", NULL, NULL, &n);
    assert_non_null(ref);
    assert_int_equal(n, (size_t)3 * r * r);
    float *x = malloc(n * sizeof(float));
    sc_pad pad;
    sc_error err = {SC_OK, ""};
    assert_int_equal(sc_preprocess(&f->picture, r, cfg->mean, cfg->std, x, &pad, &err), SC_OK);
    size_t differ = 0;
    for (size_t i = 0; i < n; i++)
        differ += memcmp(&x[i], &ref[i], sizeof(float)) != 0;
    printf("  %-24s preprocess %dx%d -> pad (%d,%d,%d,%d): %zu of %zu values differ\n", f->name,
           f->picture.width, f->picture.height, pad.left, pad.top, pad.right, pad.bottom, differ, n);
    assert_int_equal(differ, 0);
    free(x);
    free(ref);
}

/* The label on the reference's own canvas, from the plain view or the views. */
static void check_label(fixture *f)
{
    const sc_model_config *cfg = &f->model->cfg;
    const int r = cfg->refine_size;
    const size_t plane = (size_t)r * r;
    float *x = fx_read_n(&f->io, "x", 3 * plane);
    float *ref_scores = fx_read_n(&f->io, "logits_up", (size_t)cfg->coarse.class_num * plane);
    float *ref_label = fx_read_n(&f->io, "label", plane);
    float *label = malloc(plane * sizeof(float));
    assert_non_null(x);
    assert_non_null(ref_scores);
    assert_non_null(ref_label);
    assert_non_null(label);
    sc_arena arena;
    assert_int_equal(sc_arena_init(&arena, (size_t)64 << 20), 0);
    sc_error err = {SC_OK, ""};
    sc_net_ctx ctx = {&arena, NULL, NULL, SC_OK, &err, 0};
    sc_tensor rgb = {3, r, r, x};
    sc_coarse_label(&ctx, f->model, NULL, &rgb, label);
    if (sc_failed(&ctx))
        fail_msg("%s: %s", f->name, err.msg);
    int ties = 0, flips = 0;
    fx_label_differences(label, ref_label, ref_scores, cfg->coarse.class_num, plane,
                         LABEL_TIE_MARGIN, &ties, &flips);
    printf("  %-24s label (%s): %d near-tie differences, %d others\n", f->name,
           cfg->coarse_views.count ? "coarse views" : "one view", ties, flips);
    assert_int_equal(flips, 0);
    sc_arena_release(&arena);
    free(label);
    free(ref_label);
    free(ref_scores);
    free(x);
}

static void check_matte(fixture *f)
{
    size_t n = 0;
    float *ref = fx_read(&f->io, "mask", NULL, NULL, &n);
    assert_non_null(ref);
    assert_int_equal(n, (size_t)f->picture.width * f->picture.height);
    sc_options opt = sc_options_default();
    opt.threads = 2;
    sc_matte m;
    sc_error err = {SC_OK, ""};
    if (sc_matte_compute(f->model, &f->picture, &opt, &m, &err) != SC_OK)
        fail_msg("%s: %s", f->name, err.msg);
    assert_int_equal(m.width, f->picture.width);
    assert_int_equal(m.height, f->picture.height);
    double max_diff = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(m.alpha[i] >= 0.0f && m.alpha[i] <= 1.0f);
        max_diff = fmax(max_diff, fabs((double)m.alpha[i] - ref[i]));
    }
    printf("  %-24s matte max abs diff %.2e\n", f->name, max_diff);
    /* The mask lies in [0,1]: absolute and relative-to-magnitude tolerances coincide. */
    assert_true(max_diff <= REL_TOLERANCE);
    sc_matte_free(&m);
    free(ref);
}

/* On 2 to 4 threads a model with mirrored coarse views runs each size's two
 * views side by side (matting/label.c), on 3 and 4 each view on a team of its
 * own inside the pair's (2 + 1, 2 + 2 threads); on 1 in turn. */
static void check_threads(fixture *f)
{
    sc_matte one, more;
    sc_error err = {SC_OK, ""};
    sc_options opt = sc_options_default();
    opt.threads = 1;
    assert_int_equal(sc_matte_compute(f->model, &f->picture, &opt, &one, &err), SC_OK);
    size_t n = (size_t)one.width * one.height;
    for (int threads = 2; threads <= 4; threads++) {
        opt.threads = threads;
        assert_int_equal(sc_matte_compute(f->model, &f->picture, &opt, &more, &err), SC_OK);
        assert_memory_equal(one.alpha, more.alpha, n * sizeof(float));
        sc_matte_free(&more);
    }
    sc_matte_free(&one);
}

/* A call reuses the workspace the one before it left in the model: what that
 * left behind must not reach the matte. The kept arena is filled with NaN bytes
 * before the second call, which must give the first call's matte bit for bit,
 * in the default and the reproducible mode (their code paths differ). */
static void check_reused_workspace_in_mode(fixture *f, int reproducible)
{
    sc_matte fresh, reused;
    sc_error err = {SC_OK, ""};
    sc_options opt = sc_options_default();
    opt.threads = 2;
    opt.reproducible = reproducible;
    sc_model_trim(f->model);
    assert_null(f->model->workspaces->idle.base);
    assert_int_equal(sc_matte_compute(f->model, &f->picture, &opt, &fresh, &err), SC_OK);
    sc_arena *kept = &f->model->workspaces->idle;
    assert_non_null(kept->base);
    assert_true(kept->peak > 0);
    unsigned char *base = kept->base;
    memset(base, 0xff, kept->peak);
    assert_int_equal(sc_matte_compute(f->model, &f->picture, &opt, &reused, &err), SC_OK);
    assert_ptr_equal(f->model->workspaces->idle.base, base);
    size_t n = (size_t)fresh.width * fresh.height;
    assert_memory_equal(fresh.alpha, reused.alpha, n * sizeof(float));
    sc_model_trim(f->model);
    assert_null(f->model->workspaces->idle.base);
    sc_matte_free(&fresh);
    sc_matte_free(&reused);
}

static void check_reused_workspace(fixture *f)
{
    check_reused_workspace_in_mode(f, 0);
    check_reused_workspace_in_mode(f, 1);
}

static void test_reused_workspace_leaves_no_trace(void **state)
{
    (void)state;
    for_each_fixture(check_reused_workspace);
}

static void test_preprocess_bit_exact(void **state)
{
    (void)state;
    for_each_fixture(check_preprocess);
}

static void test_label_matches_reference(void **state)
{
    (void)state;
    for_each_fixture(check_label);
}

static void test_matte_matches_reference(void **state)
{
    (void)state;
    for_each_fixture(check_matte);
}

static void test_threads_bit_identical(void **state)
{
    (void)state;
    for_each_fixture(check_threads);
}

static void test_fit_and_pad(void **state)
{
    (void)state;
    /* The spec's example: 230x150 (w x h) on a 192 canvas -> 192x125, pad (0,34,0,33). */
    int w, h;
    sc_pad pad;
    sc_error err;
    assert_int_equal(sc_fit_to_canvas(230, 150, 192, &w, &h, &pad, &err), SC_OK);
    assert_int_equal(w, 192);
    assert_int_equal(h, 125);
    assert_int_equal(pad.left, 0);
    assert_int_equal(pad.top, 34);
    assert_int_equal(pad.right, 0);
    assert_int_equal(pad.bottom, 33);
    /* Already the canvas size: untouched. */
    assert_int_equal(sc_fit_to_canvas(192, 192, 192, &w, &h, &pad, &err), SC_OK);
    assert_int_equal(w, 192);
    assert_int_equal(pad.left + pad.top + pad.right + pad.bottom, 0);
    /* Too thin to keep a pixel. */
    assert_int_equal(sc_fit_to_canvas(5000, 1, 192, &w, &h, &pad, &err), SC_ERR_IMAGE);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    sc_matte m;
    sc_error err = {SC_OK, ""};
    sc_image empty = {.width = 0, .height = 0, .rgb = NULL};
    assert_int_equal(sc_matte_compute(NULL, &empty, NULL, &m, &err), SC_ERR_INVALID_ARG);
    char names[FX_MAX_VARIANTS][64];
    if (fx_variants(names, FX_MAX_VARIANTS) < 1)
        fail_msg("no network fixtures in %s", fx_dir());
    fixture f;
    assert_int_equal(fixture_open(names[0], &f), 0);
    assert_int_equal(sc_matte_compute(f.model, &empty, NULL, &m, &err), SC_ERR_IMAGE);
    fixture_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fit_and_pad),
        cmocka_unit_test(test_preprocess_bit_exact),
        cmocka_unit_test(test_label_matches_reference),
        cmocka_unit_test(test_matte_matches_reference),
        cmocka_unit_test(test_threads_bit_identical),
        cmocka_unit_test(test_reused_workspace_leaves_no_trace),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
