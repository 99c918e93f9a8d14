/*
 * One model shared by threads that call the library at the same time, each
 * with its own thread count: every call must give the bytes of the same call
 * made alone, and must leave the caller's OpenMP and OpenBLAS thread settings
 * as they were. Run under ThreadSanitizer by tests/tsan.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cblas.h>
#include <omp.h>
#include <pthread.h>

#include "ops/gemm.h"
#include "pipeline/default_model.h"
#include "skychange.h"

#define SCENE SC_TEST_DATA "/photos/summer_1am.jpg"
#define SKY SC_TEST_DATA "/skies/sunset_sky.jpg"

/* Each worker's opt.threads: all different, and more than the cores of a
 * small machine, so that the teams really compete. */
static const int WORKER_THREADS[] = {1, 2, 3, 4};
#define WORKERS ((int)(sizeof WORKER_THREADS / sizeof WORKER_THREADS[0]))

/* An OpenMP setting no call of the library asks for, set by each worker on its
 * own thread: it must still be there after the worker's calls. */
#define CALLER_OMP_THREADS 7

typedef struct pair {
    sc_image scene, sky;
    sc_matte sky_matte; /* read by every worker at once */
} pair;

/* What one run gives: the scene's matte and the result. */
typedef struct outcome {
    sc_matte matte;
    sc_image result;
} outcome;

/* The workers live as long as the test group, as an application's thread
 * pool would, and run one round per check: all start it at once, so that
 * their calls overlap. */
typedef struct crew {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int round;    /* raised by the main thread to start a round */
    int finished; /* workers done with the current round */
    int quit;
    const outcome *alone; /* the round's serial run */
} crew;

typedef struct worker {
    pthread_t thread;
    int threads;
    crew *crew;
    /* Reported back to the main thread, which asserts (cmocka asserts only
     * from the thread that runs the test). */
    sc_error err;
    int matte_same, result_same, omp_setting_kept, openblas_setting_kept;
} worker;

static pair inputs;
static crew team = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, NULL};
static worker workers[WORKERS];
static int workers_started;

static void outcome_free(outcome *o)
{
    sc_matte_free(&o->matte);
    sc_image_free(&o->result);
}

static sc_status run_pair(const pair *in, int threads, outcome *out, sc_error *err)
{
    memset(out, 0, sizeof *out);
    sc_options opt = sc_options_default();
    opt.threads = threads;
    sc_status st = sc_matte_compute(default_model, &in->scene, &opt, &out->matte, err);
    if (st == SC_OK)
        st = sc_replace_sky(&in->scene, &out->matte, &in->sky, &in->sky_matte, &opt,
                            &out->result, err);
    return st;
}

static int same_matte(const sc_matte *a, const sc_matte *b)
{
    return a->width == b->width && a->height == b->height &&
           memcmp(a->alpha, b->alpha, (size_t)a->width * (size_t)a->height * sizeof(float)) == 0;
}

static int same_image(const sc_image *a, const sc_image *b)
{
    return a->width == b->width && a->height == b->height &&
           memcmp(a->rgb, b->rgb, (size_t)a->width * (size_t)a->height * 3) == 0;
}

/* One round on a worker: the pair with its thread count, compared with the
 * serial run. */
static void run_round(worker *w, const outcome *alone)
{
    const int openblas_before = openblas_get_num_threads();
    w->err = (sc_error){SC_OK, ""};
    w->matte_same = w->result_same = 0;
    outcome got;
    if (run_pair(&inputs, w->threads, &got, &w->err) == SC_OK) {
        w->matte_same = same_matte(&got.matte, &alone->matte);
        w->result_same = same_image(&got.result, &alone->result);
    }
    outcome_free(&got);
    w->omp_setting_kept = omp_get_max_threads() == CALLER_OMP_THREADS;
    /* The OpenBLAS fallback sets OpenBLAS to one thread once, on purpose. */
    w->openblas_setting_kept = openblas_get_num_threads() == openblas_before ||
                               strcmp(sc_sgemm_kernel_name(), "cblas") == 0;
}

/* Waits for each round (all workers start it at once, so their calls
 * overlap) until told to quit. */
