/*
 * The one translation unit that compiles stb_image and stb_image_write.
 * Files are read into memory by our own code, so stb's stdio layer is left
 * out, and only the formats we promise are compiled in. Their global
 * settings (vertical flip, PNG compression level, ...) are never changed
 * anywhere in the project, so concurrent calls see the defaults.
 */
#define STBI_NO_STDIO
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_ONLY_BMP
#define STBI_ONLY_TGA
#define STBI_NO_LINEAR
/* Decoded pictures are the largest buffers of a run after the networks'. */
#include <stdlib.h>
#include "core/page_hints.h"
#define STBI_MALLOC(sz) SC_MALLOC_LARGE(sz)
#define STBI_REALLOC(p, newsz) realloc(p, newsz)
#define STBI_FREE(p) free(p)
#define STB_IMAGE_IMPLEMENTATION
#include <stb_image.h>

/* stb_image_write is left to JPEG and BMP (PNG has its own writer,
 * io/png_write.c); the tests still make PNGs of other layouts with it. */
#define STBI_WRITE_NO_STDIO
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>
