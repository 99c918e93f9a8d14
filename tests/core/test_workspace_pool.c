/* The workspace a model keeps between calls: the idle arena is handed out
 * again when large enough, only one is kept (the larger), and trim unmaps it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/workspace_pool.h"

static void idle_arena_is_handed_out_again_empty(void **state)
{
    (void)state;
    sc_workspace_pool pool;
    assert_int_equal(sc_workspace_pool_init(&pool), 0);
    sc_arena a;
    assert_int_equal(sc_workspace_take(&pool, 1 << 20, &a), 0);
    unsigned char *base = a.base;
    assert_non_null(sc_arena_alloc(&a, 1000));
    sc_workspace_give_back(&pool, &a);
    assert_null(a.base);
    assert_ptr_equal(pool.idle.base, base);

    sc_arena b;
    assert_int_equal(sc_workspace_take(&pool, 1 << 19, &b), 0);
    assert_ptr_equal(b.base, base);
    assert_int_equal(b.used, 0);
    assert_int_equal(b.peak, 0);
    assert_null(pool.idle.base);
    sc_workspace_give_back(&pool, &b);
    sc_workspace_pool_destroy(&pool);
}

static void too_small_idle_arena_is_not_handed_out(void **state)
{
    (void)state;
    sc_workspace_pool pool;
    assert_int_equal(sc_workspace_pool_init(&pool), 0);
    sc_arena small, big;
    assert_int_equal(sc_workspace_take(&pool, 1 << 16, &small), 0);
    sc_workspace_give_back(&pool, &small);
    assert_int_equal(sc_workspace_take(&pool, 1 << 20, &big), 0);
    assert_true(big.capacity >= (size_t)1 << 20);
    assert_non_null(pool.idle.base); /* the small one stays idle */
    sc_workspace_give_back(&pool, &big);
    assert_int_equal(pool.idle.capacity, (size_t)1 << 20); /* the larger is kept */
    sc_workspace_pool_destroy(&pool);
}

static void two_at_once_then_one_kept(void **state)
{
    (void)state;
    sc_workspace_pool pool;
    assert_int_equal(sc_workspace_pool_init(&pool), 0);
    sc_arena first, second;
    assert_int_equal(sc_workspace_take(&pool, 1 << 18, &first), 0);
    assert_int_equal(sc_workspace_take(&pool, 1 << 18, &second), 0);
    assert_ptr_not_equal(first.base, second.base);
    unsigned char *kept = first.base;
    sc_workspace_give_back(&pool, &first);
    sc_workspace_give_back(&pool, &second); /* same size: unmapped, the first stays */
    assert_ptr_equal(pool.idle.base, kept);
    sc_workspace_trim(&pool);
    assert_null(pool.idle.base);
    assert_int_equal(pool.idle.capacity, 0);
    sc_workspace_trim(&pool); /* nothing left: no effect */
    sc_workspace_pool_destroy(&pool);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(idle_arena_is_handed_out_again_empty),
        cmocka_unit_test(too_small_idle_arena_is_not_handed_out),
        cmocka_unit_test(two_at_once_then_one_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
