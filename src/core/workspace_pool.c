#include "core/workspace_pool.h"

int sc_workspace_pool_init(sc_workspace_pool *pool)
{
    pool->idle.base = NULL;
    pool->idle.capacity = pool->idle.used = pool->idle.peak = pool->idle.prefaulted = 0;
    return pthread_mutex_init(&pool->lock, NULL) == 0 ? 0 : -1;
}

void sc_workspace_pool_destroy(sc_workspace_pool *pool)
{
    sc_arena_release(&pool->idle);
    pthread_mutex_destroy(&pool->lock);
}

int sc_workspace_take(sc_workspace_pool *pool, size_t capacity, sc_arena *out)
{
    sc_arena kept = {NULL, 0, 0, 0, 0};
    pthread_mutex_lock(&pool->lock);
    if (pool->idle.base && pool->idle.capacity >= capacity) {
        kept = pool->idle;
        pool->idle.base = NULL;
        pool->idle.capacity = 0;
    }
    pthread_mutex_unlock(&pool->lock);
    if (kept.base) {
        kept.used = kept.peak = 0;
        *out = kept;
        return 0;
    }
    return sc_arena_init(out, capacity);
}

void sc_workspace_give_back(sc_workspace_pool *pool, sc_arena *arena)
{
    if (!arena->base)
        return;
    pthread_mutex_lock(&pool->lock);
    if (!pool->idle.base || pool->idle.capacity < arena->capacity) {
        sc_arena swap = pool->idle;
        pool->idle = *arena;
        *arena = swap;
    }
    pthread_mutex_unlock(&pool->lock);
    /* Whatever is left in *arena now is the one not kept. */
    sc_arena_release(arena);
}

void sc_workspace_trim(sc_workspace_pool *pool)
{
    sc_arena dropped;
    pthread_mutex_lock(&pool->lock);
    dropped = pool->idle;
    pool->idle.base = NULL;
    pool->idle.capacity = 0;
    pthread_mutex_unlock(&pool->lock);
    sc_arena_release(&dropped);
}
