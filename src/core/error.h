/* Filling an sc_error: one line, naming the file or argument and the problem. */
#ifndef SC_CORE_ERROR_H
#define SC_CORE_ERROR_H

#include "skychange.h"

/* The library's own name for the public sc_error_set: sets err (if not NULL)
 * and returns status, so callers can `return sc_fail(...)`. */
#define sc_fail sc_error_set

#endif
