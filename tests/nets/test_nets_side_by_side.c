/* Jobs of a forward pass run side by side (nets/side_by_side.h): the threads
 * shared out, each job on its own team and arena part, the parts allocated
 * afterwards, and the arena as it was when they could not run so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <omp.h>
#include <string.h>

#include "core/parallel.h"
#include "nets/side_by_side.h"

#define PART_BYTES ((size_t)64 << 10)

typedef struct record {
    int team[SC_SIDE_BY_SIDE_MAX];  /* threads a region opened in the job got */
    float *made[SC_SIDE_BY_SIDE_MAX];
    size_t room[SC_SIDE_BY_SIDE_MAX]; /* the job's arena part */
    size_t take;                      /* bytes each job allocates */
    int fail_index;                   /* this job fails (-1: none) ... */
    sc_status fail_with;              /* ... with this status */
} record;

static void job(sc_net_ctx *ctx, int index, void *arg)
{
    record *r = arg;
    int team = 0;
#pragma omp parallel num_threads(sc_get_threads())
    {
#pragma omp single
        team = omp_get_num_threads();
    }
    r->team[index] = team;
    r->room[index] = ctx->arena->capacity;
    if (index == r->fail_index && r->fail_with != SC_ERR_NO_MEMORY) {
        ctx->status = r->fail_with;
        snprintf(ctx->err->msg, sizeof ctx->err->msg, "job %d failed", index);
        return;
    }
    sc_tensor t = sc_new(ctx, 1, 1, (int)(r->take / sizeof(float)));
    if (index == r->fail_index || !t.data) {
        ctx->status = SC_ERR_NO_MEMORY;
        return;
    }
    for (size_t i = 0; i < r->take / sizeof(float); i++)
        t.data[i] = (float)index;
    r->made[index] = t.data;
}

/* A context on a fresh arena of `capacity` bytes. */
static sc_net_ctx fresh_ctx(sc_arena *a, sc_error *err, size_t capacity)
{
    assert_int_equal(sc_arena_init(a, capacity), 0);
    *err = (sc_error){SC_OK, ""};
    return (sc_net_ctx){a, NULL, "test", SC_OK, err, 0};
}

static void test_threads_are_shared_out(void **state)
{
    (void)state;
    for (int threads = 1; threads <= 17; threads++)
        for (int n = 1; n <= SC_SIDE_BY_SIDE_MAX; n++) {
            int sum = 0;
            for (int j = 0; j < n; j++) {
                const int share = sc_side_threads(threads, n, j);
                assert_true(share >= 1);
                if (j > 0) /* the first jobs take the odd ones */
                    assert_true(share <= sc_side_threads(threads, n, j - 1));
                sum += share;
            }
            assert_int_equal(sum, threads >= n ? threads : n);
        }
    assert_int_equal(sc_side_threads(16, 4, 3), 4);
    assert_int_equal(sc_side_threads(3, 2, 0), 2);
    assert_int_equal(sc_side_threads(3, 2, 1), 1);
}

/* Each job runs on its own team of its share, in its own part, and what it
 * made stays allocated afterwards. */
static void test_jobs_run_in_their_parts_on_their_teams(void **state)
{
    (void)state;
    sc_arena a;
    sc_error err;
    sc_net_ctx ctx = fresh_ctx(&a, &err, (size_t)16 << 20);
    const int caller = sc_set_threads(4);
    assert_non_null(sc_arena_alloc(&a, 100)); /* the parts start past the first free block */
    const size_t mark = sc_arena_mark(&a);
    record r = {.take = PART_BYTES / 2, .fail_index = -1};
    const size_t bytes[3] = {PART_BYTES, PART_BYTES, 0};
    assert_int_equal(sc_side_by_side(&ctx, 3, bytes, job, &r), 1);
    assert_int_equal(ctx.status, SC_OK);
    /* 4 threads for 3 jobs: 2, 1, 1; the nested team opened */
    assert_int_equal(r.team[0], 2);
    assert_int_equal(r.team[1], 1);
    assert_int_equal(r.team[2], 1);
    const size_t start = sc_arena_align_up(mark);
    assert_ptr_equal(r.made[0], a.base + start);
    assert_ptr_equal(r.made[1], a.base + start + PART_BYTES);
    assert_ptr_equal(r.made[2], a.base + start + 2 * PART_BYTES);
    assert_int_equal(r.room[0], PART_BYTES);
    assert_int_equal(r.room[2], a.capacity - start - 2 * PART_BYTES); /* the rest */
    for (int j = 0; j < 3; j++)
        for (size_t i = 0; i < r.take / sizeof(float); i++)
            assert_true(r.made[j][i] == (float)j);
    assert_int_equal(sc_arena_mark(&a), a.capacity); /* the parts are allocated */
    assert_true(a.peak >= start + 2 * PART_BYTES + r.take);
    sc_set_threads(caller);
    sc_arena_release(&a);
}

