/* Arrays written by tools/reference/make_blend_fixtures.py (raw little-endian
 * with a small header), looked up by name in SC_TEST_DATA/blend. */
#ifndef SC_TESTS_FIXTURE_H
#define SC_TESTS_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

typedef enum fixture_type { FIX_U8 = 0, FIX_F32 = 1, FIX_S16 = 2, FIX_I32 = 3 } fixture_type;

typedef struct fixture {
    fixture_type type;
    int ndim;
    int dims[4];
    size_t count; /* number of values */
    void *data;
} fixture;

/* Loads SC_TEST_DATA/blend/<name>.bin; fails the running test if missing or corrupt. */
fixture fixture_load(const char *name);
void fixture_free(fixture *f);

/* Height, width and channels (1 when 2-D). */
int fixture_h(const fixture *f);
int fixture_w(const fixture *f);
int fixture_c(const fixture *f);

#endif
