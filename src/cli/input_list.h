/* The pictures named on the command line: files as given, folders scanned. */
#ifndef SC_CLI_INPUT_LIST_H
#define SC_CLI_INPUT_LIST_H

#include <stddef.h>

typedef struct cli_path_list {
    char **paths;
    size_t count, capacity;
} cli_path_list;

int cli_path_list_add(cli_path_list *list, const char *path); /* copies; 0 or -1 */
void cli_path_list_sort(cli_path_list *list);                 /* bytewise order */
void cli_path_list_free(cli_path_list *list);

/* 1 when the extension is one the batch mode picks up from folders:
 * png, jpg, jpeg, bmp, tga in any case. */
int cli_is_picture_name(const char *name);

/* Appends every input: a folder contributes its pictures (not its sub-folders,
 * nor names starting with a dot), a file is taken as is. The result is sorted.
 * Returns 0, or CLI_EXIT_USAGE after reporting an unreadable folder. */
int cli_collect_inputs(const char *const *inputs, size_t count, cli_path_list *out);

#endif
