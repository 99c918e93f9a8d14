#include "core/clock.h"
#include "skychange.h"

sc_timings *sc_timings_thread(void)
{
    static _Thread_local sc_timings timings;
    return &timings;
}

double sc_monotonic_seconds(void)
{
    return sc_now();
}
