#ifndef SC_CLI_THREAD_WAITS_H
#define SC_CLI_THREAD_WAITS_H

/* Restarts the program once with sleeping (passive) OpenMP waits unless the
 * user chose a policy; returns only if no restart happened. */
void cli_prefer_sleeping_thread_waits(char **argv);

#endif
