/*
 * Strings that live as long as the plan, copied into large blocks instead of
 * allocated one by one: a pairs list of a million lines names millions of
 * paths, and a separate allocation would cost each its own header and
 * rounding, more than the path itself.
 */
#ifndef SC_CLI_STRING_POOL_H
#define SC_CLI_STRING_POOL_H

#include <stddef.h>

typedef struct cli_string_block cli_string_block;

typedef struct cli_string_pool {
    cli_string_block *newest; /* each block links to the one filled before it */
    size_t used;              /* bytes taken in the newest block */
} cli_string_pool;

/* A copy of s that lives until cli_string_pool_free; NULL when out of memory. */
char *cli_string_pool_copy(cli_string_pool *pool, const char *s);
void cli_string_pool_free(cli_string_pool *pool);

#endif
