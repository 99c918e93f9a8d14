/* Filling an sc_error: one line, naming the file or argument and the problem. */
#ifndef SC_CORE_ERROR_H
#define SC_CORE_ERROR_H

#include "skychange.h"

/* Sets err (if not NULL) and returns status, so callers can `return sc_fail(...)`. */
sc_status sc_fail(sc_error *err, sc_status status, const char *fmt, ...) SC_PRINTF(3, 4);

#endif
