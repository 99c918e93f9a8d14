#include "core/huge_pages.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HUGE_PAGE ((uintptr_t)2 << 20)

static int g_wanted;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void read_setting(void)
{
    const char *value = getenv(SC_HUGE_PAGES_ENV);
    g_wanted = value && strcmp(value, "1") == 0;
}

int sc_huge_pages_wanted(void)
{
    pthread_once(&g_once, read_setting);
    return g_wanted;
}

void *sc_prefer_huge_pages(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    if (!p || bytes < SC_HUGE_PAGES_MIN_BYTES || !sc_huge_pages_wanted())
        return p;
    const uintptr_t start = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    const uintptr_t end = ((uintptr_t)p + bytes) & ~(HUGE_PAGE - 1);
    /* Only whole huge pages inside the buffer: advice never reaches a
     * neighbour's memory. */
    if (end > start)
        (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)bytes;
#endif
    return p;
}
