#include <math.h>

#include "core/exact_math.h"
#include "core/parallel.h"
#include "core/reproducible.h"
#include "ops/ops.h"

void sc_relu6(sc_tensor *t)
{
    const long n = (long)sc_tensor_size(t);
    float *x = t->data;
#pragma omp parallel for num_threads(sc_get_threads()) if (n >= SC_PARALLEL_MIN_VALUES) schedule(static)
    for (long i = 0; i < n; i++)
        x[i] = sc_relu6_value(x[i]);
}

void sc_sigmoid(sc_tensor *t)
{
    const long n = (long)sc_tensor_size(t);
    float *x = t->data;
    /* Read here: the workers do not see the caller's mode. */
    float (*const exp_fn)(float) = sc_reproducible() ? sc_exact_expf : expf;
#pragma omp parallel for num_threads(sc_get_threads()) if (n >= SC_PARALLEL_MIN_VALUES) schedule(static)
    for (long i = 0; i < n; i++)
        x[i] = 1.0f / (1.0f + exp_fn(-x[i]));
}

void sc_levels(sc_tensor *t, float black, float white)
{
    const long n = (long)sc_tensor_size(t);
    const float span = white - black;
    float *x = t->data;
#pragma omp parallel for num_threads(sc_get_threads()) if (n >= SC_PARALLEL_MIN_VALUES) schedule(static)
    for (long i = 0; i < n; i++) {
        float v = (x[i] - black) / span;
        x[i] = v < 0.0f ? 0.0f : v > 1.0f ? 1.0f : v;
    }
}

void sc_add(const sc_tensor *a, const sc_tensor *b, sc_tensor *out, int relu)
{
    const long n = (long)sc_tensor_size(out);
    const float *x = a->data, *y = b->data;
    float *z = out->data;
#pragma omp parallel for num_threads(sc_get_threads()) if (n >= SC_PARALLEL_MIN_VALUES) schedule(static)
    for (long i = 0; i < n; i++) {
        float s = x[i] + y[i];
        z[i] = relu && s < 0.0f ? 0.0f : s;
    }
}

void sc_flip_horizontal(sc_tensor *t)
{
    const long rows = (long)t->c * t->h;
    const long total = (long)sc_tensor_size(t);
#pragma omp parallel for num_threads(sc_get_threads()) if (total >= SC_PARALLEL_MIN_VALUES) schedule(static)
    for (long r = 0; r < rows; r++) {
        float *row = t->data + (size_t)r * (size_t)t->w;
        for (int lo = 0, hi = t->w - 1; lo < hi; lo++, hi--) {
            const float keep = row[lo];
            row[lo] = row[hi];
            row[hi] = keep;
        }
    }
}
