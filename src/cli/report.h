/*
 * Everything skychange says on stderr goes through here, so that messages and
 * the one-line progress bar on a terminal never garble each other.
 */
#ifndef SC_CLI_REPORT_H
#define SC_CLI_REPORT_H

#include "skychange.h"

#if defined(__GNUC__)
#define CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CLI_PRINTF(a, b)
#endif

/* 0 = normal, -1 = quiet (errors only), 1 = verbose. */
void cli_report_set_level(int level);
int cli_report_level(void);

/* "skychange: <file>: <problem>" — always shown. file may be NULL. */
void cli_error(const char *file, const char *fmt, ...) CLI_PRINTF(2, 3);
/* An sc_error from the library; its message already names the file, else file is added. */
void cli_error_sc(const char *file, const sc_error *err);
/* "skychange: <file>: warning: <problem>" — hidden by -q. */
void cli_warn(const char *file, const char *fmt, ...) CLI_PRINTF(2, 3);
/* "skychange: <text>" — hidden by -q. */
void cli_info(const char *fmt, ...) CLI_PRINTF(1, 2);
/* Only with -v. */
void cli_verbose(const char *fmt, ...) CLI_PRINTF(1, 2);
/* A usage error and the hint to --help (always shown). */
void cli_usage_error(const char *fmt, ...) CLI_PRINTF(1, 2);

/* The redrawable status line (terminal only); NULL or "" removes it. */
void cli_status_line(const char *text);

#endif
