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
} sc_arena;

/* Reserves address space for capacity bytes; pages are touched only when used. */
int sc_arena_init(sc_arena *a, size_t capacity);
void sc_arena_release(sc_arena *a);

/* 64-byte aligned; NULL when the arena is full. */
void *sc_arena_alloc(sc_arena *a, size_t bytes);
/* Tensor from the arena; data NULL when the arena is full. Not zeroed. */
sc_tensor sc_arena_tensor(sc_arena *a, int c, int h, int w);

static inline size_t sc_arena_mark(const sc_arena *a) { return a->used; }
static inline void sc_arena_reset(sc_arena *a, size_t mark) { a->used = mark; }

#endif
