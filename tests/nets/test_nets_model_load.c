/* sc_model_load: a good fixture loads; damaged copies are rejected with one
 * clear line naming the file and the problem. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nets/helper_fixtures.h"
#include "skychange.h"

static char g_model[512];
static char g_tmp[512];

static int setup(void **state)
{
    (void)state;
    char names[FX_MAX_VARIANTS][64];
    if (fx_variants(names, FX_MAX_VARIANTS) < 1) {
        fprintf(stderr, "no network fixtures in %s\n", fx_dir());
        return -1;
    }
    fx_model_path(names[0], g_model, sizeof g_model);
    snprintf(g_tmp, sizeof g_tmp, "/tmp/sc_test_model_load_%ld.safetensors", (long)getpid());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(g_tmp);
    return 0;
}

/* Loads g_tmp and checks that it fails with a message holding every fragment. */
static void expect_failure(const char *fragment1, const char *fragment2)
{
    sc_model *m = (sc_model *)0x1;
    sc_error err = {SC_OK, ""};
    sc_status s = sc_model_load(g_tmp, &m, &err);
    printf("  -> %s\n", err.msg);
    assert_int_equal(s, SC_ERR_MODEL);
    assert_null(m);
    assert_non_null(strstr(err.msg, g_tmp));
    assert_non_null(strstr(err.msg, fragment1));
    if (fragment2)
        assert_non_null(strstr(err.msg, fragment2));
    assert_null(strchr(err.msg, '\n'));
}

static void test_fixture_loads(void **state)
{
    (void)state;
    sc_model *m = NULL;
    sc_error err = {SC_OK, ""};
    assert_int_equal(sc_model_load(g_model, &m, &err), SC_OK);
    assert_non_null(m);
    const char *d = sc_model_describe(m);
    printf("  %s\n", d);
    assert_non_null(strstr(d, "coarse "));
    assert_non_null(strstr(d, " / refine "));
    assert_non_null(strstr(d, ".safetensors"));
    sc_model_free(m);
}

static void test_missing_file(void **state)
{
    (void)state;
    sc_model *m = NULL;
    sc_error err = {SC_OK, ""};
    assert_int_not_equal(sc_model_load("/nonexistent/model.safetensors", &m, &err), SC_OK);
    assert_null(m);
    assert_non_null(strstr(err.msg, "/nonexistent/model.safetensors"));
}

static void swap_first_dims(void *header, void *user)
{
    cJSON *t = cJSON_GetObjectItemCaseSensitive(header, user);
    cJSON *shape = cJSON_GetObjectItemCaseSensitive(t, "shape");
    double a = cJSON_GetArrayItem(shape, 0)->valuedouble;
    double b = cJSON_GetArrayItem(shape, 1)->valuedouble;
    cJSON_ReplaceItemInArray(shape, 0, cJSON_CreateNumber(b));
    cJSON_ReplaceItemInArray(shape, 1, cJSON_CreateNumber(a));
}

static void test_wrong_shape(void **state)
{
    (void)state;
    assert_int_equal(fx_rewrite(g_model, g_tmp, swap_first_dims, "coarse.conv1.weight", NULL, 0), 0);
    expect_failure("'coarse.conv1.weight'", "expected [");
}

static void rename_tensor(void *header, void *user)
{
    cJSON *t = cJSON_DetachItemFromObjectCaseSensitive(header, user);
    cJSON_AddItemToObject(header, "renamed.tensor", t);
}

static void test_missing_tensor(void **state)
{
    (void)state;
    const char *name = "refine.up1.conv.cbr_unit.1.running_var";
    assert_int_equal(fx_rewrite(g_model, g_tmp, rename_tensor, (void *)name, NULL, 0), 0);
    expect_failure("'refine.up1.conv.cbr_unit.1.running_var'", "not found");
}

static void add_extra_tensor(void *header, void *user)
{
    (void)user;
    double end = 0;
    for (cJSON *it = ((cJSON *)header)->child; it; it = it->next) {
        cJSON *off = cJSON_GetObjectItemCaseSensitive(it, "data_offsets");
        if (off && cJSON_GetArrayItem(off, 1)->valuedouble > end)
            end = cJSON_GetArrayItem(off, 1)->valuedouble;
    }
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "dtype", "F32");
    double shape[1] = {1};
    cJSON_AddItemToObject(t, "shape", cJSON_CreateDoubleArray(shape, 1));
    double offsets[2] = {end, end + 4};
    cJSON_AddItemToObject(t, "data_offsets", cJSON_CreateDoubleArray(offsets, 2));
    cJSON_AddItemToObject(header, "coarse.extra.weight", t);
}

