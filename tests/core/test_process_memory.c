/* sc_keep_freed_memory: set on glibc, and freed blocks then come back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "skychange.h"

/* Sanitizers bring their own malloc, which glibc's settings do not reach. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define OWN_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define OWN_MALLOC 1
#endif
#endif
#ifndef OWN_MALLOC
#define OWN_MALLOC 0
#endif

static void freed_blocks_are_reused(void **state)
{
    (void)state;
#if defined(__GLIBC__) && !OWN_MALLOC
    assert_int_equal(sc_keep_freed_memory(), 0);
    /* A 16 MB block (above glibc's default first mmap threshold of 128 KiB)
     * freed and asked for again: served from the heap, at the same place. */
    const size_t bytes = (size_t)16 << 20;
    unsigned char *first = malloc(bytes);
    assert_non_null(first);
    memset(first, 1, bytes);
    const uintptr_t where = (uintptr_t)first;
    free(first);
    unsigned char *second = malloc(bytes);
    assert_non_null(second);
    assert_true((uintptr_t)second == where);
    free(second);
#else
    skip(); /* another C library, or AddressSanitizer's own malloc */
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(freed_blocks_are_reused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
