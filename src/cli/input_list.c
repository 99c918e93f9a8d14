#include "cli/input_list.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/exit_codes.h"
#include "cli/paths.h"
#include "cli/report.h"

int cli_path_list_add(cli_path_list *list, const char *path)
{
    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? 2 * list->capacity : 16;
        char **grown = realloc(list->paths, capacity * sizeof *grown);
        if (!grown)
            return -1;
        list->paths = grown;
        list->capacity = capacity;
    }
    char *copy = cli_strdup(path);
    if (!copy)
        return -1;
    list->paths[list->count++] = copy;
    return 0;
}

static int compare_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void cli_path_list_sort(cli_path_list *list)
{
    if (list->count > 1)
        qsort(list->paths, list->count, sizeof *list->paths, compare_paths);
}

void cli_path_list_free(cli_path_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->paths[i]);
    free(list->paths);
    memset(list, 0, sizeof *list);
}

int cli_is_picture_name(const char *name)
{
    static const char *const extensions[] = {"png",  "jpg", "jpeg", "bmp",  "tga",
                                             "webp", "tif", "tiff", "heic", "heif"};
    char ext[16];
    cli_path_ext(name, ext, sizeof ext);
    for (size_t i = 0; i < sizeof extensions / sizeof *extensions; i++)
        if (strcmp(ext, extensions[i]) == 0)
            return 1;
    return 0;
}

static int scan_folder(const char *folder, cli_path_list *out)
{
    DIR *dir = opendir(folder);
    if (!dir) {
        cli_error(folder, "cannot read folder: %s", strerror(errno));
        return CLI_EXIT_USAGE;
    }
    int rc = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.' || !cli_is_picture_name(entry->d_name))
            continue;
        char *path = cli_path_join(folder, entry->d_name);
        if (!path) {
            rc = -1;
            break;
        }
        /* Sub-folders named like pictures are not pictures. */
        if (!cli_is_dir(path) && cli_path_list_add(out, path) != 0)
            rc = -1;
        free(path);
        if (rc)
            break;
    }
    closedir(dir);
    if (rc) {
        cli_error(folder, "out of memory");
        return CLI_EXIT_USAGE;
    }
    return 0;
}

int cli_collect_inputs(const char *const *inputs, size_t count, cli_path_list *out)
{
    for (size_t i = 0; i < count; i++) {
        if (cli_is_dir(inputs[i])) {
            int rc = scan_folder(inputs[i], out);
            if (rc)
                return rc;
        } else if (cli_path_list_add(out, inputs[i]) != 0) {
            cli_error(NULL, "out of memory");
            return CLI_EXIT_USAGE;
        }
    }
    cli_path_list_sort(out);
    return 0;
}
