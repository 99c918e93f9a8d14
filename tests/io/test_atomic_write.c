/* Atomic file replacement, permissions, and the matte formats written through it. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/error.h"
#include "io/helper_io.h"
#include "io/image.h"

static const char k_old[] = "old content";

static char *existing_target(const char *name)
{
    char *path = io_join(io_test_dir, name);
    assert_non_null(path);
    assert_int_equal(io_write_bytes(path, k_old, sizeof k_old), 0);
    return path;
}

static void assert_untouched(const char *path)
{
    size_t size;
    char *bytes = io_read_bytes(path, &size);
    assert_non_null(bytes);
    assert_int_equal(size, sizeof k_old);
    assert_memory_equal(bytes, k_old, sizeof k_old);
    free(bytes);
}

/* Writes half a file, then fails, as an encoder running out of memory would. */
static sc_status failing_writer(FILE *f, const void *ctx, sc_error *err)
{
    (void)ctx;
    fputs("partial", f);
    return sc_fail(err, SC_ERR_NO_MEMORY, "writer gave up");
}

static sc_status hello_writer(FILE *f, const void *ctx, sc_error *err)
{
    if (fputs(ctx, f) < 0)
        return sc_fail(err, SC_ERR_IO, "fputs failed");
    return SC_OK;
}

static void test_failed_write_keeps_target_and_leaves_no_temporary(void **state)
{
    (void)state;
    char *path = existing_target("out.png");
    sc_error err = {0};
    assert_int_equal(sc_write_atomic(path, failing_writer, NULL, &err), SC_ERR_NO_MEMORY);
    IO_ASSERT_CONTAINS(err.msg, "writer gave up");
    assert_untouched(path);
    assert_int_equal(io_count_entries(io_test_dir), 1);
    free(path);
}

static void test_successful_write_replaces_target(void **state)
{
    (void)state;
    char *path = existing_target("out.txt");
    sc_error err = {0};
    assert_int_equal(sc_write_atomic(path, hello_writer, "new", &err), SC_OK);
    size_t size;
    char *bytes = io_read_bytes(path, &size);
    assert_int_equal(size, 3);
    assert_memory_equal(bytes, "new", 3);
    free(bytes);
    assert_int_equal(io_count_entries(io_test_dir), 1);
    free(path);
}

static void test_unknown_extension_touches_nothing(void **state)
{
    (void)state;
    char *path = existing_target("out.gif");
    uint8_t rgb[3] = {1, 2, 3};
    sc_image img = {.width = 1, .height = 1, .rgb = rgb};
    sc_error err = {0};
    assert_int_equal(sc_image_write(path, &img, 90, &err), SC_ERR_INVALID_ARG);
    IO_ASSERT_CONTAINS(err.msg, path);
    IO_ASSERT_CONTAINS(err.msg, "unknown picture type '.gif'");
    assert_untouched(path);
    char *bare = io_join(io_test_dir, "noextension");
    assert_int_equal(sc_image_write(bare, &img, 90, &err), SC_ERR_INVALID_ARG);
    IO_ASSERT_CONTAINS(err.msg, "no file extension");
    assert_int_equal(io_count_entries(io_test_dir), 1);

    sc_matte m = {1, 1, (float[]){0.5f}};
    assert_int_equal(sc_matte_write(path, &m, &err), SC_ERR_INVALID_ARG);
    IO_ASSERT_CONTAINS(err.msg, "unknown matte type '.gif'");
    assert_untouched(path);
    free(bare);
    free(path);
}

