#include "cli/thread_waits.h"

#include <stdlib.h>
#include <unistd.h>

void cli_prefer_sleeping_thread_waits(char **argv)
{
    /* OpenMP threads busy-wait between parallel regions by default. When the
     * machine is busy — several skychange runs side by side in a batch, or any
     * other load — a spinning thread eats the time slice its partner needs,
     * and a run measured 2-3x slower than single-threaded (2560x1600 pair,
     * 2 cores at load 6). Sleeping waits cost ~10 ms a picture on an idle
     * machine. The runtime reads the policy when it loads, before main, so it
     * is set here and the program restarted once; a user's own setting wins. */
    if (getenv("OMP_WAIT_POLICY"))
        return;
    if (setenv("OMP_WAIT_POLICY", "passive", 1) != 0)
        return;
    execv("/proc/self/exe", argv);
    /* exec failed (no /proc?): carry on with busy waits. */
}
