/*
 * Mattes on disk. PNG holds 8 bits: a value a in [0,1] is stored as
 * lrintf(a * 255) (round to nearest, ties to even), values outside [0,1] are
 * clamped first and NaN is stored as 0. PFM holds the float32 values exactly.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/encode.h"
#include "io/image.h"
#include "io/pfm.h"
#include "io/picture_decode.h"
#include "io/read_file.h"

typedef struct matte_job {
    const sc_matte *matte;
    int pfm;
    const char *path;
} matte_job;

static float clamp_unit(float a)
{
    if (!(a >= 0.0f)) /* also NaN */
        return 0.0f;
    return a > 1.0f ? 1.0f : a;
}

static sc_status write_matte(FILE *f, const void *ctx, sc_error *err)
{
    const matte_job *job = ctx;
    const sc_matte *m = job->matte;
    if (job->pfm)
        return sc_pfm_write_grey(f, m->alpha, m->width, m->height, job->path, err);
    size_t count = (size_t)m->width * (size_t)m->height;
    uint8_t *grey = malloc(count);
    if (!grey)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory", job->path);
    for (size_t i = 0; i < count; i++)
        grey[i] = (uint8_t)lrintf(clamp_unit(m->alpha[i]) * 255.0f);
    sc_status status = sc_encode_png(f, grey, m->width, m->height, 1, job->path, err);
    free(grey);
    return status;
}

sc_status sc_matte_write(const char *path, const sc_matte *matte, sc_error *err)
{
    if (!path || !*path)
        return sc_fail(err, SC_ERR_INVALID_ARG, "sc_matte_write: no path given");
    if (!matte || !matte->alpha || matte->width <= 0 || matte->height <= 0)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: no matte to write", path);
    if ((long long)matte->width * matte->height > SC_MAX_PIXELS)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: %dx%d pixels is more than the limit of %lld",
                       path, matte->width, matte->height, SC_MAX_PIXELS);
    char ext[32];
    sc_path_extension(path, ext, sizeof ext);
    matte_job job = {matte, 0, path};
    if (strcmp(ext, "pfm") == 0)
        job.pfm = 1;
    else if (strcmp(ext, "png") != 0)
        return sc_fail(err, SC_ERR_INVALID_ARG,
                       "%s: unknown matte type '.%s' (use .png or .pfm)", path, ext);
    return sc_write_atomic(path, write_matte, &job, err);
}

/* Grey value in [0,1] of each decoded pixel: grey as is, colour as the mean
 * of R, G and B; alpha is ignored. */
static void decoded_to_alpha(const sc_decoded *pic, float *alpha)
{
    size_t count = (size_t)pic->width * (size_t)pic->height;
    int n = pic->channels;
    float full = pic->bits == 16 ? 65535.0f : 255.0f;
    const uint8_t *p8 = pic->pixels;
    const uint16_t *p16 = pic->pixels;
    for (size_t i = 0; i < count; i++) {
        size_t at = i * (size_t)n;
        unsigned sum;
        if (n >= 3)
            sum = pic->bits == 16 ? (unsigned)p16[at] + p16[at + 1] + p16[at + 2]
                                  : (unsigned)p8[at] + p8[at + 1] + p8[at + 2];
        else
            sum = pic->bits == 16 ? p16[at] : p8[at];
        alpha[i] = n >= 3 ? (float)sum / (3.0f * full) : (float)sum / full;
    }
}

static sc_status matte_from_picture(const uint8_t *data, size_t size, const char *path,
                                    sc_matte *out, sc_error *err)
{
    sc_decoded pic;
    sc_status status = sc_picture_decode(data, size, path, 0, 1, &pic, err);
    if (status != SC_OK)
        return status;
    float *alpha = malloc((size_t)pic.width * (size_t)pic.height * sizeof *alpha);
    if (!alpha) {
        free(pic.pixels);
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory", path);
    }
    decoded_to_alpha(&pic, alpha);
    free(pic.pixels);
    out->alpha = alpha;
    out->width = pic.width;
    out->height = pic.height;
    return SC_OK;
}

sc_status sc_matte_read(const char *path, sc_matte *out, sc_error *err)
{
    if (!out)
        return sc_fail(err, SC_ERR_INVALID_ARG, "sc_matte_read: no output given");
    out->width = out->height = 0;
    out->alpha = NULL;
    if (!path)
        return sc_fail(err, SC_ERR_INVALID_ARG, "sc_matte_read: no path given");
    sc_status status = sc_picture_check_file_head(path, err);
    if (status != SC_OK)
        return status;
    void *data;
    size_t size;
    status = sc_read_file(path, INT_MAX, &data, &size, err);
    if (status != SC_OK)
        return status;
    if (sc_pfm_detect(data, size)) {
        status = sc_pfm_read_grey(data, size, path, &out->alpha, &out->width, &out->height, err);
        if (status == SC_OK) {
            size_t count = (size_t)out->width * (size_t)out->height;
            for (size_t i = 0; i < count; i++)
                out->alpha[i] = clamp_unit(out->alpha[i]);
        }
    } else {
        status = matte_from_picture(data, size, path, out, err);
    }
    free(data);
    return status;
}

void sc_matte_free(sc_matte *matte)
{
    if (!matte)
        return;
    free(matte->alpha);
    matte->alpha = NULL;
    matte->width = matte->height = 0;
}
