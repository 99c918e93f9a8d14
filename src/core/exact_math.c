#include "core/exact_math.h"

#include <math.h>

#include "core/reproducible.h"

/* ln 2 split so that k * LN2_HI is exact for |k| < 2^11. */
#define LN2_HI 6.93147180369123816490e-01
#define LN2_LO 1.90821492927058770002e-10
#define INV_LN2 1.44269504088896338700e+00
#define SQRT_HALF 0.70710678118654752440

double sc_exact_exp(double x)
{
    if (x != x)
        return x;
    if (x > 709.78)
        return HUGE_VAL;
    if (x < -745.2)
        return 0.0;
    /* x = k ln2 + r, |r| <= ln2 / 2, then e^r by its Taylor series (the
     * first omitted term is below 2^-60 of the sum). */
    const double kd = floor(x * INV_LN2 + 0.5);
    const int k = (int)kd;
    const double r = (x - kd * LN2_HI) - kd * LN2_LO;
    double term = 1.0, sum = 1.0;
    for (int i = 1; i <= 14; i++) {
        term = term * r / i;
        sum = sum + term;
    }
    return ldexp(sum, k);
}

double sc_exact_log(double x)
{
    if (x != x || x < 0.0)
        return NAN;
    if (x == 0.0)
        return -HUGE_VAL;
    if (isinf(x))
        return x;
    /* x = m 2^e with m in [sqrt(1/2), sqrt(2)); log m = 2 atanh(s) with
     * s = (m - 1) / (m + 1), |s| < 0.172, summed until the terms vanish. */
    int e;
    double m = frexp(x, &e);
    if (m < SQRT_HALF) {
        m = m * 2.0;
        e = e - 1;
    }
    const double s = (m - 1.0) / (m + 1.0), s2 = s * s;
    double power = s, sum = 0.0;
    for (int i = 0; i < 14; i++) {
        sum = sum + power / (2 * i + 1);
        power = power * s2;
    }
    return (2.0 * sum + e * LN2_LO) + e * LN2_HI;
}

double sc_exact_pow(double x, double y)
{
    if (x == 0.0)
        return y > 0.0 ? 0.0 : (y < 0.0 ? HUGE_VAL : 1.0);
    if (y == 0.0)
        return 1.0;
    return sc_exact_exp(y * sc_exact_log(x));
}

float sc_exact_expf(float x) { return (float)sc_exact_exp(x); }
float sc_exact_logf(float x) { return (float)sc_exact_log(x); }
float sc_exact_powf(float x, float y) { return (float)sc_exact_pow(x, y); }
float sc_exact_exp2f(float x) { return (float)sc_exact_exp((double)x * (LN2_HI + LN2_LO)); }

float sc_mode_expf(float x) { return sc_reproducible() ? sc_exact_expf(x) : expf(x); }
float sc_mode_logf(float x) { return sc_reproducible() ? sc_exact_logf(x) : logf(x); }
float sc_mode_powf(float x, float y) { return sc_reproducible() ? sc_exact_powf(x, y) : powf(x, y); }
float sc_mode_exp2f(float x) { return sc_reproducible() ? sc_exact_exp2f(x) : exp2f(x); }
