/*
 * The inference workspace kept between calls on one model. A run's arena is
 * handed back here instead of being unmapped, so that the next call finds its
 * pages already touched: a first touch costs a page fault and a zeroed page,
 * and on virtual machines a fault can cost more than the arithmetic done in
 * the page (on the 2-core development VM, about 10 us a 4 KiB page, or 0.8 s
 * for the 300 MB a 2560x1600 pair touches). One idle arena is kept, so memory
 * stays bounded by one run's peak; concurrent calls each get their own.
 */
#ifndef SC_CORE_WORKSPACE_POOL_H
#define SC_CORE_WORKSPACE_POOL_H

#include <pthread.h>
#include <stddef.h>

#include "core/arena.h"

typedef struct sc_workspace_pool {
    pthread_mutex_t lock;
    sc_arena idle; /* base NULL when none is kept */
} sc_workspace_pool;

int sc_workspace_pool_init(sc_workspace_pool *pool);
/* Unmaps the idle arena; no call may be using the pool. */
void sc_workspace_pool_destroy(sc_workspace_pool *pool);

/* An empty arena of at least `capacity` bytes: the idle one when it is large
 * enough, a new one otherwise. 0 on success, -1 when no memory is left. */
int sc_workspace_take(sc_workspace_pool *pool, size_t capacity, sc_arena *out);
/* Keeps `arena` for the next call, or unmaps it when one is kept already
 * (the larger of the two stays). */
void sc_workspace_give_back(sc_workspace_pool *pool, sc_arena *arena);
/* Unmaps the idle arena, if any: the memory a model holds between calls. */
void sc_workspace_trim(sc_workspace_pool *pool);

#endif
