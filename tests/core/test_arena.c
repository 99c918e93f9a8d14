#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/error.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arena_allocations_are_aligned_and_bounded),
        cmocka_unit_test(arena_tensor_has_requested_shape),
        cmocka_unit_test(fail_formats_one_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