static void test_unwritable_places(void **state)
{
    (void)state;
    uint8_t rgb[3] = {1, 2, 3};
    sc_image img = {.width = 1, .height = 1, .rgb = rgb};
    sc_error err = {0};
    /* A folder that does not exist, and a "folder" that is a file. */
    char *missing = io_join(io_test_dir, "no/such/folder/out.png");
    assert_int_equal(sc_image_write(missing, &img, 90, &err), SC_ERR_IO);
    IO_ASSERT_CONTAINS(err.msg, missing);
    char *file = existing_target("plain");
    char *under_file = io_join(file, "out.png");
    assert_int_equal(sc_image_write(under_file, &img, 90, &err), SC_ERR_IO);
    IO_ASSERT_CONTAINS(err.msg, "Not a directory");
    /* A target that is a folder: the rename fails and the temporary goes. */
    char *folder = io_join(io_test_dir, "taken.png");
    assert_int_equal(mkdir(folder, 0755), 0);
    assert_int_equal(sc_image_write(folder, &img, 90, &err), SC_ERR_IO);
    IO_ASSERT_CONTAINS(err.msg, folder);
    assert_int_equal(io_count_entries(io_test_dir), 2);
    assert_int_equal(io_count_entries(folder), 0);

    /* A read-only folder (permissions do not bind root, so only checked otherwise). */
    if (geteuid() != 0) {
        char *ro = io_join(io_test_dir, "ro");
        assert_int_equal(mkdir(ro, 0755), 0);
        char *target = io_join(ro, "out.png");
        assert_int_equal(io_write_bytes(target, k_old, sizeof k_old), 0);
        assert_int_equal(chmod(ro, 0555), 0);
        assert_int_equal(sc_image_write(target, &img, 90, &err), SC_ERR_IO);
        IO_ASSERT_CONTAINS(err.msg, "Permission denied");
        assert_untouched(target);
        assert_int_equal(io_count_entries(ro), 1);
        chmod(ro, 0755);
        free(target);
        free(ro);
    }
    free(folder);
    free(under_file);
    free(file);
    free(missing);
}

