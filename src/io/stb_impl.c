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
    return out;
}
#define STBIW_ZLIB_COMPRESS sc_png_deflate

#define STBI_WRITE_NO_STDIO
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>