static void test_unused_tensor(void **state)
{
    (void)state;
    const float one = 1.0f;
    assert_int_equal(fx_rewrite(g_model, g_tmp, add_extra_tensor, NULL, &one, sizeof one), 0);
    expect_failure("'coarse.extra.weight'", "not used");
}

typedef struct meta_edit {
    const char *key, *value;
} meta_edit;

static void set_metadata(void *header, void *user)
{
    const meta_edit *e = user;
    cJSON *meta = cJSON_GetObjectItemCaseSensitive(header, "__metadata__");
    cJSON_ReplaceItemInObjectCaseSensitive(meta, e->key, cJSON_CreateString(e->value));
}

static void test_bad_config_json(void **state)
{
    (void)state;
    meta_edit e = {"config", "{\"name\": \"x\", "};
    assert_int_equal(fx_rewrite(g_model, g_tmp, set_metadata, &e, NULL, 0), 0);
    expect_failure("config", "not valid JSON");
}

/* Replaces one field of the config JSON with a bad value. */
static void corrupt_config(void *header, void *user)
{
    cJSON *meta = cJSON_GetObjectItemCaseSensitive(header, "__metadata__");
    cJSON *cfg = cJSON_Parse(cJSON_GetObjectItemCaseSensitive(meta, "config")->valuestring);
    cJSON *coarse = cJSON_GetObjectItemCaseSensitive(cfg, "coarse");
    cJSON *stage = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(coarse, "stages"), 0);
    cJSON_ReplaceItemInObjectCaseSensitive(stage, "block", cJSON_CreateString(user));
    char *text = cJSON_PrintUnformatted(cfg);
    cJSON_ReplaceItemInObjectCaseSensitive(meta, "config", cJSON_CreateString(text));
    free(text);
    cJSON_Delete(cfg);
}

static void test_bad_config_value(void **state)
{
    (void)state;
    assert_int_equal(fx_rewrite(g_model, g_tmp, corrupt_config, "TRIPLE", NULL, 0), 0);
    expect_failure("coarse.stages[0].block", "BASIC or BOTTLENECK");
}

static void test_wrong_format_tag(void **state)
{
    (void)state;
    meta_edit e = {"format", "pytorch"};
    assert_int_equal(fx_rewrite(g_model, g_tmp, set_metadata, &e, NULL, 0), 0);
    expect_failure("not a skychange model", "'pytorch'");
}

static void test_wrong_format_version(void **state)
{
    (void)state;
    meta_edit e = {"format_version", "9"};
    assert_int_equal(fx_rewrite(g_model, g_tmp, set_metadata, &e, NULL, 0), 0);
    expect_failure("format version '9'", NULL);
}

/* The encoder's tensors are checked by name and shape like the others; the
 * description names the encoder. */
static void test_encoder_tensors(void **state)
{
    (void)state;
    char model[512];
    fx_model_path("ocr_first_mobilenet_views", model, sizeof model);
    sc_model *m = NULL;
    sc_error err = {SC_OK, ""};
    assert_int_equal(sc_model_load(model, &m, &err), SC_OK);
    printf("  %s\n", sc_model_describe(m));
    assert_non_null(strstr(sc_model_describe(m), "coarse 48+64 mirrored, mobilenet_v2 encoder / "));
    sc_model_free(m);

    const char *depthwise = "coarse.encoder.features.2.conv.1.0.weight"; /* [8, 1, 3, 3] */
    assert_int_equal(fx_rewrite(model, g_tmp, swap_first_dims, (void *)depthwise, NULL, 0), 0);
    expect_failure("'coarse.encoder.features.2.conv.1.0.weight' has shape [1,8,3,3]",
                   "expected [8,1,3,3]");
    const char *bn = "coarse.encoder.features.1.conv.2.running_var";
    assert_int_equal(fx_rewrite(model, g_tmp, rename_tensor, (void *)bn, NULL, 0), 0);
    expect_failure("'coarse.encoder.features.1.conv.2.running_var'", "not found");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_loads),     cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_wrong_shape),       cmocka_unit_test(test_missing_tensor),
        cmocka_unit_test(test_unused_tensor),     cmocka_unit_test(test_bad_config_json),
        cmocka_unit_test(test_bad_config_value),  cmocka_unit_test(test_wrong_format_tag),
        cmocka_unit_test(test_wrong_format_version), cmocka_unit_test(test_encoder_tensors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
