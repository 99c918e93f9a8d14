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
