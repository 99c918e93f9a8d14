#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io/half.h"
#include "io/helper_io.h"
#include "io/safetensors.h"

static const uint16_t k_halves[8] = {0x0001, 0x03ff, 0x8000, 0x7c00,
                                     0xfc00, 0x7e00, 0x3c00, 0x7bff};

/* "a": F32 [2,3]; "b": F16 [8]; "c": F32 scalar; "e": F32 [0,5] (empty). */
static uint8_t *valid_file(size_t pad_to, size_t *size)
{
    uint8_t data[44];
    float a[6] = {1.0f, -2.5f, 3.25e-8f, 1e30f, -0.0f, 0.1f};
    for (int i = 0; i < 6; i++) {
        uint32_t bits;
        memcpy(&bits, &a[i], 4);
        for (int b = 0; b < 4; b++)
            data[4 * i + b] = (uint8_t)(bits >> (8 * b));
    }
    for (int i = 0; i < 8; i++) {
        data[24 + 2 * i] = (uint8_t)k_halves[i];
        data[25 + 2 * i] = (uint8_t)(k_halves[i] >> 8);
    }
    float c = 42.0f;
    uint32_t bits;
    memcpy(&bits, &c, 4);
    for (int b = 0; b < 4; b++)
        data[40 + b] = (uint8_t)(bits >> (8 * b));
    const char *header =
        "{\"__metadata__\":{\"format\":\"skychange\",\"format_version\":\"1\"},"
        "\"b\":{\"dtype\":\"F16\",\"shape\":[8],\"data_offsets\":[24,40]},"
        "\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
        "\"c\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[40,44]},"
        "\"e\":{\"dtype\":\"F32\",\"shape\":[0,5],\"data_offsets\":[44,44]}}";
    return io_safetensors_bytes(header, pad_to, data, sizeof data, size);
}

static char *write_file(const char *name, const void *bytes, size_t size)
{
    char *path = io_join(io_test_dir, name);
    assert_non_null(path);
    assert_int_equal(io_write_bytes(path, bytes, size), 0);
    return path;
}

static void check_valid(size_t pad_to, uintptr_t misalignment)
{
    size_t size;
    uint8_t *bytes = valid_file(pad_to, &size);
    char *path = write_file("valid.safetensors", bytes, size);
    sc_safetensors st;
    sc_error err = {0};
    assert_int_equal(sc_st_open(path, &st, &err), SC_OK);
    assert_int_equal(st.count, 4);
    assert_string_equal(sc_st_metadata(&st, "format"), "skychange");
    assert_string_equal(sc_st_metadata(&st, "format_version"), "1");
    assert_null(sc_st_metadata(&st, "missing"));
    assert_null(sc_st_find(&st, "missing"));

    const sc_st_tensor *a = sc_st_find(&st, "a");
    assert_non_null(a);
    assert_int_equal(a->dtype, SC_DTYPE_F32);
    assert_int_equal(a->ndim, 2);
    assert_int_equal(a->shape[0], 2);
    assert_int_equal(a->shape[1], 3);
    assert_int_equal(a->nbytes, 24);
    assert_int_equal((uintptr_t)a->data % 4, misalignment);

    float got[8];
    int64_t shape_a[2] = {2, 3};
    assert_int_equal(sc_st_read_f32(&st, "a", shape_a, 2, got, &err), SC_OK);
    float want_a[6] = {1.0f, -2.5f, 3.25e-8f, 1e30f, -0.0f, 0.1f};
    assert_memory_equal(got, want_a, sizeof want_a);

    int64_t shape_b[1] = {8};
    assert_int_equal(sc_st_read_f32(&st, "b", shape_b, 1, got, &err), SC_OK);
    assert_true(got[0] == 0x1p-24f);
    assert_true(got[1] == 1023 * 0x1p-24f);
    assert_true(got[2] == 0.0f && signbit(got[2]));
    assert_true(isinf(got[3]) && got[3] > 0);
    assert_true(isinf(got[4]) && got[4] < 0);
    assert_true(isnan(got[5]));
    assert_true(got[6] == 1.0f);
    assert_true(got[7] == 65504.0f);

    float c = 0;
    assert_int_equal(sc_st_read_f32(&st, "c", NULL, 0, &c, &err), SC_OK);
    assert_true(c == 42.0f);
    int64_t shape_e[2] = {0, 5};
    assert_int_equal(sc_st_read_f32(&st, "e", shape_e, 2, NULL, &err), SC_OK);

    sc_st_close(&st);
    assert_null(st.map);
    assert_int_equal(st.count, 0);
    free(path);
    free(bytes);
}

