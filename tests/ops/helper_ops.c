#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "ops/helper_ops.h"

static uint32_t next_random(uint32_t *state)
{
    /* xorshift32: fixed sequence on every platform. */
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

void fill_uniform(float *x, size_t n, unsigned seed, float lo, float hi)
{
    uint32_t state = seed * 2654435761u + 1u;
    for (size_t i = 0; i < n; i++)
        x[i] = lo + (hi - lo) * (float)(next_random(&state) >> 8) * (1.0f / 16777216.0f);
}

void fill_levels(float *x, size_t n, unsigned seed, int levels)
{
    uint32_t state = seed * 2654435761u + 1u;
    for (size_t i = 0; i < n; i++)
        x[i] = (float)(next_random(&state) % (uint32_t)levels);
}

sc_tensor random_tensor(int c, int h, int w, unsigned seed)
{
    sc_tensor t = sc_tensor_alloc(c, h, w);
    assert_non_null(t.data);
    fill_uniform(t.data, sc_tensor_size(&t), seed, -1.0f, 1.0f);
    return t;
}

sc_tensor zero_tensor(int c, int h, int w)
{
    sc_tensor t = sc_tensor_alloc(c, h, w);
    assert_non_null(t.data);
    return t;
}

double max_rel_error(const float *got, const float *want, size_t n)
{
    double max_diff = 0.0, max_abs = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs((double)got[i] - (double)want[i]);
        if (d > max_diff || isnan(d))
            max_diff = isnan(d) ? INFINITY : d;
        if (fabs((double)want[i]) > max_abs)
            max_abs = fabs((double)want[i]);
    }
    return max_abs > 0.0 ? max_diff / max_abs : max_diff;
}
