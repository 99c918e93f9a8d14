/* Hostile configs (found by tests/fuzz/fuzz_model): counts and widths far
 * beyond any real model are refused before memory is allocated for them, and
 * numbers outside int's range are refused without converting them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "nets/config.h"
#include "nets/model.h"
#include "nets/weights.h"

/* A tiny valid config with four holes: stem width, layer1 blocks, the first
 * stage's modules and its blocks per branch. */
static const char *const templ =
    "{\"name\":\"t\",\"version\":\"1\",\"preprocess\":{\"coarse_size\":32,\"refine_size\":32,"
    "\"mean\":[0.5,0.5,0.5],\"std\":[0.2,0.2,0.2]},"
    "\"coarse\":{\"architecture\":\"super_first\",\"class_num\":2,\"stem_channels\":%s,"
    "\"layer1\":{\"block\":\"BOTTLENECK\",\"blocks\":%s,\"channels\":1},"
    "\"stages\":[{\"modules\":%s,\"block\":\"BASIC\",\"blocks\":[%s,1],\"channels\":[1,2]}],"
    "\"tail\":null,\"super\":{\"modules\":1,\"block\":\"BASIC\",\"blocks\":[1,1],\"channels\":[1,2]},"
    "\"aspp\":null,\"ocr\":{\"mid\":2,\"key\":1,\"scale\":1}},"
    "\"refine\":{\"in_channels\":4,\"widths\":[1,1,1,1,1],\"aspp\":null}}";

static sc_status parse(const char *stem, const char *layer1_blocks, const char *modules,
                       const char *stage_blocks, sc_error *err)
{
    char json[2048];
    snprintf(json, sizeof json, templ, stem, layer1_blocks, modules, stage_blocks);
    sc_model_config cfg;
    sc_status s = sc_config_parse(json, "m.safetensors", &cfg, err);
    printf("  stem %s, layer1 blocks %s, modules %s, blocks %s -> %s\n", stem, layer1_blocks,
           modules, stage_blocks, s == SC_OK ? "ok" : err->msg);
    return s;
}

static void expect_refusal(const char *stem, const char *layer1_blocks, const char *modules,
                           const char *stage_blocks, const char *fragment)
{
    sc_error err = {SC_OK, ""};
    assert_int_equal(parse(stem, layer1_blocks, modules, stage_blocks, &err), SC_ERR_MODEL);
    if (!strstr(err.msg, fragment))
        fail_msg("expected \"%s\" in \"%s\"", fragment, err.msg);
}

static void test_counts_limited(void **state)
{
    (void)state;
    sc_error err = {SC_OK, ""};
    assert_int_equal(parse("2", "64", "64", "64", &err), SC_OK);
    expect_refusal("2", "65", "1", "1", "coarse.layer1.blocks must be 1 to 64");
    expect_refusal("2", "1", "65", "1", "coarse.stages[0].modules must be 1 to 64");
    expect_refusal("2", "1", "1", "1000000", "coarse.stages[0].blocks entries must be 1 to 64");
}

/* Before the fix the range check came after (int)d: undefined for these. */
static void test_numbers_outside_int(void **state)
{
    (void)state;
    expect_refusal("1e10", "1", "1", "1", "coarse.stem_channels must be an integer >= 1");
    expect_refusal("-1e300", "1", "1", "1", "coarse.stem_channels must be an integer >= 1");
    expect_refusal("2", "1", "1", "4294967297", "coarse.stages[0].blocks entries must be");
    expect_refusal("2", "1", "1", "1e308", "coarse.stages[0].blocks entries must be");
}

/* A tensor source that holds nothing and counts the buffers it was handed. */
typedef struct empty_source {
    int checks, fills;
} empty_source;

static sc_status empty_read(void *ctx, const char *name, const int64_t *shape, int ndim,
                            float *dst, sc_error *err)
{
    (void)shape;
    (void)ndim;
    empty_source *src = ctx;
    if (dst)
        src->fills++;
    else
        src->checks++;
    return sc_fail(err, SC_ERR_MODEL, "m.safetensors: tensor '%s' not found", name);
}

/* The weight's shape is checked before a buffer is allocated for it: a stem
 * a million channels wide cost 108 MB before the file was asked for it. */
static void test_shape_checked_before_allocating(void **state)
{
    (void)state;
    char json[2048];
    snprintf(json, sizeof json, templ, "1000000", "1", "1", "1");
    empty_source src = {0, 0};
    sc_model *m = (sc_model *)&src;
    sc_error err = {SC_OK, ""};
    assert_int_equal(sc_model_build(json, "m.safetensors", empty_read, &src, &m, &err),
                     SC_ERR_MODEL);
    printf("  -> %s\n", err.msg);
    assert_null(m);
    assert_int_equal(src.checks, 1);
    assert_int_equal(src.fills, 0);
    assert_non_null(strstr(err.msg, "coarse.conv1.weight"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_limited),
        cmocka_unit_test(test_numbers_outside_int),
        cmocka_unit_test(test_shape_checked_before_allocating),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
