/*
 * The command line (cli_args_parse): the input, split at NUL bytes, is the
 * argument vector after the program name. getopt_long keeps state between
 * calls (the position inside a cluster of short options, "-qv"), which the
 * parser's optind = 1 does not reset: a parse that stopped inside a cluster
 * would leave it pointing into the previous input's freed arguments. The
 * real tool parses once per process; here glibc's full reset (optind = 0)
 * runs before every input.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/exit_codes.h"
#include "helper_fuzz.h"

enum { MAX_ARGS = 256 };

static void reset_getopt(void)
{
    static char name[] = "skychange";
    char *argv[] = {name, NULL};
    optind = 0;
    opterr = 0;
    (void)getopt(1, argv, "");
}

/* What a successful parse promises the rest of the tool. */
static void check_args(const cli_args *a)
{
    const char *bad = NULL;
    sc_error err = {SC_OK, ""};
    if (a->show_help || a->show_version)
        return;
    if (a->quality < 1 || a->quality > 100)
        bad = "quality out of range";
    else if (a->threads < 0)
        bad = "negative threads";
    else if (a->shard_index < 1 || a->shard_index > a->shard_count)
        bad = "shard out of range";
    else if (a->verbosity < -1 || a->verbosity > 1)
        bad = "verbosity out of range";
    else if (!a->output && !a->pairs)
        bad = "no output";
    else if (a->mode == CLI_MODE_MASK && (a->input_count == 0 || a->sky || a->pairs))
        bad = "mask mode with a sky, a list or no picture";
    else if (a->mode == CLI_MODE_REPLACE && !a->pairs && (a->input_count == 0 || !a->sky))
        bad = "replace mode without a scene or a sky";
    else if (sc_options_check(&a->look, &err) != SC_OK)
        bad = err.msg; /* the CLI's ranges must be the library's */
    else if (a->look_option && (a->compat || a->mode == CLI_MODE_MASK))
        bad = "look control accepted with --compat or --mask";
    for (size_t i = 0; !bad && i < a->input_count; i++)
        if (!a->inputs[i])
            bad = "NULL input";
    if (bad) {
        fprintf(stderr, "accepted arguments break a promise: %s\n", bad);
        abort();
    }
}

int fuzz_args_one(const uint8_t *data, size_t size)
{
    /* A NUL-terminated copy, so that every piece is a C string. */
    char *text = malloc(size + 1);
    char **argv = malloc((MAX_ARGS + 2) * sizeof *argv);
    if (!text || !argv)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    static char name[] = "skychange";
    int argc = 0;
    argv[argc++] = name;
    for (char *p = text; argc <= MAX_ARGS && p <= text + size; p += strlen(p) + 1)
        argv[argc++] = p;
    argv[argc] = NULL;

    reset_getopt();
    cli_args args;
    fuzz_quiet_begin();
    int rc = cli_args_parse(argc, argv, &args);
    fuzz_quiet_end();
    if (rc == 0) {
        check_args(&args);
    } else if (rc != CLI_EXIT_USAGE) {
        fprintf(stderr, "unexpected exit status %d\n", rc);
        abort();
    }
    cli_args_free(&args);
    free(argv);
    free(text);
    return 0;
}

#ifndef FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_args_one(data, size);
}
#endif
