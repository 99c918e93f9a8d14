/* Where the default model lives (sc_default_model_path), and the library's version. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "skychange.h"

#ifndef SC_DEFAULT_MODEL_PATH
#error "SC_DEFAULT_MODEL_PATH must be defined by the build"
#endif
#ifndef SC_SOURCE_MODEL_PATH
#error "SC_SOURCE_MODEL_PATH must be defined by the build"
#endif

const char *sc_version(void)
{
    return SC_VERSION_STRING;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

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

static sc_status use(char *buf, size_t size, const char *path, sc_error *err)
{
    int w = snprintf(buf, size, "%s", path);
    if (w < 0 || (size_t)w >= size)
        return sc_fail(err, SC_ERR_INVALID_ARG, "default model path: %s does not fit in %zu bytes",
                       path, size);
    return SC_OK;
}

sc_status sc_default_model_path(char *buf, size_t size, sc_error *err)
{
    if (!buf || size == 0)
        return sc_fail(err, SC_ERR_INVALID_ARG, "default model path: no buffer");
    buf[0] = '\0';
    const char *env = getenv("SKYCHANGE_MODEL");
    if (env && env[0])
        return use(buf, size, env, err);
    if (exists(SC_DEFAULT_MODEL_PATH))
        return use(buf, size, SC_DEFAULT_MODEL_PATH, err);
    if (exists(SC_SOURCE_MODEL_PATH))
        return use(buf, size, SC_SOURCE_MODEL_PATH, err);
    char local[PATH_MAX + 64];
    int have_local = beside_executable(local, sizeof local) == 0;
    if (have_local && exists(local))
        return use(buf, size, local, err);
    return sc_fail(err, SC_ERR_MODEL,
                   "no model found (tried %s, %s%s%s); give --model FILE or set SKYCHANGE_MODEL",
                   SC_DEFAULT_MODEL_PATH, SC_SOURCE_MODEL_PATH, have_local ? ", " : "",
                   have_local ? local : "");
}
