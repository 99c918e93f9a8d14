/* Batch progress: a redrawn bar on a terminal, else one plain line per file. */
#ifndef SC_CLI_PROGRESS_H
#define SC_CLI_PROGRESS_H

#include <stddef.h>

#include "cli/run.h"

typedef struct cli_progress {
    size_t total, finished, worked; /* worked: finished without being skipped */
    double start, work_seconds;
    int enabled, terminal;
} cli_progress;

void cli_progress_start(cli_progress *p, size_t total, int enabled);
/* Draws the bar before the first file is done (long jobs show it at once). */
void cli_progress_show(cli_progress *p);
void cli_progress_file(cli_progress *p, const cli_job *job, cli_outcome outcome,
                       double seconds);
void cli_progress_end(cli_progress *p);

#endif
