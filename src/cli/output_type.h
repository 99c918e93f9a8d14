/* Which output files a run can write, by extension: the library's one list
 * (sc_output_type), with the messages that refuse the others. */
#ifndef SC_CLI_OUTPUT_TYPE_H
#define SC_CLI_OUTPUT_TYPE_H

#include <stddef.h>

#include "cli/args.h"

/* 1 when the mode can write files of that extension (without the dot); -1
 * for heic when libheif cannot encode; 0 for another extension. */
int cli_output_extension_ok(cli_mode mode, const char *extension);
/* The same for a path's extension. */
int cli_output_type_ok(cli_mode mode, const char *path);
/* ".png, .jpg ... or .heic" for messages. */
const char *cli_output_types(cli_mode mode);
/* Why files of that extension cannot be written, for a message after the
 * name: "unknown <what> type; use ..." (written into buf), or why HEIC cannot. */
const char *cli_output_refusal(cli_mode mode, const char *extension, const char *what,
                               char *buf, size_t size);

#endif
