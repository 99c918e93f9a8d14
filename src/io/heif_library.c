#include "io/heif_library.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "io/picture_codecs.h"

#ifndef SC_HEIF_SONAME
#define SC_HEIF_SONAME "libheif.so.1"
#endif

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static sc_heif_api g_api;
static int g_loaded;
static char g_why[256];

static void load_once(void)
{
    /* Never closed: the library stays loaded until the process ends. */
    void *lib = dlopen(SC_HEIF_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *e = dlerror();
        snprintf(g_why, sizeof g_why, "libheif cannot be loaded (%s)", e ? e : SC_HEIF_SONAME);
        return;
    }
    /* POSIX's way from dlsym's object pointer to a function pointer. */
#define SC_HEIF_LOAD(name)                                                                    \
    {                                                                                         \
        void *symbol = dlsym(lib, "heif_" #name);                                             \
        if (!symbol) {                                                                        \
            snprintf(g_why, sizeof g_why, "the installed libheif lacks heif_%s", #name);      \
            return;                                                                           \
        }                                                                                     \
        memcpy(&g_api.name, &symbol, sizeof symbol);                                          \
    }
    SC_HEIF_CALLS(SC_HEIF_LOAD)
#undef SC_HEIF_LOAD
    g_api.init(NULL); /* never matched by heif_deinit */
    g_loaded = 1;
}

const sc_heif_api *sc_heif(const char **why)
{
    pthread_once(&g_once, load_once);
    if (why)
        *why = g_loaded ? NULL : g_why;
    return g_loaded ? &g_api : NULL;
}

const char *sc_heif_cannot_encode(void)
{
    const char *why;
    const sc_heif_api *h = sc_heif(&why);
    if (!h)
        return why;
    return h->have_encoder_for_format(heif_compression_HEVC)
               ? NULL
               : "the installed libheif has no HEVC encoder";
}

int sc_heif_can_encode(void) { return sc_heif_cannot_encode() == NULL; }
