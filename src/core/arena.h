/*
 * A bump allocator for one inference run. Layers take their outputs and
 * scratch from it; a network releases everything a stage no longer needs by
 * going back to a mark, so the peak is the largest set of live activations,
 * not the sum of all of them.
 */
#ifndef SC_CORE_ARENA_H
#define SC_CORE_ARENA_H

#include <stddef.h>

#include "core/tensor.h"

typedef struct sc_arena {
    unsigned char *base;
    size_t capacity, used, peak;
    size_t prefaulted; /* bytes from base whose pages were mapped ahead (core/page_hints.h) */
} sc_arena;

/* Reserves address space for capacity bytes; pages are mapped only when used:
 * a block that reaches past what was used before has its new pages mapped in
 * one call (sc_prefault), since a block is written before it is read. */
int sc_arena_init(sc_arena *a, size_t capacity);
void sc_arena_release(sc_arena *a);

/* Every block starts on a multiple of this: a cache line, one AVX-512 vector. */
#define SC_ARENA_ALIGN 64

/* offset rounded up to the next block start */
static inline size_t sc_arena_align_up(size_t offset)
{
    return (offset + (SC_ARENA_ALIGN - 1)) & ~(size_t)(SC_ARENA_ALIGN - 1);
}

/* Bytes the next block can have (after its alignment); 0 when full. */
static inline size_t sc_arena_available(const sc_arena *a)
{
    size_t start = sc_arena_align_up(a->used);
    return a->base && start < a->capacity ? a->capacity - start : 0;
}

/* SC_ARENA_ALIGN aligned; NULL when the arena is full. */
void *sc_arena_alloc(sc_arena *a, size_t bytes);
/* Tensor from the arena; data NULL when the arena is full. Not zeroed. */
sc_tensor sc_arena_tensor(sc_arena *a, int c, int h, int w);

/* memmove(dst, src, bytes) on the calling thread's worker count: a network
 * keeping a live map moves it down over dead ones, tens of megabytes at a
 * time, which one thread alone would copy while the others wait. Parallel
 * where the two ranges are apart, and where dst is below an overlapping src
 * in rounds of at most src - dst bytes (no part of a round writes over bytes
 * another part still reads); serial otherwise. The same bytes either way. */
void sc_arena_move(void *dst, const void *src, size_t bytes);

static inline size_t sc_arena_mark(const sc_arena *a) { return a->used; }
static inline void sc_arena_reset(sc_arena *a, size_t mark) { a->used = mark; }

#endif
