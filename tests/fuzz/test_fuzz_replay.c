/*
 * The fuzz corpus as a regression suite: every file of tests/fuzz/corpus/<harness>/
 * goes through the harness's own entry point (tests/fuzz/fuzz_<harness>.c,
 * compiled here without libFuzzer), so a committed finding fails this test
 * under the normal build if it comes back (CI also runs it under ASan and
 * UBSan). The inputs that once failed are named regress-*; for those the
 * refusal they now get is checked too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper_fuzz.h"
#include "io/read_file.h"
#include "skychange.h"

typedef int (*entry_fn)(const uint8_t *data, size_t size);

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Feeds every file of corpus/<harness> to entry; returns how many there were. */
static int replay(const char *harness, entry_fn entry)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", SC_FUZZ_CORPUS, harness);
    DIR *d = opendir(dir);
    if (!d)
        fail_msg("cannot open %s", dir);
    char **names = NULL;
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char **grown = realloc(names, (size_t)(count + 1) * sizeof *grown);
        assert_non_null(grown);
        names = grown;
        names[count] = strdup(e->d_name);
        assert_non_null(names[count]);
        count++;
    }
    closedir(d);
    qsort(names, (size_t)count, sizeof *names, compare_names);
    for (int i = 0; i < count; i++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        void *data = NULL;
        size_t size = 0;
        sc_error err = {SC_OK, ""};
        if (sc_read_file(path, 64u << 20, &data, &size, &err) != SC_OK)
            fail_msg("%s", err.msg);
        /* A broken promise aborts inside the entry point; name the input first. */
        fprintf(stderr, "  %s/%s\n", harness, names[i]);
        assert_int_equal(entry(data, size), 0);
        free(data);
        free(names[i]);
    }
    free(names);
    printf("%s: %d inputs\n", harness, count);
    return count;
}

static void test_model_corpus(void **state)
{
    (void)state;
    assert_true(replay("fuzz_model", fuzz_model_one) > 0);
}

static void test_image_corpus(void **state)
{
    (void)state;
    assert_true(replay("fuzz_image", fuzz_image_one) > 0);
}

static void test_matte_corpus(void **state)
{
    (void)state;
    assert_true(replay("fuzz_matte", fuzz_matte_one) > 0);
}

static void test_pairs_corpus(void **state)
{
    (void)state;
    assert_true(replay("fuzz_pairs", fuzz_pairs_one) > 0);
}

static void test_args_corpus(void **state)
{
    (void)state;
    assert_true(replay("fuzz_args", fuzz_args_one) > 0);
}

/* The model files that once failed, and the refusal each gets now. */
static const struct {
    const char *file, *fragment;
} k_model_regressions[] = {
    /* a double outside int's range was converted before the range check (UBSan) */
    {"regress-int-cast.safetensors", "config: coarse.class_num must be an integer >= 2"},
    {"regress-int-cast-array.safetensors", "config: refine.widths entries must be integers >= 1"},
    /* 1e6 modules: 3.2 GB of module structs allocated before any tensor was read */
    {"regress-many-modules.safetensors", "config: coarse.stages[0].modules must be 1 to 64"},
    /* 1e6 blocks: 200 MB of block structs, likewise */
    {"regress-many-blocks.safetensors", "config: coarse.layer1.blocks must be 1 to 64"},
    /* a stem 1e6 wide: 108 MB allocated for a weight the file does not hold */
    {"regress-wide-stem.safetensors", "tensor 'coarse.conv1.weight' not found"},
};

static void test_model_regressions(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof k_model_regressions / sizeof *k_model_regressions; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/fuzz_model/%s", SC_FUZZ_CORPUS,
                 k_model_regressions[i].file);
        sc_model *m = NULL;
        sc_error err = {SC_OK, ""};
        sc_status s = sc_model_load(path, &m, &err);
        printf("  %s -> %s\n", k_model_regressions[i].file, err.msg);
        assert_int_equal(s, SC_ERR_MODEL);
        assert_null(m);
        if (!strstr(err.msg, k_model_regressions[i].fragment))
            fail_msg("expected \"%s\" in \"%s\"", k_model_regressions[i].fragment, err.msg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_corpus),  cmocka_unit_test(test_image_corpus),
        cmocka_unit_test(test_matte_corpus),  cmocka_unit_test(test_pairs_corpus),
        cmocka_unit_test(test_args_corpus),   cmocka_unit_test(test_model_regressions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
