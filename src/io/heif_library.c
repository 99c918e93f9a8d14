#include "io/heif_library.h"

#include <pthread.h>

#include "io/picture_codecs.h"

static pthread_once_t g_heif_once = PTHREAD_ONCE_INIT;

static void init_once(void)
{
    /* Never matched by heif_deinit: the library stays ready until the process ends. */
    heif_init(NULL);
}

void sc_heif_init(void)
{
    pthread_once(&g_heif_once, init_once);
}

int sc_heif_can_encode(void)
{
    sc_heif_init();
    return heif_have_encoder_for_format(heif_compression_HEVC);
}
