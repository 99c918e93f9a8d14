/* MORPH_CLOSE (cv::dilate, then cv::erode) with a k x k rectangle on float32. */
#include "imgproc/imgproc.h"

#include "core/page_hints.h"

#include <stdlib.h>
#include <string.h>

/* Window of output i: i - k/2 .. i + k-1-k/2, cut to the image (outside ignored). */
static void window(int i, int n, int k, int *lo, int *hi)
{
    *lo = i - k / 2;
    *hi = i + k - 1 - k / 2;
    if (*lo < 0)
        *lo = 0;
    if (*hi > n - 1)
        *hi = n - 1;
}

static int morph(const float *src, int w, int h, int k, int take_max, float *dst)
{
    float *tmp = SC_MALLOC_LARGE(sizeof *tmp * (size_t)w * h);
    if (!tmp)
        return -1;
    for (int y = 0; y < h; y++) {
        const float *s = src + (size_t)y * w;
        float *t = tmp + (size_t)y * w;
        for (int x = 0; x < w; x++) {
            int lo, hi;
            window(x, w, k, &lo, &hi);
            float v = s[lo];
            for (int j = lo + 1; j <= hi; j++)
                v = take_max ? (s[j] > v ? s[j] : v) : (s[j] < v ? s[j] : v);
            t[x] = v;
        }
    }
    for (int y = 0; y < h; y++) {
        int lo, hi;
        window(y, h, k, &lo, &hi);
        float *d = dst + (size_t)y * w;
        memcpy(d, tmp + (size_t)lo * w, sizeof *d * (size_t)w);
        for (int j = lo + 1; j <= hi; j++) {
            const float *t = tmp + (size_t)j * w;
            for (int x = 0; x < w; x++)
                d[x] = take_max ? (t[x] > d[x] ? t[x] : d[x]) : (t[x] < d[x] ? t[x] : d[x]);
        }
    }
    free(tmp);
    return 0;
}

int sc_cv_close_f32(const float *src, int w, int h, int k, float *dst)
{
    float *tmp = SC_MALLOC_LARGE(sizeof *tmp * (size_t)w * h);
    if (!tmp)
        return -1;
    int rc = morph(src, w, h, k, 1, tmp);
    if (!rc)
        rc = morph(tmp, w, h, k, 0, dst);
    free(tmp);
    return rc;
}
