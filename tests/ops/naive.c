#include "ops/naive.h"

#include <math.h>

int sc_naive_conv2d(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int relu)
{
    if (cv->groups <= 0 || cv->cin % cv->groups || cv->cout % cv->groups || in->c != cv->cin ||
        out->c != cv->cout ||
        out->h != sc_conv_out_size(in->h, cv->kh, cv->stride, cv->pad, cv->dilation) ||
        out->w != sc_conv_out_size(in->w, cv->kw, cv->stride, cv->pad, cv->dilation) ||
        out->h <= 0 || out->w <= 0)
        return -1;
    const int cin_g = cv->cin / cv->groups, cout_g = cv->cout / cv->groups;
    for (int o = 0; o < cv->cout; o++) {
        const int group = o / cout_g;
        for (int y = 0; y < out->h; y++) {
            for (int x = 0; x < out->w; x++) {
                double sum = cv->bias ? cv->bias[o] : 0.0;
                for (int ci = 0; ci < cin_g; ci++) {
                    for (int ky = 0; ky < cv->kh; ky++) {
                        for (int kx = 0; kx < cv->kw; kx++) {
                            int iy = y * cv->stride - cv->pad + ky * cv->dilation;
                            int ix = x * cv->stride - cv->pad + kx * cv->dilation;
                            if (iy < 0 || iy >= in->h || ix < 0 || ix >= in->w)
                                continue;
                            double w = cv->weight[(((size_t)o * cin_g + ci) * cv->kh + ky) *
                                                      cv->kw + kx];
                            sum += w * *sc_tensor_at(in, group * cin_g + ci, iy, ix);
                        }
                    }
                }
                if (relu && sum < 0.0)
                    sum = 0.0;
                *sc_tensor_at(out, o, y, x) = (float)sum;
            }
        }
    }
    return 0;
}

void sc_naive_batchnorm(const sc_tensor *in, sc_tensor *out, const float *gamma,
                        const float *beta, const float *mean, const float *var, float eps,
                        int relu)
{
    for (int c = 0; c < in->c; c++) {
        for (int y = 0; y < in->h; y++) {
            for (int x = 0; x < in->w; x++) {
                double v = (*sc_tensor_at(in, c, y, x) - (double)mean[c]) /
                               sqrt((double)var[c] + (double)eps) * gamma[c] +
                           beta[c];
                if (relu && v < 0.0)
                    v = 0.0;
                *sc_tensor_at(out, c, y, x) = (float)v;
            }
        }
    }
}

int sc_naive_depthwise3x3(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int relu6)
{
    if (!sc_depthwise3x3_valid(cv, in, out) || sc_naive_conv2d(cv, in, out, relu6) != 0)
        return -1;
    if (relu6)
        sc_naive_relu6(out);
    return 0;
}

void sc_naive_relu6(sc_tensor *t)
{
    for (size_t i = 0; i < sc_tensor_size(t); i++)
        t->data[i] = sc_relu6_value(t->data[i]);
}

void sc_naive_sigmoid(sc_tensor *t)
{
    for (size_t i = 0; i < sc_tensor_size(t); i++)
        t->data[i] = (float)(1.0 / (1.0 + exp(-(double)t->data[i])));
}

void sc_naive_add(const sc_tensor *a, const sc_tensor *b, sc_tensor *out, int relu)
{
    for (size_t i = 0; i < sc_tensor_size(out); i++) {
        double s = (double)a->data[i] + (double)b->data[i];
        out->data[i] = (float)(relu && s < 0.0 ? 0.0 : s);
    }
}

void sc_naive_flip_horizontal(sc_tensor *t)
{
    for (int c = 0; c < t->c; c++)
        for (int y = 0; y < t->h; y++)
            for (int x = 0; x < t->w / 2; x++) {
                float *a = sc_tensor_at(t, c, y, x), *b = sc_tensor_at(t, c, y, t->w - 1 - x);
                const float keep = *a;
                *a = *b;
                *b = keep;
            }
}

/* The sample position is float arithmetic in PyTorch, and part of the op's
 * definition (spec 4.2): a position rounded differently moves the sample by up
 * to 1e-5 pixel on large sizes. Only the weighting is done in double. */
static double sample_position(int in, int out, int d, int *i0, int *i1)
{
    float scale = out > 1 ? (float)(in - 1) / (float)(out - 1) : 0.0f;
    float src = scale * (float)d;
    *i0 = (int)src;
    *i1 = *i0 < in - 1 ? *i0 + 1 : *i0;
    return (double)src - *i0;
}

void sc_naive_resize_bilinear_ac(const sc_tensor *in, sc_tensor *out)
{
    for (int c = 0; c < out->c; c++) {
        for (int y = 0; y < out->h; y++) {
            int y0, y1;
            double ly = sample_position(in->h, out->h, y, &y0, &y1);
            for (int x = 0; x < out->w; x++) {
                int x0, x1;
                double lx = sample_position(in->w, out->w, x, &x0, &x1);
                double top = (1 - lx) * *sc_tensor_at(in, c, y0, x0) +
                             lx * *sc_tensor_at(in, c, y0, x1);
                double bot = (1 - lx) * *sc_tensor_at(in, c, y1, x0) +
                             lx * *sc_tensor_at(in, c, y1, x1);
                *sc_tensor_at(out, c, y, x) = (float)((1 - ly) * top + ly * bot);
            }
        }
    }
}

