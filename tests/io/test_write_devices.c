/*
 * sc_write_atomic on outputs that are not regular files: a device is written in
 * place (renaming a temporary over it would replace the node with a file), and
 * a full device's ENOSPC comes back as an error naming the path.
 */
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

/* 1 MB: more than stdio buffers, so the device refuses data before the final flush. */
enum { PAYLOAD_BYTES = 1 << 20 };

static sc_status payload_writer(FILE *f, const void *ctx, sc_error *err)
{
    (void)ctx;
    static const char block[4096];
    for (size_t done = 0; done < PAYLOAD_BYTES; done += sizeof block)
        if (fwrite(block, 1, sizeof block, f) != sizeof block)
            return sc_fail(err, SC_ERR_IO, "payload: write error");
    return SC_OK;
}

/* A link named like an output, pointing at device; malloc'd path. */
static char *link_to(const char *device, const char *name)
{
    char *path = io_join(io_test_dir, name);
    assert_non_null(path);
    assert_int_equal(symlink(device, path), 0);
    return path;
}

static void assert_still_link_to(const char *path, const char *device)
{
    char target[256];
    ssize_t n = readlink(path, target, sizeof target - 1);
    assert_true(n > 0);
    target[n] = '\0';
    assert_string_equal(target, device);
    struct stat st;
    assert_int_equal(stat(device, &st), 0);
    assert_true(S_ISCHR(st.st_mode));
}

static void test_full_device_gives_enospc_and_keeps_the_node(void **state)
{
    (void)state;
    char *path = link_to("/dev/full", "out.png");
    sc_error err = {0};
    assert_int_equal(sc_write_atomic(path, payload_writer, NULL, &err), SC_ERR_IO);
    assert_non_null(strstr(err.msg, "payload: write error"));
    assert_still_link_to(path, "/dev/full");
    assert_int_equal(io_count_entries(io_test_dir), 1); /* no temporary */
    free(path);
}

/* The error comes from the final flush when the writer's data fit the buffer. */
static sc_status tiny_writer(FILE *f, const void *ctx, sc_error *err)
{
    (void)ctx;
    if (fputs("x", f) < 0)
        return sc_fail(err, SC_ERR_IO, "fputs failed");
    return SC_OK;
}

static void test_full_device_error_at_flush_names_the_path(void **state)
{
    (void)state;
    char *path = link_to("/dev/full", "small.png");
    sc_error err = {0};
    assert_int_equal(sc_write_atomic(path, tiny_writer, NULL, &err), SC_ERR_IO);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, "No space left on device"));
    assert_still_link_to(path, "/dev/full");
    free(path);
}

static void test_null_device_is_written_in_place(void **state)
{
    (void)state;
    char *path = link_to("/dev/null", "out.png");
    sc_error err = {0};
    assert_int_equal(sc_write_atomic(path, payload_writer, NULL, &err), SC_OK);
    assert_still_link_to(path, "/dev/null");
    assert_int_equal(io_count_entries(io_test_dir), 1);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_full_device_gives_enospc_and_keeps_the_node,
                                        io_test_dir_setup, io_test_dir_teardown),
        cmocka_unit_test_setup_teardown(test_full_device_error_at_flush_names_the_path,
                                        io_test_dir_setup, io_test_dir_teardown),
        cmocka_unit_test_setup_teardown(test_null_device_is_written_in_place,
                                        io_test_dir_setup, io_test_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
