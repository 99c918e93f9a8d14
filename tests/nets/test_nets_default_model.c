/* sc_default_model_path and sc_version, the public calls a program embedding
 * the library uses to find and name the model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "skychange.h"

static void version_matches_the_header(void **state)
{
    (void)state;
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", SC_VERSION_MAJOR, SC_VERSION_MINOR,
             SC_VERSION_PATCH);
    assert_string_equal(sc_version(), want);
    assert_string_equal(sc_version(), SC_VERSION_STRING);
}

static void environment_variable_wins(void **state)
{
    (void)state;
    char path[4096];
    sc_error err = {0};
    assert_int_equal(setenv("SKYCHANGE_MODEL", "/somewhere/else.safetensors", 1), 0);
    assert_int_equal(sc_default_model_path(path, sizeof path, &err), SC_OK);
    assert_string_equal(path, "/somewhere/else.safetensors");
    char tiny[8];
    assert_int_equal(sc_default_model_path(tiny, sizeof tiny, &err), SC_ERR_INVALID_ARG);
    assert_non_null(strstr(err.msg, "does not fit"));
    assert_int_equal(unsetenv("SKYCHANGE_MODEL"), 0);
}

/* Without the variable: an existing default model file (the installed one
 * or, in a build tree, the source tree's). */
static void finds_an_existing_default_model(void **state)
{
    (void)state;
    assert_int_equal(unsetenv("SKYCHANGE_MODEL"), 0);
    char path[4096];
    sc_error err = {0};
    assert_int_equal(sc_default_model_path(path, sizeof path, &err), SC_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    const char *name = "skychange-default.safetensors";
    size_t n = strlen(path), m = strlen(name);
    assert_true(n >= m && strcmp(path + n - m, name) == 0);
    assert_int_equal(sc_default_model_path(NULL, 0, &err), SC_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(version_matches_the_header),
        cmocka_unit_test(environment_variable_wins),
        cmocka_unit_test(finds_an_existing_default_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
