/*
 * How large buffers get their pages.
 *
 * Prefaulting (on unless SKYCHANGE_PREFAULT=0): the whole pages of a large
 * buffer are mapped in one call (MADV_POPULATE_WRITE) when it is allocated,
 * instead of one fault per 4 KiB page as the code first writes them. A fault
 * costs the kernel's entry, exit and bookkeeping once per page; on the 2-core
 * development VM that was about half of what fresh memory costs (512 MB
 * touched by two threads: 0.87 s, mapped first and then touched: 0.52 s;
 * docs/speed.md). Only buffers the code writes in full get it, so nothing is
 * mapped that would not have been anyway. Kernels before 5.14 refuse the call
 * and the pages fault in as before.
 *
 * Huge pages (off unless SKYCHANGE_HUGE_PAGES=1): a transparent-huge-page
 * hint, one fault for 2 MiB. On the development VM a huge page is dearer to
 * touch first than its 512 small pages whenever the machine was idle a few
 * seconds before: the guest reports free 2 MiB blocks to its host, which
 * takes them back, and a huge page comes from those blocks, while small pages
 * come from ones still backed. A CLI run there took 1.24x longer with the
 * hint (docs/speed.md). On a machine that hands out huge pages cheaply, the
 * variable turns the hint on.
 */
#ifndef SC_CORE_PAGE_HINTS_H
#define SC_CORE_PAGE_HINTS_H

#include <stddef.h>

#define SC_HUGE_PAGES_ENV "SKYCHANGE_HUGE_PAGES"
#define SC_PREFAULT_ENV "SKYCHANGE_PREFAULT"

/* 1 when SKYCHANGE_HUGE_PAGES is "1" (read once per process). */
int sc_huge_pages_wanted(void);
/* 0 when SKYCHANGE_PREFAULT is "0", else 1 (read once per process). */
int sc_prefault_wanted(void);

/* Buffers smaller than these are left as they are. */
#define SC_HUGE_PAGES_MIN_BYTES ((size_t)4 << 20)
#define SC_PREFAULT_MIN_BYTES ((size_t)256 << 10)

/* Maps the whole pages inside [p, p + bytes) for writing now, when wanted.
 * Only advice: nothing changes when the kernel says no. */
void sc_prefault(void *p, size_t bytes);

/* The same for reading, for a file mapping read through once (a model file):
 * its pages come from the page cache in one call instead of one fault each. */
void sc_prefault_read(const void *p, size_t bytes);

/* The huge-page hint over the whole 2 MiB pages inside [p, p + bytes), when
 * wanted; advice never reaches a neighbour's memory. */
void sc_prefer_huge_pages(void *p, size_t bytes);

/* Both, for a buffer the caller is about to write in full; returns p, so that
 * it wraps an allocation: sc_large_buffer(malloc(n), n). p NULL is returned as
 * it is. The memory is freed as before. */
void *sc_large_buffer(void *p, size_t bytes);

/* malloc and calloc of a large buffer. Macros, so that allocation-fault builds
 * still count each call site on its own; the arguments are evaluated twice. */
#define SC_MALLOC_LARGE(bytes) sc_large_buffer(malloc(bytes), (bytes))
#define SC_CALLOC_LARGE(count, size) sc_large_buffer(calloc((count), (size)), (count) * (size))

#endif
