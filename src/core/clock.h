#ifndef SC_CORE_CLOCK_H
#define SC_CORE_CLOCK_H

#include <time.h>

#include "skychange.h"

/* Monotonic seconds, for sc_timings and benchmarks. */
static inline double sc_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Adds the seconds since start to one stage of this thread's sc_timings, e.g.
 * sc_timings_add_since(&sc_timings_thread()->decode, start). */
static inline void sc_timings_add_since(double *stage, double start)
{
    *stage += sc_now() - start;
}

#endif
