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

/* ---- the MobileNetV2 encoder ------------------------------------------------ */

/* A coarse net with two holes: what comes before the stages, and the stages. */
static const char *const encoder_templ =
    "{\"name\": \"m\", \"version\": \"1\", " PRE
    " \"coarse\": {\"architecture\": \"ocr_first\", \"class_num\": 2, %s"
    " \"stages\": [%s], \"tail\": null,"
    " \"super\": {\"modules\": 1, \"block\": \"BASIC\", \"blocks\": [1, 1], \"channels\": [16, 32]},"
    " \"aspp\": null, \"ocr\": {\"mid\": 64, \"key\": 32, \"scale\": 1}},"
    " \"refine\": {\"in_channels\": 4, \"widths\": [" WIDTHS "], \"aspp\": null}}";

/* torchvision's mobilenet_v2 rows; features 1, 3, 6, 13, 17 are at 1/2 ... 1/32. */
#define MNV2_ROWS "[[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1]," \
                  " [6, 160, 3, 2], [6, 320, 1, 1]]"
#define ENCODER(stem, rows, taps) \
    "\"encoder\": {\"type\": \"mobilenet_v2\", \"stem_channels\": " stem ", \"blocks\": " rows \
    ", \"taps\": " taps "},"
#define MNV2(taps) ENCODER("32", MNV2_ROWS, taps)
#define STAGE(blocks, channels) \
    "{\"modules\": 1, \"block\": \"BASIC\", \"blocks\": " blocks ", \"channels\": " channels "}"
#define STAGE4 STAGE("[1, 1, 1, 1]", "[16, 24, 32, 48]")
#define HRNET_FRONT \
    "\"stem_channels\": 64, \"layer1\": {\"block\": \"BOTTLENECK\", \"blocks\": 2, \"channels\": 64},"

static sc_status parse_encoder(const char *front, const char *stages, sc_model_config *cfg,
                               sc_error *err)
{
    char json[4096];
    snprintf(json, sizeof json, encoder_templ, "256", front, stages);
    return sc_config_parse(json, "m.safetensors", cfg, err);
}

static void test_encoder_config(void **state)
{
    (void)state;
    sc_model_config cfg;
    sc_error err = {SC_OK, ""};
    assert_int_equal(parse_encoder(MNV2("[1, 3, 6, 13, 17]"), STAGE4, &cfg, &err), SC_OK);
    const sc_encoder_cfg *e = &cfg.coarse.encoder;
    assert_int_equal(e->present, 1);
    assert_int_equal(e->stem_channels, 32);
    assert_int_equal(e->row_count, 7);
    assert_int_equal(e->tap_count, 5);
    assert_int_equal(e->taps[4], 17);
    assert_int_equal(cfg.coarse.stage_count, 1);
    assert_int_equal(cfg.coarse.stages[0].branches, 4);
    assert_int_equal(sc_encoder_feature_count(e), 18);
    sc_encoder_feature f;
    sc_encoder_feature_at(e, 0, &f);
    assert_true(f.cin == 3 && f.cout == 32 && f.expand == 0 && f.stride == 2 && f.scale == 2);
    sc_encoder_feature_at(e, 7, &f); /* first of [6, 64, 4, 2] */
    assert_true(f.cin == 32 && f.cout == 64 && f.expand == 6 && f.stride == 2 && f.scale == 16);
    sc_encoder_feature_at(e, 13, &f); /* last of [6, 96, 3, 1] */
    assert_true(f.cin == 96 && f.cout == 96 && f.stride == 1 && f.scale == 16);
    assert_true(sc_encoder_peak_width(e) > 0);

    /* The stem conv may be the 1/2 tap; one branch tap, then a stage per new branch. */
    assert_int_equal(parse_encoder(MNV2("[0, 3]"),
                                   STAGE("[1]", "[16]") "," STAGE("[1, 1]", "[16, 32]") ","
                                   STAGE("[1, 1, 1]", "[16, 32, 64]"), &cfg, &err), SC_OK);
    assert_int_equal(cfg.coarse.encoder.tap_count, 2);
    assert_int_equal(cfg.coarse.stage_count, 3);
    assert_int_equal(cfg.coarse.stages[2].branches, 3);
    /* Without an encoder there is none, and the peak is nothing. */
    assert_int_equal(parse_encoder(HRNET_FRONT, STAGE("[1, 1]", "[18, 36]"), &cfg, &err), SC_OK);
    assert_int_equal(cfg.coarse.encoder.present, 0);
    assert_int_equal(sc_encoder_peak_width(&cfg.coarse.encoder), 0);
    assert_int_equal(parse_encoder("\"encoder\": null, " HRNET_FRONT, STAGE("[1, 1]", "[18, 36]"),
                                   &cfg, &err), SC_OK);
}

static void expect_encoder_rejected(const char *front, const char *stages, const char *fragment)
{
    sc_model_config cfg;
    sc_error err = {SC_OK, ""};
    assert_int_equal(parse_encoder(front, stages, &cfg, &err), SC_ERR_MODEL);
    printf("  -> %s\n", err.msg);
    assert_non_null(strstr(err.msg, "m.safetensors: config"));
    if (!strstr(err.msg, fragment))
        fail_msg("expected '%s' in: %s", fragment, err.msg);
}

