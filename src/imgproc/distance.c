/*
 * Euclidean distance to the nearest set pixel of a mask, exact, in two
 * separable passes: per column the vertical distance, then per row the lower
 * envelope of the parabolas (x - q)^2 + g(q)^2 (Felzenszwalb & Huttenlocher,
 * "Distance Transforms of Sampled Functions", 2012). Only distances up to
 * `cap` matter to the callers, so the vertical pass stops counting there.
 */
#include "core/parallel.h"
#include "imgproc/imgproc.h"

#include <stdint.h>
#include <stdlib.h>

static double parabola_base(const uint32_t *g, int q)
{
    return (double)g[q] * (double)g[q] + (double)q * (double)q;
}

/* One row: g holds vertical distances (far = cap + 1 or more); writes squared
 * distances, at most far^2. v, z: scratch of w ints and w + 1 doubles (squares
 * of picture coordinates need more than float's 24 bits). */
static void envelope_row(const uint32_t *g, int w, uint32_t far, uint32_t *out, int *v,
                         double *z)
{
    int k = -1;
    for (int q = 0; q < w; q++) {
        if (g[q] >= far)
            continue; /* never below far^2: leave it out of the envelope */
        double fq = parabola_base(g, q);
        while (k >= 0 && (fq - parabola_base(g, v[k])) / (2.0 * (q - v[k])) <= z[k])
            k--;
        k++;
        v[k] = q;
        z[k] = k ? (fq - parabola_base(g, v[k - 1])) / (2.0 * (q - v[k - 1])) : -1e300;
    }
    uint64_t far_sq = (uint64_t)far * far;
    int j = 0;
    for (int x = 0; x < w; x++) {
        if (k < 0) {
            out[x] = (uint32_t)far_sq;
            continue;
        }
        while (j < k && z[j + 1] < (double)x)
            j++;
        /* the breakpoints only choose the parabola; the distance is integer
         * arithmetic, and the neighbours are tried so that a rounding at a
         * breakpoint cannot cost exactness */
        uint64_t best = far_sq;
        for (int t = j > 0 ? j - 1 : 0; t <= j + 1 && t <= k; t++) {
            int64_t dx = x - v[t];
            uint64_t d = (uint64_t)(dx * dx) + (uint64_t)g[v[t]] * g[v[t]];
            best = d < best ? d : best;
        }
        out[x] = (uint32_t)best;
    }
}

int sc_distance_sq_u8(const uint8_t *mask, int w, int h, int cap, uint32_t *dist_sq)
{
    uint32_t far = (uint32_t)cap + 1;
    for (int y = 0; y < h; y++) { /* vertical: top-down, then bottom-up */
        const uint8_t *m = mask + (size_t)y * w;
        uint32_t *d = dist_sq + (size_t)y * w;
        for (int x = 0; x < w; x++) {
            uint32_t above = y ? d[x - w] + 1 : far;
            d[x] = m[x] ? 0 : (above < far ? above : far);
        }
    }
    for (int y = h - 2; y >= 0; y--) {
        uint32_t *d = dist_sq + (size_t)y * w;
        for (int x = 0; x < w; x++)
            if (d[x + w] + 1 < d[x])
                d[x] = d[x + w] + 1;
    }
    int failed = 0;
#pragma omp parallel num_threads(sc_get_threads()) if ((size_t)w * h > SC_PARALLEL_MIN_VALUES)
    {
        uint32_t *g = malloc(sizeof *g * (size_t)w);
        int *v = malloc(sizeof *v * (size_t)w);
        double *z = malloc(sizeof *z * ((size_t)w + 1));
        if (!g || !v || !z) {
#pragma omp atomic write
            failed = 1;
        }
#pragma omp for schedule(static)
        for (int y = 0; y < h; y++) {
            if (!g || !v || !z)
                continue;
            uint32_t *d = dist_sq + (size_t)y * w;
            for (int x = 0; x < w; x++)
                g[x] = d[x];
            envelope_row(g, w, far, d, v, z);
        }
        free(g);
        free(v);
        free(z);
    }
    return failed ? -1 : 0;
}