static void test_valid_file_reads_back(void **state)
{
    (void)state;
    /* Header padded to 288 bytes: data starts at 296, aligned for float. */
    check_valid(288, 0);
}

static void test_unaligned_data_reads_back(void **state)
{
    (void)state;
    /* The data section starts at 8 + 323 = 331: every tensor is misaligned. */
    check_valid(323, 3);
}

static void test_wrong_shape_message(void **state)
{
    (void)state;
    size_t size;
    uint8_t *bytes = valid_file(0, &size);
    char *path = write_file("m.safetensors", bytes, size);
    sc_safetensors st;
    sc_error err = {0};
    assert_int_equal(sc_st_open(path, &st, &err), SC_OK);
    float dst[6];
    int64_t wrong[2] = {3, 2};
    assert_int_equal(sc_st_read_f32(&st, "a", wrong, 2, dst, &err), SC_ERR_MODEL);
    char want[1024];
    snprintf(want, sizeof want, "%s: tensor 'a' has shape [2,3], expected [3,2]", path);
    assert_string_equal(err.msg, want);

    int64_t four[4] = {64, 3, 3, 3};
    assert_int_equal(sc_st_read_f32(&st, "c", four, 4, dst, &err), SC_ERR_MODEL);
    snprintf(want, sizeof want, "%s: tensor 'c' has shape [], expected [64,3,3,3]", path);
    assert_string_equal(err.msg, want);

    assert_int_equal(sc_st_read_f32(&st, "zz", four, 4, dst, &err), SC_ERR_MODEL);
    snprintf(want, sizeof want, "%s: tensor 'zz' not found", path);
    assert_string_equal(err.msg, want);
    sc_st_close(&st);
    free(path);
    free(bytes);
}

/* Every binary16 value against its definition, computed another way. */
static void test_half_conversion_exhaustive(void **state)
{
    (void)state;
    for (uint32_t h = 0; h < 65536; h++) {
        int sign = h >> 15, exponent = (h >> 10) & 31, mantissa = h & 1023;
        float got = sc_half_to_float((uint16_t)h);
        if (exponent == 31) {
            if (mantissa)
                assert_true(isnan(got));
            else
                assert_true(isinf(got) && (got < 0) == sign);
            continue;
        }
        double magnitude = exponent == 0 ? ldexp(mantissa, -24)
                                         : ldexp(1024 + mantissa, exponent - 25);
        double want = sign ? -magnitude : magnitude;
        if (got != (float)want || !signbit(got) != !signbit(want))
            fail_msg("half 0x%04x: got %a, want %a", (unsigned)h, (double)got, want);
    }
}

typedef struct hostile_case {
    const char *name;
    const char *header; /* NULL: raw bytes below */
    size_t data_size;
    const char *raw;
    size_t raw_size;
    sc_status status;
    const char *expect1, *expect2;
} hostile_case;

