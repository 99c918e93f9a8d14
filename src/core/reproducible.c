#include "core/reproducible.h"

/* Thread-local so that concurrent calls in different modes never meet. */
static _Thread_local int t_reproducible;

int sc_set_reproducible(int on)
{
    const int previous = t_reproducible;
    t_reproducible = on != 0;
    return previous;
}

int sc_reproducible(void) { return t_reproducible; }
