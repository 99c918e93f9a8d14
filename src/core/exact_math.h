/*
 * exp, log and pow from additions, multiplications and divisions alone, for
 * reproducible mode. glibc picks its own expf, logf, powf, exp2f, exp, log
 * and pow at run time by CPU (FMA variants on AVX2 CPUs), and the variants
 * may round a result differently; these give the same bits on every CPU.
 * Accurate to a few units in the last place of a double, so the float
 * versions are within one float ulp of the true value.
 */
#ifndef SC_CORE_EXACT_MATH_H
#define SC_CORE_EXACT_MATH_H

double sc_exact_exp(double x);
/* NaN for x < 0 and NaN, -inf for 0. */
double sc_exact_log(double x);
/* x^y for x > 0 (and y anything finite); x == 0 gives 0 for y > 0, +inf for
 * y < 0; NaN for x < 0. */
double sc_exact_pow(double x, double y);

float sc_exact_expf(float x);
float sc_exact_logf(float x);
float sc_exact_powf(float x, float y);
float sc_exact_exp2f(float x);

/* The calling thread's mode picks glibc's function or the one above
 * (core/reproducible.h). */
float sc_mode_expf(float x);
float sc_mode_logf(float x);
float sc_mode_powf(float x, float y);
float sc_mode_exp2f(float x);

#endif
