#include "imgproc/fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static const size_t type_size[] = {1, 4, 2, 4};

static int32_t read_i32(const unsigned char *p)
{
    return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                     (uint32_t)p[3] << 24);
}

fixture fixture_load(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/blend/%s.bin", SC_TEST_DATA, name);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        fail_msg("cannot open fixture %s", path);
    unsigned char head[12 + 16];
    fixture f = {0};
    assert_int_equal(fread(head, 1, 12, fp), 12);
    assert_memory_equal(head, "SCFX", 4);
    f.type = (fixture_type)read_i32(head + 4);
    f.ndim = read_i32(head + 8);
    assert_true(f.type <= FIX_I32 && f.ndim >= 1 && f.ndim <= 4);
    assert_int_equal(fread(head + 12, 4, (size_t)f.ndim, fp), (size_t)f.ndim);
    f.count = 1;
    for (int i = 0; i < f.ndim; i++) {
        f.dims[i] = read_i32(head + 12 + 4 * i);
        assert_true(f.dims[i] >= 0);
        f.count *= (size_t)f.dims[i];
    }
    f.data = malloc(f.count * type_size[f.type] + 1);
    assert_non_null(f.data);
    assert_int_equal(fread(f.data, type_size[f.type], f.count, fp), f.count);
    fclose(fp);
    return f; /* the build machines are little-endian, like the files */
}

void fixture_free(fixture *f)
{
    free(f->data);
    f->data = NULL;
}

int fixture_h(const fixture *f)
{
    return f->dims[0];
}

int fixture_w(const fixture *f)
{
    return f->ndim > 1 ? f->dims[1] : 1;
}

int fixture_c(const fixture *f)
{
    return f->ndim > 2 ? f->dims[2] : 1;
}
