/* Which model file to load when --model is not given. */
#ifndef SC_CLI_MODEL_PATH_H
#define SC_CLI_MODEL_PATH_H

#include <stddef.h>

/* --model, else $SKYCHANGE_MODEL, else the first existing of: the installed
 * default model, the source tree's model, ../share/skychange/ beside the
 * executable. Writes the path into buf and returns 0; returns -1 (buf then
 * lists what was tried) when nothing was found. */
int cli_model_path(const char *option, char *buf, size_t size);

#endif
