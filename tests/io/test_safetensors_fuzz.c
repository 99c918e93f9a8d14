/*
 * Damaged model files: every truncation of a valid file and many single-byte
 * changes to its length prefix and header must give either a clean error or
 * a file whose every tensor can be read (under the sanitizers, any read out
 * of bounds fails the test).
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/helper_io.h"
#include "io/safetensors.h"

static uint8_t *sample_file(size_t *size, size_t *header_end)
{
    const char *header =
        "{\"__metadata__\":{\"format\":\"skychange\",\"config\":\"{\\\"a\\\": [1, 2]}\"},"
        "\"conv.weight\":{\"dtype\":\"F32\",\"shape\":[2,1,3,3],\"data_offsets\":[0,72]},"
        "\"conv.bias\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[72,76]},"
        "\"bn.running_var\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[76,88]}}";
    uint8_t data[88];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 37 + 11);
    *header_end = 8 + strlen(header);
    return io_safetensors_bytes(header, 0, data, sizeof data, size);
}

/* Opens path; if it opens, reads every tensor at its own shape. Returns the status. */
static sc_status open_and_read_all(const char *path)
{
    sc_safetensors st;
    sc_error err = {0};
    sc_status status = sc_st_open(path, &st, &err);
    if (status != SC_OK) {
        assert_true(err.msg[0] != '\0');
        IO_ASSERT_CONTAINS(err.msg, path);
        return status;
    }
    for (int i = 0; i < st.count; i++) {
        const sc_st_tensor *t = &st.tensors[i];
        size_t count = t->nbytes / (t->dtype == SC_DTYPE_F32 ? 4 : 2);
        float *dst = malloc(count * sizeof(float) + 1);
        assert_non_null(dst);
        assert_int_equal(sc_st_read_f32(&st, t->name, t->shape, t->ndim, dst, &err), SC_OK);
        free(dst);
    }
    sc_st_close(&st);
    return SC_OK;
}

static void test_every_truncation_is_rejected(void **state)
{
    (void)state;
    size_t size, header_end;
    uint8_t *bytes = sample_file(&size, &header_end);
    char *path = io_join(io_test_dir, "cut.safetensors");
    assert_int_equal(io_write_bytes(path, bytes, size), 0);
    for (size_t len = size; len-- > 0;) {
        assert_int_equal(truncate(path, (off_t)len), 0);
        /* The last tensor ends at the end of the file: any cut loses bytes. */
        if (open_and_read_all(path) == SC_OK)
            fail_msg("a file cut to %zu of %zu bytes was accepted", len, size);
    }
    assert_int_equal(io_write_bytes(path, bytes, size), 0);
    assert_int_equal(open_and_read_all(path), SC_OK);
    free(path);
    free(bytes);
}

static void put_byte(int fd, size_t at, uint8_t value)
{
    assert_int_equal(pwrite(fd, &value, 1, (off_t)at), 1);
}

static void test_header_byte_changes_never_crash(void **state)
{
    (void)state;
    size_t size, header_end;
    uint8_t *bytes = sample_file(&size, &header_end);
    char *path = io_join(io_test_dir, "flip.safetensors");
    assert_int_equal(io_write_bytes(path, bytes, size), 0);
    /* Changed in place, one byte at a time: rewriting whole files is slow. */
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    static const uint8_t xors[] = {0x01, 0x02, 0x10, 0x20, 0x80, 0xff};
    static const uint8_t sets[] = {'"', '{', '}', '[', ']', ',', ':', '0', '9', '-', '.', 'e', 0};
    int accepted = 0, rejected = 0;
    for (size_t at = 0; at < header_end; at++) {
        for (size_t k = 0; k < sizeof xors + sizeof sets; k++) {
            uint8_t changed = k < sizeof xors ? (uint8_t)(bytes[at] ^ xors[k])
                                              : sets[k - sizeof xors];
            if (changed == bytes[at])
                continue;
            put_byte(fd, at, changed);
            if (open_and_read_all(path) == SC_OK)
                accepted++;
            else
                rejected++;
            put_byte(fd, at, bytes[at]);
        }
    }
    close(fd);
    /* Most changes break the file; a few (inside a string, or a digit of a
     * shape that no longer matches) are caught or harmless. */
    assert_true(rejected > accepted);
    assert_int_equal(open_and_read_all(path), SC_OK);
    free(path);
    free(bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_truncation_is_rejected),
        cmocka_unit_test(test_header_byte_changes_never_crash),
    };
    return cmocka_run_group_tests(tests, io_test_dir_setup, io_test_dir_teardown);
}
