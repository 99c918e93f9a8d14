/* Regions of a mask: largest all-set rectangle. */
#include "imgproc/imgproc.h"

#include <stdlib.h>

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
