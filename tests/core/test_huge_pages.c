/* The huge-page hint follows SKYCHANGE_HUGE_PAGES: an arena's mapping carries
 * MADV_HUGEPAGE ("hg" in /proc/self/smaps' VmFlags) only when it is "1".
 * CMake runs this test twice, without the variable and with it set to 1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/huge_pages.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hint_follows_the_variable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
