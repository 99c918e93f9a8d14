/*
 * The one translation unit that compiles stb_image and stb_image_write.
 * Files are read into memory by our own code, so stb's stdio layer is left
 * out, and only the formats we promise are compiled in. Their global
 * settings (vertical flip, PNG compression level, ...) are never changed
 * anywhere in the project, so concurrent calls see the defaults.
 */
#include <stdlib.h>
#include <zlib.h>

#define STBI_NO_STDIO
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_ONLY_BMP
#define STBI_ONLY_TGA
#define STBI_NO_LINEAR
#define STB_IMAGE_IMPLEMENTATION
#include <stb_image.h>

/* PNG deflate through zlib instead of stb's own compressor: several times
 * faster for the same size. Level 1, as OpenCV's imwrite uses by default: on a
 * 2560x1600 photo it encodes in 0.5 s against 1.6 s for level 6, for a file
 * 30 % larger — the encode would otherwise dominate a whole sky replacement. */
/* The deflated data that stb_image_write holds while it allocates the PNG file's
 * buffer: when that allocation fails, stb returns without freeing it (stb
 * 1.16), so the allocator frees it instead. */
static _Thread_local unsigned char *g_pending_deflate;

static unsigned char *sc_png_deflate(unsigned char *data, int size, int *out_size, int quality)
{
    (void)quality;
    uLongf bound = compressBound((uLong)size);
    unsigned char *out = malloc(bound);
    if (!out)
        return NULL;
    if (compress2(out, &bound, data, (uLong)size, 1) != Z_OK) {
        free(out);
        return NULL;
    }
    *out_size = (int)bound;
    g_pending_deflate = out;
    return out;
}

/* Takes malloc's result, so that the allocation itself stays at stb's call site. */
static void *sc_stbiw_allocated(void *p)
{
    if (!p && g_pending_deflate) {
        free(g_pending_deflate);
        g_pending_deflate = NULL;
    }
    return p;
}

static void sc_stbiw_free(void *p)
{
    if (p && p == g_pending_deflate)
        g_pending_deflate = NULL;
    free(p);
}
#define STBIW_ZLIB_COMPRESS sc_png_deflate
#define STBIW_MALLOC(size) sc_stbiw_allocated(malloc(size))
#define STBIW_FREE(p) sc_stbiw_free(p)
#define STBIW_REALLOC(p, size) realloc(p, size)

#define STBI_WRITE_NO_STDIO
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>
