/* The page hints follow their variables. The huge-page hint: an arena's
 * mapping carries MADV_HUGEPAGE ("hg" in /proc/self/smaps' VmFlags) only when
 * SKYCHANGE_HUGE_PAGES is "1". Prefaulting: an arena block's pages are
 * resident (mincore) before anything writes them unless SKYCHANGE_PREFAULT is
 * "0", and pages past the block's 2 MiB step are not. CMake runs this test
 * three times: without the variables, with SKYCHANGE_HUGE_PAGES=1, and with
 * SKYCHANGE_PREFAULT=0. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/page_hints.h"

/* 1 when the mapping that starts at `start` has the "hg" flag, 0 when not,
 * -1 when /proc/self/smaps does not tell. */
static int mapping_has_huge_hint(const void *start)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    if (!f)
        return -1;
    char line[512];
    int in_mapping = 0, found = -1;
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) { /* a mapping's first line */
            in_mapping = (uintptr_t)start >= lo && (uintptr_t)start < hi;
            continue;
        }
        if (in_mapping && strncmp(line, "VmFlags:", 8) == 0) {
            found = strstr(line, " hg") != NULL;
            break;
        }
    }
    fclose(f);
    return found;
}

static void hint_follows_the_variable(void **state)
{
    (void)state;
    const char *value = getenv(SC_HUGE_PAGES_ENV);
    const int wanted = value && strcmp(value, "1") == 0;
    assert_int_equal(sc_huge_pages_wanted(), wanted);
    sc_arena arena;
    assert_int_equal(sc_arena_init(&arena, (size_t)64 << 20), 0);
    const int flagged = mapping_has_huge_hint(arena.base + ((size_t)32 << 20));
    if (flagged < 0) {
        sc_arena_release(&arena);
        skip(); /* no /proc, or a kernel without MADV_HUGEPAGE */
    }
    assert_int_equal(flagged, wanted);
    sc_arena_release(&arena);
}

/* Resident pages among the `pages` 4 KiB pages from p (page aligned); -1 when
 * mincore cannot tell. */
static long resident_pages(const unsigned char *p, size_t pages)
{
    unsigned char *flags = malloc(pages);
    if (!flags || mincore((void *)p, pages * 4096, flags) != 0) {
        free(flags);
        return -1;
    }
    long count = 0;
    for (size_t i = 0; i < pages; i++)
        count += flags[i] & 1;
    free(flags);
    return count;
}

/* 1 when this kernel maps pages on MADV_POPULATE_WRITE (Linux 5.14 and later). */
static int kernel_prefaults(void)
{
#ifdef MADV_POPULATE_WRITE
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 0;
    const int ok = madvise(p, 4096, MADV_POPULATE_WRITE) == 0;
    munmap(p, 4096);
    return ok;
#else
    return 0;
#endif
}

static void prefault_follows_the_variable(void **state)
{
    (void)state;
    const char *value = getenv(SC_PREFAULT_ENV);
    const int wanted = !(value && strcmp(value, "0") == 0);
    assert_int_equal(sc_prefault_wanted(), wanted);
    if (getpagesize() != 4096 || !kernel_prefaults())
        skip();
    sc_arena arena;
    assert_int_equal(sc_arena_init(&arena, (size_t)64 << 20), 0);
    /* 3 MiB from the start: the arena maps up to the next 2 MiB step, 4 MiB. */
    const size_t block = (size_t)3 << 20;
    unsigned char *p = sc_arena_alloc(&arena, block);
    assert_non_null(p);
    const long in_block = resident_pages(p, block / 4096);
    const long past_step = resident_pages(arena.base + ((size_t)4 << 20), 256);
    assert_true(in_block >= 0 && past_step >= 0);
    assert_int_equal(in_block, wanted ? (long)(block / 4096) : 0);
    assert_int_equal(past_step, 0);
    /* A second block inside the mapped step maps nothing more; one past it
     * maps its own pages. */
    unsigned char *q = sc_arena_alloc(&arena, (size_t)512 << 10);
    unsigned char *r = sc_arena_alloc(&arena, (size_t)1 << 20);
    assert_true(q && r);
    assert_int_equal(resident_pages(arena.base + ((size_t)6 << 20), 256), 0);
    assert_int_equal(resident_pages(r, 256), wanted ? 256 : 0);
    sc_arena_release(&arena);
}

/* A large malloc'd buffer is mapped when wanted: its whole pages at least. */
static void large_buffers_are_prefaulted(void **state)
{
    (void)state;
    if (getpagesize() != 4096 || !kernel_prefaults())
        skip();
    const size_t bytes = (size_t)64 << 20; /* above glibc's mmap threshold: fresh pages */
    unsigned char *p = SC_MALLOC_LARGE(bytes);
    assert_non_null(p);
    const size_t first = ((uintptr_t)p + 4095) / 4096 * 4096 - (uintptr_t)p;
    const size_t pages = (bytes - first) / 4096;
    const long resident = resident_pages(p + first, pages);
    assert_true(resident >= 0);
    if (sc_prefault_wanted())
        assert_int_equal(resident, (long)pages);
    else
        assert_true(resident < (long)pages / 2);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hint_follows_the_variable),
        cmocka_unit_test(prefault_follows_the_variable),
        cmocka_unit_test(large_buffers_are_prefaulted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
