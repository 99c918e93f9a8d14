/* File types of the writers, by name and by a path's extension. */
#include <string.h>

#include "io/image.h"

static const struct {
    const char *extension;
    sc_file_type type;
} extensions[] = {
    {"png", SC_FILE_PNG}, {"jpg", SC_FILE_JPEG}, {"jpeg", SC_FILE_JPEG},
    {"bmp", SC_FILE_BMP}, {"pfm", SC_FILE_PFM},
};

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

int sc_file_type_of_path(const char *path, sc_file_type *type)
{
    char ext[32];
    sc_path_extension(path, ext, sizeof ext);
    for (size_t i = 0; i < sizeof extensions / sizeof *extensions; i++)
        if (strcmp(ext, extensions[i].extension) == 0) {
            *type = extensions[i].type;
            return 0;
        }
    return -1;
}

const char *sc_file_type_name(sc_file_type type)
{
    switch (type) {
    case SC_FILE_PNG: return "PNG";
    case SC_FILE_JPEG: return "JPEG";
    case SC_FILE_BMP: return "BMP";
    case SC_FILE_PFM: return "PFM";
    }
    return "unknown";
}
