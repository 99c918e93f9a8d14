/* The config JSON: the documented default parses to the original's
 * architecture; inconsistent configs are rejected naming the field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "nets/config.h"

#define PRE "\"preprocess\": {\"coarse_size\": %s, \"refine_size\": 1280," \
            " \"mean\": [0.485, 0.456, 0.406], \"std\": [0.229, 0.224, 0.225]},"
#define STAGES \
    "\"stages\": [" \
    "{\"modules\": 1, \"block\": \"BASIC\", \"blocks\": [2, 2], \"channels\": [18, 36]}," \
    "{\"modules\": 3, \"block\": \"BASIC\", \"blocks\": [2, 2, 2], \"channels\": [18, 36, 72]}," \
    "{\"modules\": 2, \"block\": \"BASIC\", \"blocks\": [2, 2, 2, %s], \"channels\": [18, 36, 72, 144]}],"

/* The default config of docs/model-format.md with three holes to vary. */
static const char *const templ =
    "{\"name\": \"skychange-default\", \"version\": \"1\", " PRE
    " \"coarse\": {\"architecture\": \"super_first\", \"class_num\": 2, \"stem_channels\": 64,"
    " \"layer1\": {\"block\": \"BOTTLENECK\", \"blocks\": 2, \"channels\": 64}, " STAGES
    " \"tail\": null,"
    " \"super\": {\"modules\": 1, \"block\": \"BASIC\", \"blocks\": [2, 2], \"channels\": [64, 128]},"
    " \"aspp\": {\"out\": 128, \"dilations\": [1, 6, 12, 18]},"
    " \"ocr\": {\"mid\": 512, \"key\": 256, \"scale\": 1}},"
    " \"refine\": {\"in_channels\": 4, \"widths\": [%s], \"aspp\": null}}";

static sc_status parse(const char *coarse_size, const char *last_blocks, const char *widths,
                       sc_model_config *cfg, sc_error *err)
{
    char json[4096];
    snprintf(json, sizeof json, templ, coarse_size, last_blocks, widths);
    return sc_config_parse(json, "m.safetensors", cfg, err);
}

static void test_default_config(void **state)
{
    (void)state;
    sc_model_config cfg;
    sc_error err = {SC_OK, ""};
    assert_int_equal(parse("640", "2", "64, 128, 256, 512, 512", &cfg, &err), SC_OK);
    assert_string_equal(cfg.name, "skychange-default");
    assert_int_equal(cfg.coarse_size, 640);
    assert_int_equal(cfg.refine_size, 1280);
    assert_true(cfg.mean[0] == 0.485f && cfg.std[2] == 0.225f);
    assert_int_equal(cfg.coarse.super_first, 1);
    assert_int_equal(cfg.coarse.layer1.block, SC_BLOCK_BOTTLENECK);
    assert_int_equal(cfg.coarse.stage_count, 3);
    assert_int_equal(cfg.coarse.stages[2].branches, 4);
    assert_int_equal(cfg.coarse.stages[2].channels[3], 144);
    assert_int_equal(cfg.coarse.stages[1].modules, 3);
    assert_int_equal(cfg.coarse.has_tail, 0);
    assert_int_equal(cfg.coarse.aspp.present, 1);
    assert_int_equal(cfg.coarse.aspp.dilations[3], 18);
    assert_int_equal(cfg.coarse.ocr_key, 256);
    assert_int_equal(cfg.refine.widths[4], 512);
    assert_int_equal(cfg.refine.aspp.present, 0);
    assert_true(cfg.refine.levels[0] == 0.0f && cfg.refine.levels[1] == 1.0f);
}

/* The widths hole also carries the optional keys that follow them. */
#define WIDTHS "64, 128, 256, 512, 512"

static void test_matte_levels(void **state)
{
    (void)state;
    sc_model_config cfg;
    sc_error err = {SC_OK, ""};
    assert_int_equal(parse("640", "2", WIDTHS "], \"levels\": [0.05, 0.95", &cfg, &err), SC_OK);
    assert_true(cfg.refine.levels[0] == 0.05f && cfg.refine.levels[1] == 0.95f);
    assert_int_equal(parse("640", "2", WIDTHS "], \"levels\": null, \"unused\": [0", &cfg, &err), SC_OK);
    assert_true(cfg.refine.levels[0] == 0.0f && cfg.refine.levels[1] == 1.0f);
}