static void *work(void *arg)
{
    worker *w = arg;
    crew *c = w->crew;
    omp_set_num_threads(CALLER_OMP_THREADS);
    int seen = 0;
    for (;;) {
        pthread_mutex_lock(&c->lock);
        while (!c->quit && c->round == seen)
            pthread_cond_wait(&c->changed, &c->lock);
        const int quit = c->quit;
        const outcome *alone = c->alone;
        seen = c->round;
        pthread_mutex_unlock(&c->lock);
        if (quit)
            return NULL;
        run_round(w, alone);
        pthread_mutex_lock(&c->lock);
        c->finished++;
        pthread_cond_broadcast(&c->changed);
        pthread_mutex_unlock(&c->lock);
    }
}

static void stop_workers(void)
{
    pthread_mutex_lock(&team.lock);
    team.quit = 1;
    pthread_cond_broadcast(&team.changed);
    pthread_mutex_unlock(&team.lock);
    for (; workers_started > 0; workers_started--)
        pthread_join(workers[workers_started - 1].thread, NULL);
}

static int start_workers(void)
{
    for (; workers_started < WORKERS; workers_started++) {
        worker *w = &workers[workers_started];
        *w = (worker){.threads = WORKER_THREADS[workers_started], .crew = &team};
        if (pthread_create(&w->thread, NULL, work, w) != 0) {
            stop_workers();
            return -1;
        }
    }
    return 0;
}

/* The serial run, then every worker at once against it. */
static void check_concurrent_calls(void)
{
    outcome alone;
    sc_error err = {0};
    if (run_pair(&inputs, 1, &alone, &err) != SC_OK)
        fail_msg("serial run: %s", err.msg);

    pthread_mutex_lock(&team.lock);
    team.alone = &alone;
    team.finished = 0;
    team.round++;
    pthread_cond_broadcast(&team.changed);
    while (team.finished < workers_started)
        pthread_cond_wait(&team.changed, &team.lock);
    pthread_mutex_unlock(&team.lock);

    for (int i = 0; i < WORKERS; i++) {
        const worker *w = &workers[i];
        if (w->err.status != SC_OK)
            fail_msg("worker with %d threads: %s", w->threads, w->err.msg);
        print_message("worker with %d threads: matte %s, result %s\n", w->threads,
                      w->matte_same ? "same" : "DIFFERENT", w->result_same ? "same" : "DIFFERENT");
        assert_true(w->matte_same);
        assert_true(w->result_same);
        assert_true(w->omp_setting_kept);
        assert_true(w->openblas_setting_kept);
    }
    outcome_free(&alone);
}

static void test_concurrent_calls(void **state)
{
    (void)state;
    check_concurrent_calls();
}

/* The same through OpenBLAS, the GEMM of CPUs without AVX2. */
static void test_concurrent_calls_openblas(void **state)
{
    (void)state;
    const char *best = sc_sgemm_kernel_name();
    assert_int_equal(sc_sgemm_force_kernel("cblas"), 0);
    check_concurrent_calls();
    assert_int_equal(sc_sgemm_force_kernel(best), 0);
}

static int free_inputs(void **state)
{
    stop_workers();
    sc_image_free(&inputs.scene);
    sc_image_free(&inputs.sky);
    sc_matte_free(&inputs.sky_matte);
    return free_default_model(state);
}

static int load_inputs(void **state)
{
    sc_error err = {0};
    if (load_default_model(state) != 0)
        return -1;
    if (sc_image_read(SCENE, &inputs.scene, &err) != SC_OK ||
        sc_image_read(SKY, &inputs.sky, &err) != SC_OK ||
        sc_matte_compute(default_model, &inputs.sky, NULL, &inputs.sky_matte, &err) != SC_OK) {
        fprintf(stderr, "%s\n", err.msg);
        free_inputs(state);
        return -1;
    }
    if (start_workers() != 0) {
        fprintf(stderr, "cannot start the worker threads\n");
        free_inputs(state);
        return -1;
    }
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_calls),
        cmocka_unit_test(test_concurrent_calls_openblas),
    };
    return cmocka_run_group_tests(tests, load_inputs, free_inputs);
}
