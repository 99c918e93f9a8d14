/* Regions of a mask: bounding box of the set part, largest all-set rectangle. */
#include "imgproc/imgproc.h"

#include <stdlib.h>

int sc_bounding_rect_f32(const float *m, int w, int h, float thr, sc_rect *out)
{
    int x0 = w, y0 = h, x1 = -1, y1 = -1;
    for (int y = 0; y < h; y++) {
        const float *r = m + (size_t)y * w;
        for (int x = 0; x < w; x++)
            if (r[x] > thr) {
                if (x < x0)
                    x0 = x;
                if (x > x1)
                    x1 = x;
                if (y < y0)
                    y0 = y;
                y1 = y;
            }
    }
    if (x1 < 0)
        return 0;
    out->x = x0;
    out->y = y0;
    out->w = x1 - x0 + 1;
    out->h = y1 - y0 + 1;
    return 1;
}

long sc_largest_valid_rect(const float *m, int w, int h, float thr, sc_rect *out)
{
    /* heights has a sentinel column that stays 0 and flushes the stack. */
    int *heights = calloc((size_t)w + 1, sizeof *heights);
    int *stack = malloc(sizeof *stack * ((size_t)w + 1));
    if (!heights || !stack) {
        free(heights);
        free(stack);
        return -1;
    }
    long best = 0;
    out->x = out->y = out->w = out->h = 0;
    for (int i = 0; i < h; i++) {
        const float *r = m + (size_t)i * w;
        for (int j = 0; j < w; j++)
            heights[j] = r[j] > thr ? heights[j] + 1 : 0;
        int top = 0;
        for (int j = 0; j <= w; j++) {
            while (top > 0 && heights[stack[top - 1]] >= heights[j]) {
                int hh = heights[stack[--top]];
                int ww = top == 0 ? j : j - stack[top - 1] - 1;
                if ((long)hh * ww > best) {
                    best = (long)hh * ww;
                    out->x = j - ww;
                    out->y = i - hh + 1;
                    out->w = ww;
                    out->h = hh;
                }
            }
            stack[top++] = j;
        }
    }
    free(heights);
    free(stack);
    return best;
}
