#include "core/arena.h"

#include <sys/mman.h>

#include "core/huge_pages.h"

int sc_arena_init(sc_arena *a, size_t capacity)
{
    a->capacity = capacity;
    a->used = a->peak = 0;
    /* mmap instead of malloc: untouched pages cost no memory, so the arena can be
     * sized for the worst case while RSS follows what a run really uses. */
    void *p = mmap(NULL, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        a->base = NULL;
        return -1;
    }
    sc_prefer_huge_pages(p, capacity);
    a->base = p;
    return 0;
}

void sc_arena_release(sc_arena *a)
{
    if (a->base)
        munmap(a->base, a->capacity);
    a->base = NULL;
    a->capacity = a->used = 0;
}

void *sc_arena_alloc(sc_arena *a, size_t bytes)
{
    size_t start = sc_arena_align_up(a->used);
    if (!a->base || start > a->capacity || bytes > a->capacity - start)
        return NULL;
    a->used = start + bytes;
    if (a->used > a->peak)
        a->peak = a->used;
    return a->base + start;
}

sc_tensor sc_arena_tensor(sc_arena *a, int c, int h, int w)
{
    sc_tensor t = {c, h, w, NULL};
    if (c > 0 && h > 0 && w > 0)
        t.data = sc_arena_alloc(a, (size_t)c * (size_t)h * (size_t)w * sizeof(float));
    return t;
}
