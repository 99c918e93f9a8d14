#include "core/isa.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

#define ISA_ENV "SKYCHANGE_ISA"

static const char *const NAMES[] = {"sse2", "avx2", "avx512"};

static sc_isa g_allowed = SC_ISA_SSE2;
static int g_env_bad;
static char g_env_value[32];
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

const char *sc_isa_name(sc_isa isa)
{
    return (unsigned)isa < sizeof NAMES / sizeof *NAMES ? NAMES[isa] : "?";
}

int sc_isa_parse(const char *text, sc_isa *out)
{
    for (size_t i = 0; text && i < sizeof NAMES / sizeof *NAMES; i++)
        if (!strcmp(text, NAMES[i])) {
            *out = (sc_isa)i;
            return 0;
        }
    return -1;
}

static sc_isa cpu_level(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        return SC_ISA_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return SC_ISA_AVX2;
#endif
    return SC_ISA_SSE2;
}

static void read_environment(void)
{
    g_allowed = cpu_level();
    const char *value = getenv(ISA_ENV);
    if (!value || !*value)
        return;
    sc_isa cap;
    if (sc_isa_parse(value, &cap) != 0) {
        g_env_bad = 1;
        /* Kept for the message: the environment may change later. */
        strncpy(g_env_value, value, sizeof g_env_value - 1);
        return;
    }
    if (cap < g_allowed)
        g_allowed = cap;
}

static void read_once(void)
{
    /* pthread_once fails only on an invalid argument. */
    (void)pthread_once(&g_once, read_environment);
}

sc_isa sc_isa_allowed(void)
{
    read_once();
    return g_allowed;
}

sc_status sc_isa_check(sc_error *err)
{
    read_once();
    if (g_env_bad)
        return sc_fail(err, SC_ERR_INVALID_ARG,
                       ISA_ENV "=%s%s: expected avx512, avx2 or sse2", g_env_value,
                       strlen(g_env_value) == sizeof g_env_value - 1 ? "..." : "");
    return SC_OK;
}
