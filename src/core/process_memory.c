#include <stdlib.h> /* defines __GLIBC__ on glibc */

#include "skychange.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

/* glibc's largest mmap threshold on 64-bit systems (half its heap size). */
#define HEAP_BLOCK_MAX ((int)32 << 20)
/* Free memory at a heap's top beyond this goes back to the system. */
#define KEEP_FREE_MAX ((int)1 << 30)

int sc_keep_freed_memory(void)
{
#if defined(__GLIBC__)
    if (mallopt(M_MMAP_THRESHOLD, HEAP_BLOCK_MAX) == 1 &&
        mallopt(M_TRIM_THRESHOLD, KEEP_FREE_MAX) == 1)
        return 0;
#endif
    return -1;
}