/* The coarse_size hole also carries the optional coarse views. */
#define VIEWS(json) "640, \"coarse_views\": " json

static void test_coarse_views(void **state)
{
    (void)state;
    sc_model_config cfg;
    sc_error err = {SC_OK, ""};
    assert_int_equal(parse("640", "2", WIDTHS, &cfg, &err), SC_OK);
    assert_int_equal(cfg.coarse_views.count, 0);
    assert_int_equal(parse(VIEWS("{\"sizes\": [640, 800], \"flip\": true}"), "2", WIDTHS, &cfg,
                           &err), SC_OK);
    assert_int_equal(cfg.coarse_views.count, 2);
    assert_int_equal(cfg.coarse_views.sizes[0], 640);
    assert_int_equal(cfg.coarse_views.sizes[1], 800);
    assert_int_equal(cfg.coarse_views.flip, 1);
    assert_int_equal(parse(VIEWS("{\"sizes\": [640], \"flip\": false}"), "2", WIDTHS, &cfg,
                           &err), SC_OK);
    assert_int_equal(cfg.coarse_views.count, 1);
    assert_int_equal(cfg.coarse_views.flip, 0);
    assert_int_equal(parse(VIEWS("null"), "2", WIDTHS, &cfg, &err), SC_OK);
    assert_int_equal(cfg.coarse_views.count, 0);
}

static void expect_rejected(const char *coarse_size, const char *last_blocks, const char *widths,
                            const char *fragment)
{
    sc_model_config cfg;
    sc_error err = {SC_OK, ""};
    assert_int_equal(parse(coarse_size, last_blocks, widths, &cfg, &err), SC_ERR_MODEL);
    printf("  -> %s\n", err.msg);
    assert_non_null(strstr(err.msg, "m.safetensors: config"));
    assert_non_null(strstr(err.msg, fragment));
}

static void test_bad_values(void **state)
{
    (void)state;
    expect_rejected("641", "2", "64, 128, 256, 512, 512", "preprocess.coarse_size");
    expect_rejected("16", "2", "64, 128, 256, 512, 512", "preprocess.coarse_size");
    expect_rejected("\"640\"", "2", "64, 128, 256, 512, 512", "preprocess.coarse_size");
    expect_rejected("640", "0", "64, 128, 256, 512, 512", "coarse.stages[2].blocks");
    expect_rejected("640", "2, 2", "64, 128, 256, 512, 512", "coarse.stages[2]");
    expect_rejected("640", "2", "64, 128, 256, 512", "refine.widths");
    expect_rejected("640", "2", "64, 128, -256, 512, 512", "refine.widths");
    expect_rejected("640", "2", WIDTHS "], \"levels\": [0.5, 0.5", "refine.levels");
    expect_rejected("640", "2", WIDTHS "], \"levels\": [-0.1, 0.9", "refine.levels");
    expect_rejected("640", "2", WIDTHS "], \"levels\": [0.1, 1.5", "refine.levels");
    expect_rejected("640", "2", WIDTHS "], \"levels\": [0.1", "refine.levels");
    expect_rejected("640", "2", WIDTHS "], \"levels\": [0.1, \"0.9\"", "refine.levels");
    expect_rejected(VIEWS("[640, 800]"), "2", WIDTHS, "preprocess.coarse_views");
    expect_rejected(VIEWS("{\"sizes\": [512, 800], \"flip\": true}"), "2", WIDTHS,
                    "preprocess.coarse_views.sizes must include preprocess.coarse_size");
    expect_rejected(VIEWS("{\"sizes\": [640, 801], \"flip\": true}"), "2", WIDTHS,
                    "preprocess.coarse_views.sizes");
    expect_rejected(VIEWS("{\"sizes\": [], \"flip\": true}"), "2", WIDTHS,
                    "preprocess.coarse_views.sizes");
    expect_rejected(VIEWS("{\"sizes\": [640, 672, 704, 736, 768], \"flip\": true}"), "2",
                    WIDTHS, "preprocess.coarse_views.sizes");
    expect_rejected(VIEWS("{\"sizes\": [640]}"), "2", WIDTHS, "preprocess.coarse_views.flip");
    expect_rejected(VIEWS("{\"sizes\": [640], \"flip\": 1}"), "2", WIDTHS,
                    "preprocess.coarse_views.flip");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_config),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_matte_levels),
        cmocka_unit_test(test_coarse_views),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
