/* OpenCV's border index rules (borderInterpolate). */
#include "imgproc/imgproc.h"

static int reflect_with(int i, int n, int delta)
{
    if (n == 1)
        return 0;
    while (i < 0 || i >= n) {
        if (i < 0)
            i = -i - 1 + delta;
        else
            i = n - 1 - (i - n) - delta;
    }
    return i;
}

int sc_reflect_index(int i, int n)
{
    return reflect_with(i, n, 0);
}

int sc_reflect101_index(int i, int n)
{
    return reflect_with(i, n, 1);
}
