/*
 * Allocation fault injection, for the test and sanitizer builds only
 * (CMake option SC_ALLOC_FAULTS). CMake force-includes this header into every
 * library and CLI source of such a build, so that each allocation goes through
 * one counter that knows its call site; environment variables then make one
 * chosen allocation fail as if memory had run out (docs/robustness.md). Other
 * builds neither include this header nor compile the counter.
 */
#ifndef SC_CORE_ALLOC_FAULT_H
#define SC_CORE_ALLOC_FAULT_H

#ifdef SC_ALLOC_FAULTS

/* The real declarations first, so that the macros below only rename calls. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#if defined(__GLIBC__)
#include <malloc.h> /* mallopt, for core/process_memory.c */
#endif

/* Where an allocation is made: the source file and line of the call. */
typedef struct sc_alloc_site {
    const char *file;
    int line;
} sc_alloc_site;

#define SC_ALLOC_HERE ((sc_alloc_site){__FILE__, __LINE__})

void *sc_fault_malloc(sc_alloc_site at, size_t size);
void *sc_fault_calloc(sc_alloc_site at, size_t count, size_t size);
void *sc_fault_realloc(sc_alloc_site at, void *p, size_t size);
void *sc_fault_aligned_alloc(sc_alloc_site at, size_t alignment, size_t size);
char *sc_fault_strdup(sc_alloc_site at, const char *s);
char *sc_fault_strndup(sc_alloc_site at, const char *s, size_t n);
void *sc_fault_mmap(sc_alloc_site at, void *addr, size_t length, int prot, int flags, int fd,
                    off_t offset);

/* alloc_fault.c itself is compiled with SC_ALLOC_FAULT_REAL_CALLS: it calls the real ones. */
#ifndef SC_ALLOC_FAULT_REAL_CALLS
#undef malloc
#undef calloc
#undef realloc
#undef aligned_alloc
#undef strdup
#undef strndup
#undef mmap
#define malloc(size) sc_fault_malloc(SC_ALLOC_HERE, size)
#define calloc(count, size) sc_fault_calloc(SC_ALLOC_HERE, count, size)
#define realloc(p, size) sc_fault_realloc(SC_ALLOC_HERE, p, size)
#define aligned_alloc(alignment, size) sc_fault_aligned_alloc(SC_ALLOC_HERE, alignment, size)
#define strdup(s) sc_fault_strdup(SC_ALLOC_HERE, s)
#define strndup(s, n) sc_fault_strndup(SC_ALLOC_HERE, s, n)
#define mmap(addr, length, prot, flags, fd, offset) \
    sc_fault_mmap(SC_ALLOC_HERE, addr, length, prot, flags, fd, offset)
#endif

#endif /* SC_ALLOC_FAULTS */
#endif
