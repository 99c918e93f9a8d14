/*
 * A hint for large buffers: back them with transparent huge pages where the
 * kernel gives them on request ("madvise" mode, the usual default). One fault
 * then maps 2 MiB instead of 4 KiB. Page faults are what a first touch of
 * fresh memory costs, and on virtual machines they are dear (about 10 us a
 * fault on the 2-core development VM: 0.8 s for the 300 MB a 2560x1600 pair
 * touches); fewer TLB misses come with it.
 */
#ifndef SC_CORE_HUGE_PAGES_H
#define SC_CORE_HUGE_PAGES_H

#include <stddef.h>

/* Buffers smaller than this are left as they are. */
#define SC_HUGE_PAGES_MIN_BYTES ((size_t)4 << 20)

/* Asks for huge pages over the whole 2 MiB pages inside [p, p + bytes) and
 * returns p, so that it wraps an allocation: sc_prefer_huge_pages(malloc(n), n).
 * Only a hint: p is returned as it is when p is NULL, the buffer is small, or
 * the kernel says no. The memory is freed as before. */
void *sc_prefer_huge_pages(void *p, size_t bytes);

/* malloc and calloc with the hint. Macros, so that allocation-fault builds
 * still count each call site on its own; the arguments are evaluated twice. */
#define SC_MALLOC_LARGE(bytes) sc_prefer_huge_pages(malloc(bytes), (bytes))
#define SC_CALLOC_LARGE(count, size) sc_prefer_huge_pages(calloc((count), (size)), (count) * (size))

#endif
