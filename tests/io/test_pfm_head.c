/* A PFM's header is checked against the pixel limit and the file's size before
 * its data is read, from a file or a stream: a few bytes claiming a huge
 * picture cost nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/helper_io.h"
#include "io/pfm.h"
#include "skychange.h"

/* Writes header, then data_bytes bytes (a hole: nothing is stored) at path. */
static char *write_pfm(const char *name, const char *header, off_t data_bytes)
{
    char *path = io_join(io_test_dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    size_t n = strlen(header);
    assert_int_equal(write(fd, header, n), (ssize_t)n);
    assert_int_equal(ftruncate(fd, (off_t)n + data_bytes), 0);
    assert_int_equal(close(fd), 0);
    return path;
}

static void expect_refused(const char *path, const char *why)
{
    sc_matte m;
    sc_error err = {0};
    assert_int_equal(sc_matte_read(path, &m, &err), SC_ERR_IMAGE);
    IO_ASSERT_CONTAINS(err.msg, path);
    IO_ASSERT_CONTAINS(err.msg, why);
    assert_null(m.alpha);
}

/* 9000 x 9000 is within the pixel limit, but 324 000 000 data bytes are not in a
 * 24-byte file: refused from the header (the full read would find 4 bytes and say
 * "truncated PFM (4 of ..."). */
static void test_declared_size_beyond_the_file(void **state)
{
    (void)state;
    char *path = write_pfm("tiny.pfm", "Pf\n9000 9000\n-1.0\n", 4);
    expect_refused(path, "its header declares 9000x9000, 324000000 data bytes; the file holds 4");
    free(path);
    /* Colour: three floats a pixel. One byte short is refused, the exact size read. */
    path = write_pfm("short.pfm", "PF\n2 2\n-1.0\n", 47);
    expect_refused(path, "its header declares 2x2, 48 data bytes; the file holds 47");
    free(path);
    path = write_pfm("exact.pfm", "PF\n2 2\n-1.0\n", 48);
    sc_matte m;
    sc_error err = {0};
    assert_int_equal(sc_matte_read(path, &m, &err), SC_OK);
    assert_int_equal(m.width, 2);
    assert_int_equal(m.height, 2);
    sc_matte_free(&m);
    free(path);
}

/* Over the pixel limit in a file too large to read at all (a 3 GiB hole): the
 * header is what refuses it, before the reader would refuse the file's size. */
static void test_declared_pixels_beyond_the_limit(void **state)
{
    (void)state;
    char *path = write_pfm("huge.pfm", "Pf\n20000 20000\n-1.0\n", (off_t)3 << 30);
    expect_refused(path, "20000x20000 pixels is more than the limit");
    free(path);
}

/* In memory (no file size to check against) the reader still refuses it. */
static void test_memory_reader_still_refuses(void **state)
{
    (void)state;
    const char pfm[] = "Pf\n9000 9000\n-1.0\n\0\0\0\0";
    sc_matte m;
    sc_error err = {0};
    assert_int_equal(sc_matte_read_memory(pfm, sizeof pfm - 1, "tiny", &m, &err), SC_ERR_IMAGE);
    IO_ASSERT_CONTAINS(err.msg, "tiny: truncated PFM (4 of 324000000 data bytes)");
    assert_null(m.alpha);
}

/* From a stream, the same header is refused from the stream's first bytes:
 * the reader stops there instead of reading the whole stream in. */
static void test_stream_refused_from_its_head(void **state)
{
    (void)state;
    char *path = write_pfm("stream.pfm", "Pf\n20000 20000\n-1.0\n", (off_t)4 << 20);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    sc_matte m;
    sc_error err = {0};
    assert_int_equal(sc_matte_read_stream(f, "piped", &m, &err), SC_ERR_IMAGE);
    IO_ASSERT_CONTAINS(err.msg, "piped: 20000x20000 pixels is more than the limit");
    assert_null(m.alpha);
    assert_true(ftell(f) < (long)1 << 20);
    assert_int_equal(fclose(f), 0);
    /* A short stream is checked against its whole size once it ends. */
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_true(fputs("Pf\n9000 9000\n-1.0\n\n", f) >= 0);
    assert_int_equal(fclose(f), 0);
    f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(sc_matte_read_stream(f, "piped", &m, &err), SC_ERR_IMAGE);
    IO_ASSERT_CONTAINS(err.msg, "piped: truncated PFM (its header declares 9000x9000");
    assert_int_equal(fclose(f), 0);
    free(path);
}

static void test_check_head_directly(void **state)
{
    (void)state;
    const uint8_t head[] = "Pf\n3 2\n-1.0\n";
    const size_t n = sizeof head - 1;
    sc_error err = {0};
    assert_int_equal(sc_pfm_check_head(head, n, n + 24, "x", &err), SC_OK);
    assert_int_equal(sc_pfm_check_head(head, n, n + 23, "x", &err), SC_ERR_IMAGE);
    /* a head that stops inside the header */
    assert_int_equal(sc_pfm_check_head(head, 5, 1000, "x", &err), SC_ERR_IMAGE);
    IO_ASSERT_CONTAINS(err.msg, "x: bad PFM header");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_declared_size_beyond_the_file, io_test_dir_setup,
                                        io_test_dir_teardown),
        cmocka_unit_test_setup_teardown(test_declared_pixels_beyond_the_limit, io_test_dir_setup,
                                        io_test_dir_teardown),
        cmocka_unit_test_setup_teardown(test_stream_refused_from_its_head, io_test_dir_setup,
                                        io_test_dir_teardown),
        cmocka_unit_test(test_memory_reader_still_refuses),
        cmocka_unit_test(test_check_head_directly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
