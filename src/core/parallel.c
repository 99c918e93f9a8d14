#include "core/parallel.h"

#include <omp.h>

#include "skychange.h"

/* 0: not set on this thread. Thread-local so that concurrent calls with
 * different counts cannot see each other's. */
static _Thread_local int t_threads;

int sc_set_threads(int n)
{
    const int previous = t_threads;
    t_threads = n > 0 ? n : 0;
    return previous;
}

int sc_get_threads(void)
{
    return t_threads > 0 ? t_threads : omp_get_num_procs();
}

int sc_set_default_threads(int n)
{
    return sc_set_threads(n);
}
