/*
 * cv::blur with a 5x5 box on float32 (BORDER_REFLECT_101). OpenCV sums in
 * double and scales by 1/25 in double before rounding to float; for values
 * whose sums are exact in double (all of the blender's) the summation order
 * does not matter.
 */
#include "core/parallel.h"
#include "imgproc/imgproc.h"

#include <stdlib.h>

int sc_cv_blur5_f32(const float *src, int w, int h, float *dst)
{
    double *rows = malloc(sizeof *rows * (size_t)w * h);
    int *xt = malloc(sizeof *xt * ((size_t)w + 4));
    if (!rows || !xt) {
        free(rows);
        free(xt);
        return -1;
    }
    for (int x = -2; x < w + 2; x++)
        xt[x + 2] = sc_reflect101_index(x, w);
#pragma omp parallel for schedule(static) num_threads(sc_get_threads()) \
    if ((size_t)w * h > SC_PARALLEL_MIN_VALUES)
    for (int y = 0; y < h; y++) {
        const float *s = src + (size_t)y * w;
        double *r = rows + (size_t)y * w;
        for (int x = 0; x < w; x++)
            r[x] = (double)s[xt[x]] + (double)s[xt[x + 1]] + (double)s[xt[x + 2]] +
                   (double)s[xt[x + 3]] + (double)s[xt[x + 4]];
    }
#pragma omp parallel for schedule(static) num_threads(sc_get_threads()) \
    if ((size_t)w * h > SC_PARALLEL_MIN_VALUES)
    for (int y = 0; y < h; y++) {
        const double *r[5];
        for (int k = 0; k < 5; k++)
            r[k] = rows + (size_t)sc_reflect101_index(y + k - 2, h) * w;
        float *d = dst + (size_t)y * w;
        for (int x = 0; x < w; x++)
            d[x] = (float)((r[0][x] + r[1][x] + r[2][x] + r[3][x] + r[4][x]) * (1.0 / 25));
    }
    free(rows);
    free(xt);
    return 0;
}
