#include "cli/progress.h"

#include <stdio.h>
#include <unistd.h>

#include "cli/report.h"

enum { BAR_WIDTH = 24 };

void cli_progress_start(cli_progress *p, size_t total, int enabled)
{
    p->total = total;
    p->finished = p->worked = 0;
    p->start = sc_monotonic_seconds();
    p->work_seconds = 0;
    p->enabled = enabled;
    p->terminal = isatty(STDERR_FILENO);
}


static void format_duration(char *buf, size_t size, double seconds)
{
    long s = (long)(seconds + 0.5);
    if (s >= 3600)
        snprintf(buf, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, size, "%ld:%02ld", s / 60, s % 60);
}

/* Files per second of real work: skipped files cost nothing. */
static double work_rate(const cli_progress *p)
{
    return p->work_seconds > 0 ? (double)p->worked / p->work_seconds : 0;
}

/* "m:ss" for the files still to do, or "?" before the first one is done. */
static void time_left(const cli_progress *p, char *buf, size_t size)
{
    double rate = work_rate(p);
    if (rate > 0)
        format_duration(buf, size, (double)(p->total - p->finished) / rate);
    else
        snprintf(buf, size, "?");
}

static void draw_bar(const cli_progress *p)
{
    char bar[BAR_WIDTH + 1];
    size_t filled = p->total ? p->finished * BAR_WIDTH / p->total : BAR_WIDTH;
    for (size_t i = 0; i < BAR_WIDTH; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[BAR_WIDTH] = '\0';
    char line[160], left[32];
    time_left(p, left, sizeof left);
    snprintf(line, sizeof line, "[%s] %zu/%zu  %.2f files/s  %s left", bar, p->finished,
             p->total, work_rate(p), left);
    cli_status_line(line);
}

void cli_progress_show(cli_progress *p)
{
    if (p->enabled && p->terminal && p->total > 0)
        draw_bar(p);
}

void cli_progress_file(cli_progress *p, const cli_job *job, cli_outcome outcome,
                       double seconds)
{
    p->finished++;
    if (outcome != CLI_SKIPPED) {
        p->worked++;
        p->work_seconds += seconds;
    }
    if (!p->enabled)
        return;
    if (p->terminal) {
        draw_bar(p);
        return;
    }
    char left[32];
    time_left(p, left, sizeof left);
    switch (outcome) {
    case CLI_DONE:
    case CLI_DONE_NO_SKY:
        cli_info("[%zu/%zu] %s -> %s (%.2f s, %s left)", p->finished, p->total, job->scene,
                 job->output, seconds, left);
        break;
    case CLI_SKIPPED:
        cli_info("[%zu/%zu] %s: skipped, %s exists", p->finished, p->total, job->scene,
                 job->output);
        break;
    case CLI_FAILED:
    case CLI_MODEL_FAILED:
        cli_info("[%zu/%zu] %s: failed", p->finished, p->total, job->scene);
        break;
    }
}

void cli_progress_end(cli_progress *p)
{
    if (p->enabled && p->terminal)
        cli_status_line(NULL);
}
