/* Reading a whole file into memory. */
#ifndef SC_IO_READ_FILE_H
#define SC_IO_READ_FILE_H

#include <stddef.h>

#include "skychange.h"

/* *data receives a malloc'd copy of the file (free() it), *size its length.
 * Files larger than max_size are refused. Errors are SC_ERR_IO. */
sc_status sc_read_file(const char *path, size_t max_size, void **data, size_t *size,
                       sc_error *err);

#endif
