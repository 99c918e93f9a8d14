#include <math.h>

#include "core/exact_math.h"
#include "core/parallel.h"
#include "core/reproducible.h"
#include "ops/ops.h"

void sc_global_avg_pool(const sc_tensor *in, float *out)
{
    const size_t plane = (size_t)in->h * (size_t)in->w;
    const long total = (long)sc_tensor_size(in);
#pragma omp parallel for num_threads(sc_get_threads()) if (total >= SC_PARALLEL_MIN_VALUES) schedule(static)
    for (int c = 0; c < in->c; c++) {
        const float *x = in->data + (size_t)c * plane;
        double sum = 0.0;
        for (size_t i = 0; i < plane; i++)
            sum += x[i];
        out[c] = (float)(sum / (double)plane);
    }
}

void sc_softmax_rows(float *x, int rows, int cols)
{
    if (rows <= 0 || cols <= 0)
        return;
    const long total = (long)rows * cols;
    /* Read here: the workers do not see the caller's mode. */
    float (*const exp_fn)(float) = sc_reproducible() ? sc_exact_expf : expf;
#pragma omp parallel for num_threads(sc_get_threads()) if (total >= SC_PARALLEL_MIN_VALUES) schedule(static)
    for (int r = 0; r < rows; r++) {
        float *row = x + (size_t)r * (size_t)cols;
        float max = row[0];
        for (int i = 1; i < cols; i++)
            max = row[i] > max ? row[i] : max;
        /* The sum runs over up to a full feature map: accumulate in double. */
        double sum = 0.0;
        for (int i = 0; i < cols; i++) {
            row[i] = exp_fn(row[i] - max);
            sum += row[i];
        }
        const double inv = 1.0 / sum;
        for (int i = 0; i < cols; i++)
            row[i] = (float)(row[i] * inv);
    }
}

void sc_softmax_channels(sc_tensor *t)
{
    const size_t plane = (size_t)t->h * (size_t)t->w;
    const long total = (long)sc_tensor_size(t);
    /* Read here: the workers do not see the caller's mode. */
    float (*const exp_fn)(float) = sc_reproducible() ? sc_exact_expf : expf;
#pragma omp parallel for num_threads(sc_get_threads()) if (total >= SC_PARALLEL_MIN_VALUES) schedule(static)
    for (long i = 0; i < (long)plane; i++) {
        float *px = t->data + i; /* channel c of this pixel: px[c * plane] */
        float max = px[0];
        for (int c = 1; c < t->c; c++)
            max = px[c * plane] > max ? px[c * plane] : max;
        float sum = 0.0f;
        for (int c = 0; c < t->c; c++) {
            px[c * plane] = exp_fn(px[c * plane] - max);
            sum += px[c * plane];
        }
        for (int c = 0; c < t->c; c++)
            px[c * plane] /= sum;
    }
}

void sc_argmax_channels(const sc_tensor *in, float *out)
{
    const long plane = (long)in->h * in->w;
    const long total = (long)sc_tensor_size(in);
#pragma omp parallel for num_threads(sc_get_threads()) if (total >= SC_PARALLEL_MIN_VALUES) schedule(static)
    for (long i = 0; i < plane; i++) {
        float best = in->data[i];
        int best_c = 0;
        for (int c = 1; c < in->c; c++) {
            const float v = in->data[(size_t)c * (size_t)plane + (size_t)i];
            if (v > best) {
                best = v;
                best_c = c;
            }
        }
        out[i] = (float)best_c;
    }
}
