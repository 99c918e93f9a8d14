#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/parallel.h"

static void arena_allocations_are_aligned_and_bounded(void **state)
{
    (void)state;
    sc_arena a;
    assert_int_equal(sc_arena_init(&a, 1 << 20), 0);
    void *p = sc_arena_alloc(&a, 3);
    void *q = sc_arena_alloc(&a, 5);
    assert_non_null(p);
    assert_non_null(q);
    assert_int_equal((uintptr_t)q % 64, 0);
    assert_true((unsigned char *)q >= (unsigned char *)p + 3);
    size_t mark = sc_arena_mark(&a);
    assert_non_null(sc_arena_alloc(&a, 1000));
    sc_arena_reset(&a, mark);
    assert_int_equal(sc_arena_mark(&a), mark);
    assert_null(sc_arena_alloc(&a, 2 << 20)); /* larger than the arena */
    assert_true(a.peak >= mark + 1000);
    sc_arena_release(&a);
}

static void arena_tensor_has_requested_shape(void **state)
{
    (void)state;
    sc_arena a;
    assert_int_equal(sc_arena_init(&a, 1 << 16), 0);
    sc_tensor t = sc_arena_tensor(&a, 3, 5, 7);
    assert_non_null(t.data);
    assert_int_equal(sc_tensor_size(&t), 105);
    assert_ptr_equal(sc_tensor_at(&t, 1, 2, 3), t.data + 35 + 14 + 3);
    sc_arena_release(&a);
}

static void fail_formats_one_line(void **state)
{
    (void)state;
    sc_error err = {0};
    assert_int_equal(sc_fail(&err, SC_ERR_MODEL, "%s: tensor '%s' missing", "m.safetensors", "x"),
                     SC_ERR_MODEL);
    assert_string_equal(err.msg, "m.safetensors: tensor 'x' missing");
    assert_int_equal(err.status, SC_ERR_MODEL);
    assert_int_equal(sc_fail(NULL, SC_ERR_IO, "ignored"), SC_ERR_IO);
}

/* sc_arena_move gives memmove's bytes, apart or overlapping in either
 * direction, with gaps below, at and above its piece size (1 MiB) and sizes
 * that end inside a piece, on 1 and 3 workers. */
static void arena_move_is_memmove(void **state)
{
    (void)state;
    const size_t mib = (size_t)1 << 20;
    const size_t span = 12 * mib;
    unsigned char *got = malloc(span), *want = malloc(span);
    assert_non_null(got);
    assert_non_null(want);
    const struct {
        size_t from, to, bytes;
    } moves[] = {
        {0, 0, 5 * mib},                       /* onto itself */
        {6 * mib + 64, 0, 5 * mib + 123},      /* apart, down */
        {0, 6 * mib + 64, 5 * mib + 123},      /* apart, up */
        {4 * mib + 64, 0, 7 * mib + 5},        /* overlapping down, gap of 4 pieces */
        {mib + 4096, 0, 10 * mib + 77},        /* overlapping down, gap just over a piece */
        {mib - 64, 0, 10 * mib},               /* overlapping down, gap under a piece */
        {0, 3 * mib, 8 * mib + 9},             /* overlapping up */
        {64, 0, mib + 1},                      /* small */
    };
    const int workers[] = {1, 3};
    for (size_t m = 0; m < sizeof moves / sizeof moves[0]; m++)
        for (size_t w = 0; w < sizeof workers / sizeof workers[0]; w++) {
            for (size_t i = 0; i < span; i++)
                got[i] = want[i] = (unsigned char)(i * 2654435761u >> 13);
            const int before = sc_set_threads(workers[w]);
            sc_arena_move(got + moves[m].to, got + moves[m].from, moves[m].bytes);
            sc_set_threads(before);
            memmove(want + moves[m].to, want + moves[m].from, moves[m].bytes);
            assert_memory_equal(got, want, span);
        }
    free(got);
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arena_allocations_are_aligned_and_bounded),
        cmocka_unit_test(arena_tensor_has_requested_shape),
        cmocka_unit_test(arena_move_is_memmove),
        cmocka_unit_test(fail_formats_one_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
