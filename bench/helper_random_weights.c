#include "helper_random_weights.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

static double next_uniform(random_weights *r)
{
    /* xorshift64*: fast, deterministic, good enough for benchmark weights. */
    r->state ^= r->state >> 12;
    r->state ^= r->state << 25;
    r->state ^= r->state >> 27;
    uint64_t v = r->state * 0x2545F4914F6CDD1DULL;
    return (double)(v >> 11) * (1.0 / 9007199254740992.0);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

sc_status random_weights_read(void *ctx, const char *name, const int64_t *shape, int ndim,
                              float *dst, sc_error *err)
{
    (void)err;
    if (!dst)
        return SC_OK; /* a shape check: any shape can be generated */
    random_weights *r = ctx;
    size_t n = 1;
    for (int i = 0; i < ndim; i++)
        n *= (size_t)shape[i];
    double lo = -0.1, hi = 0.1;
    if (ndim == 4) {
        double fan_in = (double)shape[1] * (double)shape[2] * (double)shape[3];
        hi = sqrt(6.0 / fan_in);
        lo = -hi;
    } else if (ends_with(name, ".running_var")) {
        lo = 0.5;
        hi = 2.0;
    } else if (ends_with(name, ".weight")) {
        lo = 0.5;
        hi = 1.5;
    }
    for (size_t i = 0; i < n; i++)
        dst[i] = (float)(lo + (hi - lo) * next_uniform(r));
    return SC_OK;
}
