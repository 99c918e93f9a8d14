/* Bit-exact array comparison that names the first difference. */
#ifndef SC_TESTS_COMPARE_H
#define SC_TESTS_COMPARE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

static inline void assert_same_bytes(const void *got, const void *want, size_t n_values,
                                     size_t value_size, const char *what)
{
    const unsigned char *g = got, *w = want;
    size_t bad = 0, first = 0;
    for (size_t i = 0; i < n_values; i++)
        if (memcmp(g + i * value_size, w + i * value_size, value_size)) {
            if (!bad)
                first = i;
            bad++;
        }
    if (bad)
        fail_msg("%s: %zu of %zu values differ, first at index %zu", what, bad, n_values, first);
}

#endif
