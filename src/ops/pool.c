#include <string.h>

#include "core/parallel.h"
#include "ops/ops.h"
#include "ops/unpool_row.h"

void sc_maxpool2x2_indices(const sc_tensor *in, sc_tensor *out, uint8_t *where)
{
    sc_maxpool2x2_indices_rows(in, 0, 0, out->h, out, where);
}

static inline void take_if_greater(float v, uint8_t at, float *best, uint8_t *best_at)
{
    const int greater = v > *best;
    *best = greater ? v : *best;
    *best_at = greater ? at : *best_at;
}

void sc_maxpool2x2_indices_rows(const sc_tensor *band, int band_row0, int out_row0,
                                int out_rows, sc_tensor *out, uint8_t *where)
{
    const long rows = (long)out->c * out_rows;
    const long total = rows * out->w;
    const int w = band->w;
    /* Band row of map row yy. */
    const int shift = band_row0 - 2 * out_row0;
#pragma omp parallel for num_threads(sc_get_threads()) if (total >= SC_PARALLEL_MIN_VALUES) schedule(static)
    for (long r = 0; r < rows; r++) {
        const int c = (int)(r / out_rows), y = out_row0 + (int)(r % out_rows);
        float *dst = sc_tensor_at(out, c, y, 0);
        uint8_t *at = where + ((size_t)c * (size_t)out->h + (size_t)y) * (size_t)out->w;
        const float *top = sc_tensor_at(band, c, 2 * y + shift, 0), *bottom = top + w;
        /* The window's values in row-major order, each taken only when
         * strictly greater (so NaN never is): selects, not branches, which
         * the data would mispredict half the time. */
        for (int x = 0; x < out->w; x++) {
            const int x0 = 2 * x;
            float best = top[x0];
            uint8_t best_at = 0;
            take_if_greater(top[x0 + 1], 1, &best, &best_at);
            take_if_greater(bottom[x0], 2, &best, &best_at);
            take_if_greater(bottom[x0 + 1], 3, &best, &best_at);
            dst[x] = best;
            at[x] = best_at;
        }
    }
}

void sc_maxunpool2x2(const sc_tensor *in, const uint8_t *where, sc_tensor *out)
{
    const long rows = (long)out->c * out->h;
    const long total = (long)sc_tensor_size(out);
#pragma omp parallel for num_threads(sc_get_threads()) if (total >= SC_PARALLEL_MIN_VALUES) schedule(static)
    for (long r = 0; r < rows; r++) {
        const int c = (int)(r / out->h), y = (int)(r % out->h);
        sc_unpool_row(in, where, c, y, out->w, sc_tensor_at(out, c, y, 0));
    }
}

void sc_maxpool(const sc_tensor *in, int k, sc_tensor *out)
{
    const long rows = (long)out->c * out->h;
    const long total = rows * out->w * k * k;
#pragma omp parallel for num_threads(sc_get_threads()) if (total >= SC_PARALLEL_MIN_VALUES) schedule(static)
    for (long r = 0; r < rows; r++) {
        const int c = (int)(r / out->h), y = (int)(r % out->h);
        float *dst = sc_tensor_at(out, c, y, 0);
        for (int x = 0; x < out->w; x++) {
            float best = *sc_tensor_at(in, c, y * k, x * k);
            for (int dy = 0; dy < k; dy++) {
                const float *row = sc_tensor_at(in, c, y * k + dy, x * k);
                for (int dx = 0; dx < k; dx++)
                    best = row[dx] > best ? row[dx] : best;
            }
            dst[x] = best;
        }
    }
}
