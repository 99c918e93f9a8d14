/* Small path and file-system helpers. Returned strings are malloc'ed. */
#ifndef SC_CLI_PATHS_H
#define SC_CLI_PATHS_H

#include <stddef.h>

char *cli_strdup(const char *s);
/* folder + "/" + name (no doubled slash); name is returned as is when absolute. */
char *cli_path_join(const char *folder, const char *name);
/* Final component without its extension: "a/b.x.jpg" -> "b.x". */
char *cli_path_stem(const char *path);
/* Folder part: "a/b.jpg" -> "a", "b.jpg" -> ".". */
char *cli_path_dirname(const char *path);
/* Lower-case extension without the dot into buf ("" when none). */
const char *cli_path_ext(const char *path, char *buf, size_t size);

int cli_is_dir(const char *path);
int cli_exists(const char *path);
/* 1 when both name the same existing file (same device and inode). */
int cli_same_file(const char *a, const char *b);
/* mkdir -p; returns 0 or -1 with errno set. */
int cli_make_dirs(const char *path);
/* The final component: "a/b.jpg" -> "b.jpg", a pointer into path. */
const char *cli_path_name(const char *path);
/* For comparing paths that may not exist yet: the real path of the folder (when
 * it exists, else the folder as written). With the final component, a key. */
char *cli_path_folder_key(const char *path);

#endif
