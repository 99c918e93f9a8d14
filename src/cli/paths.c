#include "cli/paths.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

char *cli_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy)
        memcpy(copy, s, n);
    return copy;
}

char *cli_path_join(const char *folder, const char *name)
{
    if (name[0] == '/' || folder[0] == '\0')
        return cli_strdup(name);
    size_t fl = strlen(folder), nl = strlen(name);
    int slash = folder[fl - 1] != '/';
    char *out = malloc(fl + (size_t)slash + nl + 1);
    if (!out)
        return NULL;
    memcpy(out, folder, fl);
    if (slash)
        out[fl] = '/';
    memcpy(out + fl + (size_t)slash, name, nl + 1);
    return out;
}

const char *cli_path_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

char *cli_path_stem(const char *path)
{
    char *stem = cli_strdup(cli_path_name(path));
    if (!stem)
        return NULL;
    char *dot = strrchr(stem, '.');
    if (dot && dot != stem)
        *dot = '\0';
    return stem;
}

char *cli_path_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return cli_strdup(".");
    if (slash == path)
        return cli_strdup("/");
    size_t n = (size_t)(slash - path);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    memcpy(out, path, n);
    out[n] = '\0';
    return out;
}

const char *cli_path_ext(const char *path, char *buf, size_t size)
{
    const char *name = cli_path_name(path);
    const char *dot = strrchr(name, '.');
    size_t i = 0;
    if (dot && dot != name) {
        for (dot++; *dot && i + 1 < size; dot++)
            buf[i++] = (char)tolower((unsigned char)*dot);
    }
    if (size)
        buf[i] = '\0';
    return buf;
}

int cli_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int cli_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

int cli_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int cli_make_dirs(const char *path)
{
    if (path[0] == '\0') {
        errno = ENOENT;
        return -1;
    }
    char *copy = cli_strdup(path);
    if (!copy) {
        errno = ENOMEM;
        return -1;
    }
    int rc = 0;
    /* Create each prefix in turn; existing folders are fine. */
    for (char *p = copy + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
            rc = -1;
            break;
        }
        *p = saved;
        if (saved == '\0')
            break;
    }
    if (rc == 0 && !cli_is_dir(path)) {
        errno = ENOTDIR;
        rc = -1;
    }
    free(copy);
    return rc;
}

char *cli_path_folder_key(const char *path)
{
    char *dir = cli_path_dirname(path);
    char resolved[PATH_MAX];
    if (!dir || !realpath(dir, resolved))
        return dir;
    free(dir);
    return cli_strdup(resolved);
}