/* A job short of memory in its part: not run so, the arena as it was. */
static void test_a_job_out_of_memory_leaves_the_arena(void **state)
{
    (void)state;
    sc_arena a;
    sc_error err;
    sc_net_ctx ctx = fresh_ctx(&a, &err, (size_t)16 << 20);
    const int caller = sc_set_threads(2);
    const size_t mark = sc_arena_mark(&a);
    record r = {.take = 2 * PART_BYTES, .fail_index = -1}; /* more than the first part */
    const size_t bytes[2] = {PART_BYTES, 0};
    assert_int_equal(sc_side_by_side(&ctx, 2, bytes, job, &r), 0);
    assert_int_equal(ctx.status, SC_OK);
    assert_int_equal(sc_arena_mark(&a), mark);
    /* Parts larger than the arena: not run at all. */
    const size_t too_big[2] = {a.capacity, PART_BYTES};
    r.team[0] = r.team[1] = 0;
    assert_int_equal(sc_side_by_side(&ctx, 2, too_big, job, &r), 0);
    assert_int_equal(r.team[0] + r.team[1], 0);
    assert_int_equal(sc_arena_mark(&a), mark);
    sc_set_threads(caller);
    sc_arena_release(&a);
}

/* Another failure is the caller's, with the failing job's message. */
static void test_a_failed_job_fails_the_caller(void **state)
{
    (void)state;
    sc_arena a;
    sc_error err;
    sc_net_ctx ctx = fresh_ctx(&a, &err, (size_t)16 << 20);
    const int caller = sc_set_threads(2);
    record r = {.take = 64, .fail_index = 1, .fail_with = SC_ERR_INVALID_ARG};
    const size_t bytes[2] = {PART_BYTES, PART_BYTES};
    assert_int_equal(sc_side_by_side(&ctx, 2, bytes, job, &r), 1);
    assert_int_equal(ctx.status, SC_ERR_INVALID_ARG);
    assert_string_equal(err.msg, "job 1 failed");
    /* a failed context runs nothing more */
    record again = {.take = 64, .fail_index = -1};
    assert_int_equal(sc_side_by_side(&ctx, 2, bytes, job, &again), 0);
    assert_int_equal(again.team[0] + again.team[1], 0);
    sc_set_threads(caller);
    sc_arena_release(&a);
}

/* A profile times layers one after another: then nothing runs side by side. */
static void test_not_while_profiling(void **state)
{
    (void)state;
    sc_arena a;
    sc_error err;
    sc_net_ctx ctx = fresh_ctx(&a, &err, (size_t)1 << 20);
    static sc_profile profile;
    ctx.profile = &profile;
    record r = {.take = 64, .fail_index = -1};
    const size_t bytes[2] = {PART_BYTES, PART_BYTES};
    assert_int_equal(sc_side_by_side(&ctx, 2, bytes, job, &r), 0);
    assert_int_equal(r.team[0] + r.team[1], 0);
    sc_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_are_shared_out),
        cmocka_unit_test(test_jobs_run_in_their_parts_on_their_teams),
        cmocka_unit_test(test_a_job_out_of_memory_leaves_the_arena),
        cmocka_unit_test(test_a_failed_job_fails_the_caller),
        cmocka_unit_test(test_not_while_profiling),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
