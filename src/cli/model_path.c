#include "cli/model_path.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/paths.h"

#ifndef SC_DEFAULT_MODEL_PATH
#error "SC_DEFAULT_MODEL_PATH must be defined by the build"
#endif
#ifndef SC_SOURCE_MODEL_PATH
#error "SC_SOURCE_MODEL_PATH must be defined by the build"
#endif

/* <folder of the executable>/../share/skychange/<default model file name>. */
static int beside_executable(char *buf, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return -1;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    const char *name = strrchr(SC_DEFAULT_MODEL_PATH, '/');
    name = name ? name + 1 : SC_DEFAULT_MODEL_PATH;
    int w = snprintf(buf, size, "%s/../share/skychange/%s", exe, name);
    return w > 0 && (size_t)w < size ? 0 : -1;
}

static int use(char *buf, size_t size, const char *path)
{
    int w = snprintf(buf, size, "%s", path);
    return w >= 0 && (size_t)w < size ? 0 : -1;
}

int cli_model_path(const char *option, char *buf, size_t size)
{
    if (option)
        return use(buf, size, option);
    const char *env = getenv("SKYCHANGE_MODEL");
    if (env && env[0])
        return use(buf, size, env);
    if (cli_exists(SC_DEFAULT_MODEL_PATH))
        return use(buf, size, SC_DEFAULT_MODEL_PATH);
    if (cli_exists(SC_SOURCE_MODEL_PATH))
        return use(buf, size, SC_SOURCE_MODEL_PATH);
    char local[PATH_MAX + 64];
    int have_local = beside_executable(local, sizeof local) == 0;
    if (have_local && cli_exists(local))
        return use(buf, size, local);
    snprintf(buf, size, "no model found (tried %s, %s%s%s); give --model FILE or set "
             "SKYCHANGE_MODEL", SC_DEFAULT_MODEL_PATH, SC_SOURCE_MODEL_PATH,
             have_local ? ", " : "", have_local ? local : "");
    return -1;
}