static const hostile_case k_cases[] = {
    {"empty", NULL, 0, "", 0, SC_ERR_MODEL, "too short", NULL},
    {"short", NULL, 0, "\x10\0\0\0\0", 5, SC_ERR_MODEL, "too short", NULL},
    {"length-past-end", NULL, 0, "\xe8\x03\0\0\0\0\0\0{}", 10, SC_ERR_MODEL,
     "beyond the end of the file", NULL},
    {"length-zero", NULL, 0, "\0\0\0\0\0\0\0\0{}", 10, SC_ERR_MODEL, "header length is 0", NULL},
    {"length-absurd", NULL, 0, "\0\0\0\0\0\0\0\x80{}", 10, SC_ERR_MODEL, "absurd", NULL},
    {"bad-json", "{\"a\": {\"dtype\": ", 0, NULL, 0, SC_ERR_MODEL, "not valid JSON", NULL},
    {"not-object", "[1, 2]", 0, NULL, 0, SC_ERR_MODEL, "not a JSON object", NULL},
    {"trailing", "{} x", 0, NULL, 0, SC_ERR_MODEL, "unexpected bytes after", NULL},
    {"entry-not-object", "{\"w\": 5}", 0, NULL, 0, SC_ERR_MODEL, "tensor 'w'", "not an object"},
    {"missing-dtype", "{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4, NULL, 0,
     SC_ERR_MODEL, "tensor 'w'", "dtype"},
    {"offsets-past-end", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4,
     NULL, 0, SC_ERR_MODEL, "tensor 'w'", "beyond the data section"},
    {"offsets-reversed", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", 8,
     NULL, 0, SC_ERR_MODEL, "tensor 'w'", "begin after end"},
    {"offsets-three", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 8,
     NULL, 0, SC_ERR_MODEL, "tensor 'w'", "data_offsets"},
    {"offsets-negative", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 8,
     NULL, 0, SC_ERR_MODEL, "tensor 'w'", "data_offsets"},
    {"overlap",
     "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
     "\"v\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
     12, NULL, 0, SC_ERR_MODEL, "tensors 'w' and 'v' overlap", NULL},
    {"size-mismatch", "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8,
     NULL, 0, SC_ERR_MODEL, "tensor 'w'", "needs 12 bytes, data_offsets give 8"},
    {"f16-size-mismatch", "{\"w\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8,
     NULL, 0, SC_ERR_MODEL, "tensor 'w'", "needs 6 bytes"},
    {"bad-dtype", "{\"w\":{\"dtype\":\"F99\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, NULL,
     0, SC_ERR_MODEL, "tensor 'w'", "unknown dtype 'F99'"},
    {"bf16", "{\"w\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4, NULL, 0,
     SC_ERR_MODEL, "tensor 'w'", "BF16 is not supported"},
    {"i64", "{\"w\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8, NULL, 0,
     SC_ERR_MODEL, "tensor 'w'", "I64 is not supported"},
    {"negative-shape", "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4,
     NULL, 0, SC_ERR_MODEL, "tensor 'w'", "non-negative integers"},
    {"fractional-shape", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}",
     4, NULL, 0, SC_ERR_MODEL, "tensor 'w'", "non-negative integers"},
    {"string-shape", "{\"w\":{\"dtype\":\"F32\",\"shape\":\"[1]\",\"data_offsets\":[0,4]}}", 4,
     NULL, 0, SC_ERR_MODEL, "tensor 'w'", "shape"},
    {"too-many-dims",
     "{\"w\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,1,1,1,1,1],\"data_offsets\":[0,4]}}", 4, NULL,
     0, SC_ERR_MODEL, "tensor 'w'", "at most 8"},
    {"product-overflow",
     "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4294967296],"
     "\"data_offsets\":[0,0]}}",
     0, NULL, 0, SC_ERR_MODEL, "tensor 'w'", "too large"},
    {"product-wraps-to-size",
     "{\"w\":{\"dtype\":\"F32\",\"shape\":[9007199254740992,2048],\"data_offsets\":[0,0]}}", 0,
     NULL, 0, SC_ERR_MODEL, "tensor 'w'", "too large"},
    {"duplicate-key",
     "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
     "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
     4, NULL, 0, SC_ERR_MODEL, "tensor 'w' appears twice", NULL},
    {"metadata-not-string", "{\"__metadata__\":{\"k\":1}}", 0, NULL, 0, SC_ERR_MODEL,
     "__metadata__", "'k' is not a string"},
    {"metadata-not-object", "{\"__metadata__\":[\"k\"]}", 0, NULL, 0, SC_ERR_MODEL,
     "__metadata__ is not an object", NULL},
    {"metadata-duplicate-key", "{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", 0, NULL, 0,
     SC_ERR_MODEL, "'k' appears twice", NULL},
};

