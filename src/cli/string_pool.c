#include "cli/string_pool.h"

#include <stdlib.h>
#include <string.h>

/* Large enough that the block headers do not count, small enough that a short
 * list does not notice. */
enum { BLOCK_BYTES = 64 * 1024 };

struct cli_string_block {
    cli_string_block *previous;
    size_t size;
    char data[];
};

char *cli_string_pool_copy(cli_string_pool *pool, const char *s)
{
    size_t n = strlen(s) + 1;
    if (!pool->newest || n > pool->newest->size - pool->used) {
        size_t size = n > BLOCK_BYTES ? n : BLOCK_BYTES;
        cli_string_block *block = malloc(sizeof *block + size);
        if (!block)
            return NULL;
        block->previous = pool->newest;
        block->size = size;
        pool->newest = block;
        pool->used = 0;
    }
    char *copy = pool->newest->data + pool->used;
    memcpy(copy, s, n);
    pool->used += n;
    return copy;
}

void cli_string_pool_free(cli_string_pool *pool)
{
    while (pool->newest) {
        cli_string_block *previous = pool->newest->previous;
        free(pool->newest);
        pool->newest = previous;
    }
    pool->used = 0;
}
