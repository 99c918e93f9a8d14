#include "skychange.h"

sc_options sc_options_default(void)
{
    sc_options opt = {0, 0};
    return opt;
}

sc_timings *sc_timings_thread(void)
{
    static _Thread_local sc_timings timings;
    return &timings;
}
