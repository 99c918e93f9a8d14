#include <math.h>

#include "ops/ops.h"

void sc_fold_batchnorm(float *weight, float *bias, int cout, int weights_per_out,
                       const float *gamma, const float *beta, const float *mean,
                       const float *var, float eps)
{
    for (int o = 0; o < cout; o++) {
        /* In double: the folded layer should round once, like the unfolded one. */
        double scale = (double)gamma[o] / sqrt((double)var[o] + (double)eps);
        float *w = weight + (size_t)o * (size_t)weights_per_out;
        for (int i = 0; i < weights_per_out; i++)
            w[i] = (float)(w[i] * scale);
        bias[o] = (float)(((double)bias[o] - mean[o]) * scale + beta[o]);
    }
}
