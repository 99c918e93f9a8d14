/* The command line: parsing and the checks that need nothing but the arguments. */
#ifndef SC_CLI_ARGS_H
#define SC_CLI_ARGS_H

#include <stddef.h>

#include "skychange.h"

typedef enum cli_mode {
    CLI_MODE_REPLACE, /* --scene (or operands) with --sky, or --pairs */
    CLI_MODE_MASK     /* --mask */
} cli_mode;

typedef struct cli_args {
    cli_mode mode;
    const char **inputs; /* scenes, or pictures to matte; files or folders */
    size_t input_count;
    const char *sky;
    const char *output;
    const char *scene_alpha;
    const char *sky_alpha;
    const char *save_alpha;
    const char *pairs;
    const char *model;
    const char *format; /* batch output type; NULL: png */
    int quality;        /* JPEG quality 1..100 */
    int threads;        /* 0: all cores */
    int shard_index;    /* 1-based */
    int shard_count;    /* 1: no sharding */
    int compat, timings, skip_existing;
    int verbosity; /* -1 quiet, 0, 1 verbose */
    int show_help, show_version;
    /* the look controls (--harmonize ...) and --reproducible, in the library's
     * terms; threads and compat there are unused (see above) */
    sc_options look;
    const char *look_option; /* the first look option given, for messages; NULL: none */
} cli_args;

/* Returns 0, or CLI_EXIT_USAGE after printing the problem. */
int cli_args_parse(int argc, char **argv, cli_args *out);
void cli_args_free(cli_args *args);

/* The --help text (help.c); kept in step with docs/skychange.1. */
void cli_print_help(void);

#endif