void sc_naive_maxpool2x2_indices(const sc_tensor *in, sc_tensor *out, uint8_t *where)
{
    for (int c = 0; c < out->c; c++) {
        for (int y = 0; y < out->h; y++) {
            for (int x = 0; x < out->w; x++) {
                int best = 0;
                for (int k = 1; k < 4; k++)
                    if (*sc_tensor_at(in, c, 2 * y + k / 2, 2 * x + k % 2) >
                        *sc_tensor_at(in, c, 2 * y + best / 2, 2 * x + best % 2))
                        best = k;
                *sc_tensor_at(out, c, y, x) = *sc_tensor_at(in, c, 2 * y + best / 2, 2 * x + best % 2);
                where[((size_t)c * out->h + y) * out->w + x] = (uint8_t)best;
            }
        }
    }
}

void sc_naive_maxunpool2x2(const sc_tensor *in, const uint8_t *where, sc_tensor *out)
{
    for (size_t i = 0; i < sc_tensor_size(out); i++)
        out->data[i] = 0.0f;
    for (int c = 0; c < in->c; c++) {
        for (int y = 0; y < in->h; y++) {
            for (int x = 0; x < in->w; x++) {
                const int at = where[((size_t)c * in->h + y) * in->w + x];
                if (at < 4)
                    *sc_tensor_at(out, c, 2 * y + at / 2, 2 * x + at % 2) =
                        *sc_tensor_at(in, c, y, x);
            }
        }
    }
}

void sc_naive_maxpool(const sc_tensor *in, int k, sc_tensor *out)
{
    for (int c = 0; c < out->c; c++) {
        for (int y = 0; y < out->h; y++) {
            for (int x = 0; x < out->w; x++) {
                float best = -INFINITY;
                for (int dy = 0; dy < k; dy++)
                    for (int dx = 0; dx < k; dx++)
                        best = fmaxf(best, *sc_tensor_at(in, c, y * k + dy, x * k + dx));
                *sc_tensor_at(out, c, y, x) = best;
            }
        }
    }
}

void sc_naive_global_avg_pool(const sc_tensor *in, float *out)
{
    for (int c = 0; c < in->c; c++) {
        double sum = 0.0;
        for (int y = 0; y < in->h; y++)
            for (int x = 0; x < in->w; x++)
                sum += *sc_tensor_at(in, c, y, x);
        out[c] = (float)(sum / ((double)in->h * in->w));
    }
}

void sc_naive_softmax_rows(float *x, int rows, int cols)
{
    for (int r = 0; r < rows; r++) {
        float *row = x + (size_t)r * cols;
        double max = row[0], sum = 0.0;
        for (int i = 1; i < cols; i++)
            if (row[i] > max)
                max = row[i];
        for (int i = 0; i < cols; i++)
            sum += exp(row[i] - max);
        for (int i = 0; i < cols; i++)
            row[i] = (float)(exp(row[i] - max) / sum);
    }
}

void sc_naive_matmul(const float *a, int trans_a, const float *b, int trans_b, float *c,
                     int m, int n, int k)
{
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
            double sum = 0.0;
            for (int p = 0; p < k; p++) {
                double av = trans_a ? a[(size_t)p * m + i] : a[(size_t)i * k + p];
                double bv = trans_b ? b[(size_t)j * k + p] : b[(size_t)p * n + j];
                sum += av * bv;
            }
            c[(size_t)i * n + j] = (float)sum;
        }
    }
}

void sc_naive_softmax_channels(sc_tensor *t)
{
    for (int y = 0; y < t->h; y++) {
        for (int x = 0; x < t->w; x++) {
            double max = *sc_tensor_at(t, 0, y, x), sum = 0.0;
            for (int c = 1; c < t->c; c++)
                if (*sc_tensor_at(t, c, y, x) > max)
                    max = *sc_tensor_at(t, c, y, x);
            for (int c = 0; c < t->c; c++)
                sum += exp(*sc_tensor_at(t, c, y, x) - max);
            for (int c = 0; c < t->c; c++)
                *sc_tensor_at(t, c, y, x) = (float)(exp(*sc_tensor_at(t, c, y, x) - max) / sum);
        }
    }
}

void sc_naive_argmax_channels(const sc_tensor *in, float *out)
{
    for (int y = 0; y < in->h; y++) {
        for (int x = 0; x < in->w; x++) {
            int best = 0;
            for (int c = 1; c < in->c; c++)
                if (*sc_tensor_at(in, c, y, x) > *sc_tensor_at(in, 0 + best, y, x))
                    best = c;
            out[(size_t)y * in->w + x] = (float)best;
        }
    }
}
