#include "core/parallel.h"

#include <cblas.h>
#include <omp.h>

static int g_threads = 0;

void sc_set_threads(int n)
{
    if (n <= 0)
        n = omp_get_num_procs();
    g_threads = n;
    omp_set_num_threads(n);
    openblas_set_num_threads(1);
}

int sc_get_threads(void)
{
    if (g_threads <= 0)
        sc_set_threads(0);
    return g_threads;
}
