#include "cli/report.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int report_level;
static char status_text[256];

void cli_report_set_level(int level) { report_level = level; }
int cli_report_level(void) { return report_level; }

static void hide_status(void)
{
    if (status_text[0])
        fputs("\r\033[K", stderr);
}

static void show_status(void)
{
    if (status_text[0]) {
        fputs(status_text, stderr);
        fflush(stderr);
    }
}

static void say(const char *file, const char *kind, const char *fmt, va_list ap)
{
    hide_status();
    fputs("skychange: ", stderr);
    if (file)
        fprintf(stderr, "%s: ", file);
    if (kind)
        fputs(kind, stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    show_status();
}

void cli_error(const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(file, NULL, fmt, ap);
    va_end(ap);
}

void cli_error_sc(const char *file, const sc_error *err)
{
    const char *msg = err->msg[0] ? err->msg : sc_status_name(err->status);
    if (file && strstr(msg, file))
        cli_error(NULL, "%s", msg);
    else
        cli_error(file, "%s", msg);
}

void cli_warn(const char *file, const char *fmt, ...)
{
    if (report_level < 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    say(file, "warning: ", fmt, ap);
    va_end(ap);
}

void cli_info(const char *fmt, ...)
{
    if (report_level < 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    say(NULL, NULL, fmt, ap);
    va_end(ap);
}

void cli_verbose(const char *fmt, ...)
{
    if (report_level < 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    say(NULL, NULL, fmt, ap);
    va_end(ap);
}

void cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(NULL, NULL, fmt, ap);
    va_end(ap);
    hide_status();
    fputs("Try 'skychange --help' for more information.\n", stderr);
    show_status();
}

void cli_status_line(const char *text)
{
    hide_status();
    if (!text || !text[0]) {
        status_text[0] = '\0';
        fflush(stderr);
        return;
    }
    snprintf(status_text, sizeof status_text, "%s", text);
    show_status();
}
