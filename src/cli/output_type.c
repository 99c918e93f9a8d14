#include "cli/output_type.h"

#include <stdio.h>

#include "cli/paths.h"
#include "skychange.h"

int cli_output_extension_ok(cli_mode mode, const char *extension)
{
    return sc_output_type(extension, mode == CLI_MODE_MASK, NULL);
}

int cli_output_type_ok(cli_mode mode, const char *path)
{
    char ext[8];
    return cli_output_extension_ok(mode, cli_path_ext(path, ext, sizeof ext));
}

const char *cli_output_types(cli_mode mode)
{
    return sc_output_types(mode == CLI_MODE_MASK);
}

const char *cli_output_refusal(cli_mode mode, const char *extension, const char *what,
                               char *buf, size_t size)
{
    if (cli_output_extension_ok(mode, extension) < 0)
        return "cannot write HEIC: libheif is not installed or has no HEVC encoder";
    snprintf(buf, size, "unknown %s type; use %s", what, cli_output_types(mode));
    return buf;
}