static void test_hostile_files_rejected(void **state)
{
    (void)state;
    uint8_t zeros[64] = {0};
    for (size_t i = 0; i < sizeof k_cases / sizeof k_cases[0]; i++) {
        const hostile_case *c = &k_cases[i];
        char name[128];
        snprintf(name, sizeof name, "%s.safetensors", c->name);
        char *path;
        if (c->header) {
            size_t size;
            uint8_t *bytes = io_safetensors_bytes(c->header, 0, zeros, c->data_size, &size);
            path = write_file(name, bytes, size);
            free(bytes);
        } else {
            path = write_file(name, c->raw, c->raw_size);
        }
        sc_safetensors st;
        sc_error err = {0};
        sc_status status = sc_st_open(path, &st, &err);
        if (status != c->status)
            fail_msg("%s: status %d, want %d (%s)", c->name, status, c->status, err.msg);
        assert_int_equal(err.status, c->status);
        IO_ASSERT_CONTAINS(err.msg, path);
        IO_ASSERT_CONTAINS(err.msg, c->expect1);
        if (c->expect2)
            IO_ASSERT_CONTAINS(err.msg, c->expect2);
        assert_null(strchr(err.msg, '\n'));
        /* A failed open leaves nothing to free, and closing again is harmless. */
        assert_null(st.map);
        assert_null(st.tensors);
        sc_st_close(&st);
        free(path);
    }
}

static void test_missing_file_and_folder(void **state)
{
    (void)state;
    sc_safetensors st;
    sc_error err = {0};
    char *path = io_join(io_test_dir, "absent.safetensors");
    assert_int_equal(sc_st_open(path, &st, &err), SC_ERR_IO);
    IO_ASSERT_CONTAINS(err.msg, path);
    IO_ASSERT_CONTAINS(err.msg, "No such file");
    assert_int_equal(sc_st_open(io_test_dir, &st, &err), SC_ERR_IO);
    IO_ASSERT_CONTAINS(err.msg, "not a regular file");
    free(path);
}

static void test_zero_length_tensors_may_share_offsets(void **state)
{
    (void)state;
    const char *header = "{\"x\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]},"
                         "\"y\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                         "\"z\":{\"dtype\":\"F16\",\"shape\":[3,0],\"data_offsets\":[8,8]}}";
    uint8_t data[8] = {0};
    size_t size;
    uint8_t *bytes = io_safetensors_bytes(header, 0, data, sizeof data, &size);
    char *path = write_file("empty-tensors.safetensors", bytes, size);
    sc_safetensors st;
    sc_error err = {0};
    assert_int_equal(sc_st_open(path, &st, &err), SC_OK);
    assert_int_equal(st.count, 3);
    sc_st_close(&st);
    free(path);
    free(bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_file_reads_back),
        cmocka_unit_test(test_unaligned_data_reads_back),
        cmocka_unit_test(test_wrong_shape_message),
        cmocka_unit_test(test_half_conversion_exhaustive),
        cmocka_unit_test(test_hostile_files_rejected),
        cmocka_unit_test(test_missing_file_and_folder),
        cmocka_unit_test(test_zero_length_tensors_may_share_offsets),
    };
    return cmocka_run_group_tests(tests, io_test_dir_setup, io_test_dir_teardown);
}
