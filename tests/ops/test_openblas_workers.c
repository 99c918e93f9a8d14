/* sc_stop_openblas_threads leaves the process with its main thread alone, and
 * OpenBLAS still multiplies on the calling thread. On a machine with one core
 * OpenBLAS starts no workers, and the first test holds whatever the call does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/gemm.h"
#include "skychange.h"

/* ThreadSanitizer runs a thread of its own beside the program's. */
#if defined(__SANITIZE_THREAD__)
#define OWN_THREAD 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define OWN_THREAD 1
#endif
#endif
#ifndef OWN_THREAD
#define OWN_THREAD 0
#endif

/* The process's thread count, from /proc; -1 where it cannot be read. */
static int threads_now(void)
{
    if (OWN_THREAD)
        return -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    int threads = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "Threads: %d", &threads) == 1)
            break;
    fclose(f);
    return threads;
}

static void only_the_main_thread_after_the_call(void **state)
{
    (void)state;
    assert_int_equal(sc_stop_openblas_threads(), 0);
    const int threads = threads_now();
    if (threads < 0)
        skip(); /* no /proc, or a sanitizer's thread */
    assert_int_equal(threads, 1);
}

/* Large enough that OpenBLAS would split it among workers if it still had
 * them; checked against sums in double. */
static void openblas_multiplies_on_the_calling_thread(void **state)
{
    (void)state;
    enum { M = 256, N = 256, K = 256 };
    float *a = malloc(sizeof(float) * M * K), *b = malloc(sizeof(float) * K * N);
    float *c = malloc(sizeof(float) * M * N);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    for (int i = 0; i < M * K; i++)
        a[i] = (float)((i * 7 % 13) - 6) / 8.0f;
    for (int i = 0; i < K * N; i++)
        b[i] = (float)((i * 5 % 11) - 5) / 4.0f;
    assert_int_equal(sc_sgemm_force_kernel("cblas"), 0);
    sc_sgemm(M, N, K, a, K, b, N, c, N);
    assert_int_equal(sc_sgemm_force_kernel("auto"), 0);
    for (int i = 0; i < M; i += 17)
        for (int j = 0; j < N; j += 13) {
            double want = 0.0;
            for (int k = 0; k < K; k++)
                want += (double)a[i * K + k] * (double)b[k * N + j];
            assert_true(fabs(c[i * N + j] - want) <= 1e-4 * (1.0 + fabs(want)));
        }
    free(a);
    free(b);
    free(c);
    const int threads = threads_now();
    if (threads >= 0)
        assert_int_equal(threads, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(only_the_main_thread_after_the_call),
        cmocka_unit_test(openblas_multiplies_on_the_calling_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
