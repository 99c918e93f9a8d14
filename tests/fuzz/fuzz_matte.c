/*
 * Reading a matte (sc_matte_read): PFM, grey or colour, either byte order;
 * any picture the decoder takes, 16-bit PNG samples included. The file is
 * read by path, so the input goes through a memfd.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper_fuzz.h"
#include "io/pfm.h"
#include "skychange.h"

int fuzz_matte_one(const uint8_t *data, size_t size)
{
    /* A PFM is refused unless its data is all there, so its size is bounded
     * by the input's; a picture's is not. */
    if (!sc_pfm_detect(data, size) && fuzz_picture_too_big(data, size))
        return 0;
    const char *path = fuzz_input_path(data, size);
    sc_matte matte;
    sc_error err = {SC_OK, ""};
    sc_status s = sc_matte_read(path, &matte, &err);
    if (s != SC_OK) {
        if (matte.alpha || !strstr(err.msg, path)) {
            fprintf(stderr, "bad refusal: status %d, message '%s'\n", (int)s, err.msg);
            abort();
        }
        return 0;
    }
    if (!matte.alpha || matte.width <= 0 || matte.height <= 0) {
        fprintf(stderr, "bad matte: %dx%d\n", matte.width, matte.height);
        abort();
    }
    /* Every value is in [0, 1] (NaN and out-of-range PFM values clamped). */
    size_t count = (size_t)matte.width * (size_t)matte.height;
    for (size_t i = 0; i < count; i++) {
        if (!(matte.alpha[i] >= 0.0f && matte.alpha[i] <= 1.0f)) {
            fprintf(stderr, "matte value %g at %zu is outside [0, 1]\n",
                    (double)matte.alpha[i], i);
            abort();
        }
    }
    sc_matte_free(&matte);
    return 0;
}

#ifndef FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_matte_one(data, size);
}
#endif