static void test_permissions(void **state)
{
    (void)state;
    mode_t mask = umask(022);
    uint8_t rgb[3] = {1, 2, 3};
    sc_image img = {.width = 1, .height = 1, .rgb = rgb};
    sc_error err = {0};
    char *fresh = io_join(io_test_dir, "fresh.png");
    assert_int_equal(sc_image_write(fresh, &img, 90, &err), SC_OK);
    struct stat sb;
    assert_int_equal(stat(fresh, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0644);

    char *kept = existing_target("kept.bmp");
    assert_int_equal(chmod(kept, 0600), 0);
    assert_int_equal(sc_image_write(kept, &img, 90, &err), SC_OK);
    assert_int_equal(stat(kept, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0600);
    umask(mask);
    free(kept);
    free(fresh);
}

static void test_matte_png_rounding(void **state)
{
    (void)state;
    float values[10] = {0.0f, 1.0f, 0.5f, -0.25f, 3.0f, NAN, 0.25f, 100.0f / 255, 0.998f, 0.002f};
    sc_matte m = {5, 2, values};
    char *path = io_join(io_test_dir, "m.PNG");
    sc_error err = {0};
    assert_int_equal(sc_matte_write(path, &m, &err), SC_OK);
    sc_matte back;
    assert_int_equal(sc_matte_read(path, &back, &err), SC_OK);
    assert_int_equal(back.width, 5);
    assert_int_equal(back.height, 2);
    /* lrintf: 127.5 -> 128 and 63.75 -> 64; 254.49 -> 254; 0.51 -> 1. */
    const int stored[10] = {0, 255, 128, 0, 255, 0, 64, 100, 254, 1};
    for (int i = 0; i < 10; i++)
        assert_true(back.alpha[i] == (float)stored[i] / 255.0f);
    sc_matte_free(&back);
    assert_null(back.alpha);
    free(path);
}

static void test_matte_pfm_round_trip(void **state)
{
    (void)state;
    float values[6] = {0.0f, 1.0f, 0.123456789f, 0.5f, 1e-7f, 0.999999f};
    sc_matte m = {3, 2, values};
    char *path = io_join(io_test_dir, "m.pfm");
    sc_error err = {0};
    assert_int_equal(sc_matte_write(path, &m, &err), SC_OK);
    size_t size;
    uint8_t *bytes = io_read_bytes(path, &size);
    const char header[] = "Pf\n3 2\n-1.0\n";
    assert_int_equal(size, strlen(header) + 6 * 4);
    assert_memory_equal(bytes, header, strlen(header));
    /* Bottom row first, little endian. */
    float first;
    uint8_t le[4];
    memcpy(le, bytes + strlen(header), 4);
    uint32_t bits = (uint32_t)le[0] | (uint32_t)le[1] << 8 | (uint32_t)le[2] << 16 |
                    (uint32_t)le[3] << 24;
    memcpy(&first, &bits, 4);
    assert_true(first == values[3]);
    free(bytes);

    sc_matte back;
    assert_int_equal(sc_matte_read(path, &back, &err), SC_OK);
    assert_int_equal(back.width, 3);
    assert_int_equal(back.height, 2);
    assert_memory_equal(back.alpha, values, sizeof values);
    sc_matte_free(&back);
    free(path);
}

static void test_matte_from_pictures_and_bad_pfm(void **state)
{
    (void)state;
    /* RGB picture: mean of the channels. */
    uint8_t rgb[6] = {30, 60, 90, 255, 255, 0};
    sc_image img = {.width = 2, .height = 1, .rgb = rgb};
    char *path = io_join(io_test_dir, "rgb.bmp");
    sc_error err = {0};
    assert_int_equal(sc_image_write(path, &img, 90, &err), SC_OK);
    sc_matte m;
    assert_int_equal(sc_matte_read(path, &m, &err), SC_OK);
    assert_true(m.alpha[0] == 180.0f / 765.0f);
    assert_true(m.alpha[1] == 510.0f / 765.0f);
    sc_matte_free(&m);
    free(path);

    /* 16-bit grey PNG keeps its precision. */
    const uint8_t grey16[4] = {0x80, 0x01, 0xff, 0xff};
    size_t size;
    uint8_t *png = io_png_bytes(2, 1, 16, 0, grey16, &size);
    path = io_join(io_test_dir, "g16.png");
    assert_int_equal(io_write_bytes(path, png, size), 0);
    assert_int_equal(sc_matte_read(path, &m, &err), SC_OK);
    assert_true(m.alpha[0] == 32769.0f / 65535.0f);
    assert_true(m.alpha[1] == 1.0f);
    sc_matte_free(&m);
    free(png);
    free(path);

    const char *bad[][2] = {{"Pf\n3 2\n-1.0\n\x01\x02", "truncated PFM"},
                            {"Pf\n0 2\n-1.0\n", "bad PFM header"},
                            {"Pf\n3\n", "bad PFM header"},
                            {"Pf\n1 1\nabc\n....", "bad PFM scale"},
                            {"Pf\n99999 99999\n-1\n", "more than the limit"}};
    for (size_t i = 0; i < 5; i++) {
        path = io_join(io_test_dir, "bad.pfm");
        assert_int_equal(io_write_bytes(path, bad[i][0], strlen(bad[i][0])), 0);
        assert_int_equal(sc_matte_read(path, &m, &err), SC_ERR_IMAGE);
        IO_ASSERT_CONTAINS(err.msg, path);
        IO_ASSERT_CONTAINS(err.msg, bad[i][1]);
        assert_null(m.alpha);
        free(path);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_failed_write_keeps_target_and_leaves_no_temporary,
                                        io_test_dir_setup, io_test_dir_teardown),
        cmocka_unit_test_setup_teardown(test_successful_write_replaces_target, io_test_dir_setup,
                                        io_test_dir_teardown),
        cmocka_unit_test_setup_teardown(test_unknown_extension_touches_nothing, io_test_dir_setup,
                                        io_test_dir_teardown),
        cmocka_unit_test_setup_teardown(test_unwritable_places, io_test_dir_setup,
                                        io_test_dir_teardown),
        cmocka_unit_test_setup_teardown(test_permissions, io_test_dir_setup,
                                        io_test_dir_teardown),
        cmocka_unit_test_setup_teardown(test_matte_png_rounding, io_test_dir_setup,
                                        io_test_dir_teardown),
        cmocka_unit_test_setup_teardown(test_matte_pfm_round_trip, io_test_dir_setup,
                                        io_test_dir_teardown),
        cmocka_unit_test_setup_teardown(test_matte_from_pictures_and_bad_pfm, io_test_dir_setup,
                                        io_test_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
