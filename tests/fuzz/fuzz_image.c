/*
 * Picture decoding from memory, every format the library reads: the format
 * sniffing, the container walk (PNG chunks, JPEG markers, BMP, TGA and WebP
 * sizes, HEIF boxes), the size limits, stb_image's decoders, libwebp, libtiff
 * and libheif, the EXIF orientation of JPEG and WebP and TIFF's orientation
 * tag (libexif, then the pixel turn), and the metadata each file carries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper_fuzz.h"
#include "skychange.h"

int fuzz_image_one(const uint8_t *data, size_t size)
{
    if (fuzz_picture_too_big(data, size))
        return 0;
    sc_image img;
    sc_error err = {SC_OK, ""};
    sc_status s = sc_image_read_memory(data, size, "fuzz-picture", &img, &err);
    if (s != SC_OK) {
        if (img.rgb || (s != SC_ERR_IMAGE && s != SC_ERR_NO_MEMORY) ||
            !strstr(err.msg, "fuzz-picture")) {
            fprintf(stderr, "bad refusal: status %d, message '%s'\n", (int)s, err.msg);
            abort();
        }
        return 0;
    }
    if (!img.rgb || img.width <= 0 || img.height <= 0 ||
        (long long)img.width * img.height > FUZZ_MAX_PIXELS) {
        fprintf(stderr, "bad picture: %dx%d\n", img.width, img.height);
        abort();
    }
    /* Read every byte: a buffer shorter than width x height x 3 shows under
     * ASan, uninitialised bytes under MSan. */
    size_t bytes = (size_t)img.width * (size_t)img.height * 3;
    unsigned sum = 0;
    for (size_t i = 0; i < bytes; i++)
        sum += img.rgb[i];
    volatile unsigned sink = sum;
    (void)sink;
    sc_image_free(&img);
    return 0;
}

#ifndef FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_image_one(data, size);
}
#endif
