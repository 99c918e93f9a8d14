/*
 * A hint for large buffers: back them with transparent huge pages where the
 * kernel gives them on request ("madvise" mode, the usual default). One fault
 * then maps 2 MiB instead of 4 KiB, and fewer TLB misses come with it.
 *
 * Off unless SKYCHANGE_HUGE_PAGES=1. On the 2-core development VM a huge page
 * is dearer to touch first than its 512 small pages, whenever the machine
 * was idle a few seconds before: the guest reports free 2 MiB blocks to its
 * host, which takes them back, and a huge page comes from those blocks, while
 * small pages come from ones still backed. A CLI run there took 1.24x longer
 * with the hint (the full-size mask, 5.94 s against 4.80 s, medians of five;
 * a small-model pair 0.93 s against 0.76 s; docs/speed.md). On a machine
 * that hands out huge pages cheaply, the variable turns the hint on.
 */
#ifndef SC_CORE_HUGE_PAGES_H
#define SC_CORE_HUGE_PAGES_H

#include <stddef.h>

#define SC_HUGE_PAGES_ENV "SKYCHANGE_HUGE_PAGES"

/* 1 when SKYCHANGE_HUGE_PAGES is "1" (read once per process). */
int sc_huge_pages_wanted(void);

/* Buffers smaller than this are left as they are. */
#define SC_HUGE_PAGES_MIN_BYTES ((size_t)4 << 20)

/* Asks for huge pages over the whole 2 MiB pages inside [p, p + bytes) and
 * returns p, so that it wraps an allocation: sc_prefer_huge_pages(malloc(n), n).
 * Only a hint, and only when wanted: p is returned as it is when p is NULL,
 * the buffer is small, the hint is off, or the kernel says no. The memory is
 * freed as before. */
void *sc_prefer_huge_pages(void *p, size_t bytes);

/* malloc and calloc with the hint. Macros, so that allocation-fault builds
 * still count each call site on its own; the arguments are evaluated twice. */
#define SC_MALLOC_LARGE(bytes) sc_prefer_huge_pages(malloc(bytes), (bytes))
#define SC_CALLOC_LARGE(count, size) sc_prefer_huge_pages(calloc((count), (size)), (count) * (size))

#endif
