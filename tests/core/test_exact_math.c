/*
 * core/exact_math.h against glibc on sweeps of the inputs the pipeline uses:
 * within one float ulp (glibc's float functions are within one ulp of the
 * true value too), special values, and the mode switch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/exact_math.h"
#include "core/reproducible.h"

/* Floats in order as integers: the distance between two is their ulps apart. */
static int64_t ordered(float x)
{
    int32_t bits;
    memcpy(&bits, &x, sizeof bits);
    return bits < 0 ? (int64_t)INT32_MIN - bits : bits;
}

static long ulps(float a, float b)
{
    const int64_t d = ordered(a) - ordered(b);
    return (long)(d < 0 ? -d : d);
}

static void sweep(const char *name, float (*mine)(float), double (*truth)(double), float lo,
                  float hi, int steps)
{
    long worst = 0;
    for (int i = 0; i <= steps; i++) {
        const float x = lo + (hi - lo) * (float)i / (float)steps;
        const float want = (float)truth((double)x), got = mine(x);
        const long d = ulps(got, want);
        if (d > 1)
            fail_msg("%s(%.9g) = %.9g, true %.9g", name, (double)x, (double)got, (double)want);
        worst = d > worst ? d : worst;
    }
    printf("%s: worst %ld ulp over [%g, %g]\n", name, worst, (double)lo, (double)hi);
}

static double exp2_double(double x) { return exp2(x); }

static void float_functions_are_within_one_ulp(void **state)
{
    (void)state;
    sweep("expf", sc_exact_expf, exp, -87.0f, 88.0f, 400000);
    sweep("expf near 0", sc_exact_expf, exp, -1.0f, 1.0f, 200000);
    sweep("logf", sc_exact_logf, log, 1e-6f, 1e6f, 400000);
    sweep("logf near 1", sc_exact_logf, log, 0.5f, 2.0f, 200000);
    sweep("exp2f", sc_exact_exp2f, exp2_double, -1.0f, 1.0f, 200000);
    long worst = 0;
    for (int i = 0; i <= 100000; i++) {
        const float x = (float)i / 100000.0f;
        const float ys[] = {2.4f, 1.f / 2.4f, -0.1332047592f, -0.0755148492f};
        for (int j = 0; j < 4; j++) {
            const float want = (float)pow((double)x, (double)ys[j]);
            const float got = sc_exact_powf(x, ys[j]);
            const long d = ulps(got, want);
            if (d > 1)
                fail_msg("powf(%.9g, %.9g) = %.9g, true %.9g", (double)x, (double)ys[j],
                         (double)got, (double)want);
            worst = d > worst ? d : worst;
        }
    }
    printf("powf: worst %ld ulp over [0, 1] and the pipeline's exponents\n", worst);
}

static void special_values(void **state)
{
    (void)state;
    assert_true(sc_exact_expf(0.0f) == 1.0f);
    assert_true(sc_exact_expf(-200.0f) == 0.0f);
    assert_true(isinf(sc_exact_expf(200.0f)));
    assert_true(isnan(sc_exact_expf(NAN)));
    assert_true(sc_exact_logf(1.0f) == 0.0f);
    assert_true(isinf(sc_exact_logf(0.0f)) && sc_exact_logf(0.0f) < 0.0f);
    assert_true(isnan(sc_exact_logf(-1.0f)));
    assert_true(sc_exact_powf(0.0f, 2.4f) == 0.0f);
    assert_true(sc_exact_powf(5.0f, 0.0f) == 1.0f);
    assert_true(sc_exact_exp2f(0.0f) == 1.0f);
    assert_true(sc_exact_exp2f(1.0f) == 2.0f);
}

static void the_mode_picks_the_function(void **state)
{
    (void)state;
    /* An input where the two may differ is not needed: the reproducible
     * result must be exactly ours. */
    const float x = 0.37f;
    const int before = sc_set_reproducible(1);
    assert_true(sc_mode_expf(x) == sc_exact_expf(x));
    assert_true(sc_mode_powf(x, 2.4f) == sc_exact_powf(x, 2.4f));
    assert_true(sc_mode_logf(x) == sc_exact_logf(x));
    assert_true(sc_mode_exp2f(x) == sc_exact_exp2f(x));
    sc_set_reproducible(0);
    assert_true(sc_mode_expf(x) == expf(x));
    assert_true(sc_mode_powf(x, 2.4f) == powf(x, 2.4f));
    sc_set_reproducible(before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(float_functions_are_within_one_ulp),
        cmocka_unit_test(special_values),
        cmocka_unit_test(the_mode_picks_the_function),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