static void test_encoder_bad_values(void **state)
{
    (void)state;
    expect_encoder_rejected("", STAGE4, "coarse needs stem_channels and layer1, or an encoder");
    expect_encoder_rejected(HRNET_FRONT MNV2("[1, 3, 6, 13, 17]"), STAGE4,
                            "coarse has both an encoder and stem_channels/layer1");
    expect_encoder_rejected("\"encoder\": [1], ", STAGE4, "coarse.encoder must be an object");
    expect_encoder_rejected("\"encoder\": {\"type\": \"mobilenet_v3\"},", STAGE4,
                            "coarse.encoder.type must be mobilenet_v2");
    expect_encoder_rejected(ENCODER("0", MNV2_ROWS, "[1, 3, 6, 13, 17]"), STAGE4,
                            "coarse.encoder.stem_channels");
    expect_encoder_rejected(ENCODER("5000", MNV2_ROWS, "[1, 3, 6, 13, 17]"), STAGE4,
                            "coarse.encoder.stem_channels must be 1 to 4096");
    expect_encoder_rejected(ENCODER("32", "[]", "[1, 2]"), STAGE4, "coarse.encoder.blocks");
    expect_encoder_rejected(ENCODER("32", "[[1, 16, 1, 1], [6, 24, 2]]", "[1, 3]"), STAGE4,
                            "coarse.encoder.blocks[1] must be [expand, channels, repeats, stride]");
    expect_encoder_rejected(ENCODER("32", "[[1, 16, 1, 1], 6]", "[1, 3]"), STAGE4,
                            "coarse.encoder.blocks[1] is missing or not an array");
    expect_encoder_rejected(ENCODER("32", "[[0, 16, 1, 1]]", "[1, 3]"), STAGE4,
                            "coarse.encoder.blocks[0] entries must be integers >= 1");
    expect_encoder_rejected(ENCODER("32", "[[1, 16, 1, 3]]", "[1, 3]"), STAGE4,
                            "coarse.encoder.blocks[0] stride must be 1 or 2");
    expect_encoder_rejected(ENCODER("32", "[[33, 16, 1, 1]]", "[1, 3]"), STAGE4,
                            "coarse.encoder.blocks[0] expand must be 1 to 32");
    expect_encoder_rejected(ENCODER("32", "[[1, 16, 1, 1], [6, 5000, 1, 2]]", "[1, 2]"), STAGE4,
                            "coarse.encoder.blocks[1] channels must be 1 to 4096");
    expect_encoder_rejected(ENCODER("32", "[[1, 16, 1, 1], [32, 320, 2, 2]]", "[1, 2]"), STAGE4,
                            "coarse.encoder.blocks[1] expands to more than 4096 channels");
    expect_encoder_rejected(ENCODER("32", "[[1, 16, 1, 1], [6, 24, 100, 2]]", "[1, 2]"), STAGE4,
                            "coarse.encoder.blocks[1] makes more than 64 features");
    expect_encoder_rejected(MNV2("[1]"), STAGE4, "coarse.encoder.taps must have 2 to 5 entries");
    expect_encoder_rejected(MNV2("[0, 1, 3, 6, 13, 17]"), STAGE4,
                            "coarse.encoder.taps must have 2 to 5 entries");
    expect_encoder_rejected(MNV2("7"), STAGE4, "coarse.encoder.taps is missing or not an array");
    expect_encoder_rejected(MNV2("[1, 3, 3, 13, 17]"), STAGE4,
                            "coarse.encoder.taps must be strictly increasing");
    expect_encoder_rejected(MNV2("[1, 3, 6, 13, 18]"), STAGE4,
                            "coarse.encoder.taps entries must be features indices below 18");
    expect_encoder_rejected(MNV2("[-1, 3, 6, 13, 17]"), STAGE4, "coarse.encoder.taps entries");
    expect_encoder_rejected(MNV2("[2, 3, 6, 13, 17]"), STAGE4,
                            "coarse.encoder.taps[0] (features[2]) is at 1/4 resolution, must be at 1/2");
    expect_encoder_rejected(MNV2("[1, 3, 7, 13, 17]"), STAGE4,
                            "coarse.encoder.taps[2] (features[7]) is at 1/16 resolution, must be at 1/8");
    expect_encoder_rejected(MNV2("[1, 3, 6, 13, 17]"), STAGE("[1, 1, 1]", "[16, 24, 32]"),
                            "coarse.stages[0] must have 4 branches");
    expect_encoder_rejected(MNV2("[1, 3, 6, 13, 17]"), STAGE4 "," STAGE4,
                            "coarse.stages must have exactly 1 entry with 4 encoder branches");
    expect_encoder_rejected(MNV2("[1, 3, 6, 13]"),
                            STAGE("[1, 1, 1]", "[16, 24, 32]") "," STAGE4 "," STAGE4,
                            "coarse.stages must have 1 to 2 entries");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_config),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_matte_levels),
        cmocka_unit_test(test_coarse_views),
        cmocka_unit_test(test_encoder_config),
        cmocka_unit_test(test_encoder_bad_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
