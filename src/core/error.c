#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>

sc_status sc_error_set(sc_error *err, sc_status status, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->status = status;
    }
    return status;
}

const char *sc_status_name(sc_status status)
{
    switch (status) {
    case SC_OK: return "ok";
    case SC_ERR_INVALID_ARG: return "invalid argument";
    case SC_ERR_IO: return "input/output error";
    case SC_ERR_IMAGE: return "bad picture";
    case SC_ERR_MODEL: return "bad model";
    case SC_ERR_NO_MEMORY: return "out of memory";
    case SC_ERR_NO_SKY: return "no usable sky";
    case SC_ERR_SCENE_NO_SKY: return "scene has no sky";
    }
    return "unknown status";
}
