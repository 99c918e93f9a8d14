/* The thread count is the calling thread's: setting it on one thread leaves
 * every other thread's as it was, and a call can put back what it replaced. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <omp.h>
#include <pthread.h>

#include "core/parallel.h"
#include "skychange.h"

typedef struct other_thread {
    int sets, seen_before, seen_after;
} other_thread;

static void *set_on_other_thread(void *arg)
{
    other_thread *t = arg;
    t->seen_before = sc_get_threads();
    sc_set_threads(t->sets);
    t->seen_after = sc_get_threads();
    return NULL;
}

static void test_count_is_per_thread(void **state)
{
    (void)state;
    /* Counts that differ from each other and from the all-cores default. */
    const int mine = omp_get_num_procs() + 1;
    const int caller_setting = sc_set_threads(mine);
    assert_int_equal(sc_get_threads(), mine);

    other_thread t = {mine + 1, 0, 0};
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, set_on_other_thread, &t), 0);
    assert_int_equal(pthread_join(thread, NULL), 0);
    /* A new thread has no setting of its own: all cores, not this thread's. */
    assert_int_equal(t.seen_before, omp_get_num_procs());
    assert_int_equal(t.seen_after, mine + 1);
    assert_int_equal(sc_get_threads(), mine);

    assert_int_equal(sc_set_threads(caller_setting), mine);
    assert_int_equal(sc_get_threads(), omp_get_num_procs());
}

static void test_zero_or_less_means_all_cores(void **state)
{
    (void)state;
    const int caller_setting = sc_set_threads(-2);
    assert_int_equal(sc_get_threads(), omp_get_num_procs());
    /* Kept as "no setting", so putting it back restores the default. */
    assert_int_equal(sc_set_threads(caller_setting), 0);
}

/* The public call is the setting the library's loops read on this thread
 * (picture reads and writes take no sc_options). */
static void test_default_threads_is_the_threads_setting(void **state)
{
    (void)state;
    const int before = sc_set_default_threads(3);
    assert_int_equal(sc_get_threads(), 3);
    assert_int_equal(sc_set_default_threads(1), 3);
    assert_int_equal(sc_get_threads(), 1);
    assert_int_equal(sc_set_default_threads(-2), 1);
    assert_int_equal(sc_get_threads(), omp_get_num_procs());
    (void)sc_set_default_threads(before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_count_is_per_thread),
        cmocka_unit_test(test_zero_or_less_means_all_cores),
        cmocka_unit_test(test_default_threads_is_the_threads_setting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
