/* The writers' file types: the one list of output extensions, by name and by
 * a path's extension, that the library and the command line both use. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "io/image.h"
#include "io/picture_codecs.h"

enum { WRITES_PICTURE = 1, WRITES_MATTE = 2 };

static const struct {
    const char *extension;
    sc_file_type type;
    int writes;
} extensions[] = {
    {"png", SC_FILE_PNG, WRITES_PICTURE | WRITES_MATTE},
    {"jpg", SC_FILE_JPEG, WRITES_PICTURE},
    {"jpeg", SC_FILE_JPEG, WRITES_PICTURE},
    {"bmp", SC_FILE_BMP, WRITES_PICTURE},
    {"webp", SC_FILE_WEBP, WRITES_PICTURE},
    {"tif", SC_FILE_TIFF, WRITES_PICTURE},
    {"tiff", SC_FILE_TIFF, WRITES_PICTURE},
    {"heic", SC_FILE_HEIC, WRITES_PICTURE},
    {"pfm", SC_FILE_PFM, WRITES_MATTE},
};
enum { EXTENSION_COUNT = sizeof extensions / sizeof *extensions };

const char *sc_path_extension(const char *path, char *buf, size_t size)
{
    if (!buf || size == 0)
        return "";
    buf[0] = '\0';
    if (!path)
        return buf;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    /* Leading dots name hidden files, not extensions (".png" has none). */
    while (*base == '.')
        base++;
    const char *dot = strrchr(base, '.');
    if (!dot)
        return buf;
    size_t i = 0;
    for (const char *p = dot + 1; *p && i + 1 < size; p++, i++)
        buf[i] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    buf[i] = '\0';
    return buf;
}

/* Whether this build writes the table's entry i: HEIC needs an encoder that
 * the installed libheif may lack. */
static int written(size_t i, int writes)
{
    if (!(extensions[i].writes & writes))
        return 0;
    return extensions[i].type != SC_FILE_HEIC || sc_heif_can_encode();
}

/* The entry for an extension in any case, or -1. */
static int find_extension(const char *extension)
{
    if (!extension)
        return -1;
    char lower[8];
    size_t n = strlen(extension);
    if (n >= sizeof lower)
        return -1;
    for (size_t i = 0; i <= n; i++)
        lower[i] = (char)(extension[i] >= 'A' && extension[i] <= 'Z' ? extension[i] - 'A' + 'a'
                                                                     : extension[i]);
    for (size_t i = 0; i < EXTENSION_COUNT; i++)
        if (strcmp(lower, extensions[i].extension) == 0)
            return (int)i;
    return -1;
}

int sc_output_type(const char *extension, int matte, sc_file_type *type)
{
    int i = find_extension(extension);
    int writes = matte ? WRITES_MATTE : WRITES_PICTURE;
    if (i < 0 || !(extensions[i].writes & writes))
        return 0;
    if (type)
        *type = extensions[i].type;
    return written((size_t)i, writes) ? 1 : -1;
}

/* ".png, .jpg ... or .heic" for each kind, made once (HEIC's place in it
 * is known only at run time). */
static char g_type_lists[2][128];
static pthread_once_t g_type_lists_once = PTHREAD_ONCE_INIT;

static void make_type_list(char *list, size_t size, int writes)
{
    size_t count = 0, done = 0, at = 0;
    for (size_t i = 0; i < EXTENSION_COUNT; i++)
        count += (size_t)written(i, writes);
    list[0] = '\0';
    for (size_t i = 0; i < EXTENSION_COUNT && at < size; i++) {
        if (!written(i, writes))
            continue;
        const char *separator = done == 0 ? "" : done + 1 == count ? " or " : ", ";
        int n = snprintf(list + at, size - at, "%s.%s", separator, extensions[i].extension);
        at += n > 0 ? (size_t)n : 0;
        done++;
    }
}

static void make_type_lists(void)
{
    make_type_list(g_type_lists[0], sizeof g_type_lists[0], WRITES_PICTURE);
    make_type_list(g_type_lists[1], sizeof g_type_lists[1], WRITES_MATTE);
}

const char *sc_output_types(int matte)
{
    pthread_once(&g_type_lists_once, make_type_lists);
    return g_type_lists[matte ? 1 : 0];
}

int sc_file_type_of_path(const char *path, sc_file_type *type)
{
    char ext[32];
    int i = find_extension(sc_path_extension(path, ext, sizeof ext));
    if (i < 0)
        return -1;
    *type = extensions[i].type;
    return 0;
}

const char *sc_file_type_name(sc_file_type type)
{
    switch (type) {
    case SC_FILE_PNG: return "PNG";
    case SC_FILE_JPEG: return "JPEG";
    case SC_FILE_BMP: return "BMP";
    case SC_FILE_PFM: return "PFM";
    case SC_FILE_WEBP: return "WebP";
    case SC_FILE_TIFF: return "TIFF";
    case SC_FILE_HEIC: return "HEIC";
    }
    return "unknown";
}
