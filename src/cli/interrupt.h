/* Ctrl-C and SIGTERM in a batch: finish the current file, then stop cleanly
 * (no half-written files, a summary, exit status 128 + signal). A second
 * signal ends the program at once. */
#ifndef SC_CLI_INTERRUPT_H
#define SC_CLI_INTERRUPT_H

void cli_interrupt_install(void);
/* The signal received, or 0. */
int cli_interrupted(void);

#endif
