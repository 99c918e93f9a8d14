#include "core/arena.h"

#include <string.h>
#include <sys/mman.h>

#include "core/page_hints.h"
#include "core/parallel.h"

/* The arena's pages are mapped ahead in steps of this many bytes at least. */
#define PREFAULT_STEP ((size_t)2 << 20)

/* A move is cut into pieces of this size, whatever the worker count. */
#define MOVE_PIECE_BYTES ((size_t)1 << 20)

int sc_arena_init(sc_arena *a, size_t capacity)
{
    a->capacity = capacity;
    a->used = a->peak = a->prefaulted = 0;
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
    a->capacity = a->used = a->prefaulted = 0;
}

void *sc_arena_alloc(sc_arena *a, size_t bytes)
{
    size_t start = sc_arena_align_up(a->used);
    if (!a->base || start > a->capacity || bytes > a->capacity - start)
        return NULL;
    a->used = start + bytes;
    if (a->used > a->peak)
        a->peak = a->used;
    if (a->used > a->prefaulted) {
        size_t end = (a->used + PREFAULT_STEP - 1) & ~(PREFAULT_STEP - 1);
        if (end > a->capacity)
            end = a->capacity;
        sc_prefault(a->base + a->prefaulted, end - a->prefaulted);
        a->prefaulted = end;
    }
    return a->base + start;
}

sc_tensor sc_arena_tensor(sc_arena *a, int c, int h, int w)
{
    sc_tensor t = {c, h, w, NULL};
    if (c > 0 && h > 0 && w > 0)
        t.data = sc_arena_alloc(a, (size_t)c * (size_t)h * (size_t)w * sizeof(float));
    return t;
}

void sc_arena_move(void *dst, const void *src, size_t bytes)
{
    unsigned char *to = dst;
    const unsigned char *from = src;
    if (to == from || bytes == 0)
        return;
    const int apart = to < from ? (size_t)(from - to) >= bytes : (size_t)(to - from) >= bytes;
    /* Moving down over itself: rounds no longer than the gap. */
    const size_t gap = apart ? bytes : to < from ? (size_t)(from - to) : 0;
    if (bytes < 2 * MOVE_PIECE_BYTES || gap < MOVE_PIECE_BYTES) {
        memmove(to, from, bytes);
        return;
    }
    const size_t round = gap < bytes ? gap / MOVE_PIECE_BYTES * MOVE_PIECE_BYTES : bytes;
    for (size_t done = 0; done < bytes; done += round) {
        const size_t n = bytes - done < round ? bytes - done : round;
        const long pieces = (long)((n + MOVE_PIECE_BYTES - 1) / MOVE_PIECE_BYTES);
#pragma omp parallel for num_threads(sc_get_threads()) schedule(static)
        for (long p = 0; p < pieces; p++) {
            const size_t at = (size_t)p * MOVE_PIECE_BYTES;
            const size_t len = n - at < MOVE_PIECE_BYTES ? n - at : MOVE_PIECE_BYTES;
            memcpy(to + done + at, from + done + at, len);
        }
    }
}
