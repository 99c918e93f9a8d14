/* The exit statuses of skychange (documented in skychange(1) and README.md). */
#ifndef SC_CLI_EXIT_CODES_H
#define SC_CLI_EXIT_CODES_H

enum {
    CLI_EXIT_OK = 0,      /* every input succeeded (a scene without sky included) */
    CLI_EXIT_FAILED = 1,  /* at least one input failed; the others were done */
    CLI_EXIT_USAGE = 2,   /* bad command line, pairs list or output plan */
    CLI_EXIT_MODEL = 3    /* the model is missing, corrupt or unusable */
};

#endif
