/*
 * Mattes on disk. PNG holds 8 bits: a value a in [0,1] is stored as
 * lrintf(a * 255) (round to nearest, ties to even), values outside [0,1] are
 * clamped first and NaN is stored as 0. PFM holds the float32 values exactly.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/decode_source.h"
#include "io/encode.h"
#include "io/image.h"
#include "io/pfm.h"
#include "io/picture_decode.h"

typedef struct matte_job {
    const sc_matte *matte;
    sc_file_type type;
    const char *name;
} matte_job;

static float clamp_unit(float a)
{
    if (!(a >= 0.0f)) /* also NaN */
        return 0.0f;
    return a > 1.0f ? 1.0f : a;
}

/* The matte, and whether it can be written as job->type. */
static sc_status check_job(const void *ctx, sc_error *err)
{
    const matte_job *job = ctx;
    const sc_matte *m = job->matte;
    if (!m || !m->alpha || m->width <= 0 || m->height <= 0)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: no matte to write", job->name);
    if ((long long)m->width * m->height > SC_MAX_PIXELS)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: %dx%d pixels is more than the limit of %lld",
                       job->name, m->width, m->height, SC_MAX_PIXELS);
    if (job->type != SC_FILE_PNG && job->type != SC_FILE_PFM)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: a matte is written as PNG or PFM, not %s",
                       job->name, sc_file_type_name(job->type));
    return SC_OK;
}

static sc_status write_matte(FILE *f, const void *ctx, sc_error *err)
{
    const matte_job *job = ctx;
    const sc_matte *m = job->matte;
    if (job->type == SC_FILE_PFM)
        return sc_pfm_write_grey(f, m->alpha, m->width, m->height, job->name, err);
    size_t count = (size_t)m->width * (size_t)m->height;
    uint8_t *grey = malloc(count);
    if (!grey)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory", job->name);
    for (size_t i = 0; i < count; i++)
        grey[i] = (uint8_t)lrintf(clamp_unit(m->alpha[i]) * 255.0f);
    sc_status status = sc_encode_png(f, grey, m->width, m->height, 1, NULL, job->name, err);
    free(grey);
    return status;
}

static sc_writer matte_writer(const matte_job *job)
{
    return (sc_writer){job->name, check_job, write_matte, job};
}

sc_status sc_matte_write(const char *path, const sc_matte *matte, sc_error *err)
{
    if (!path || !*path)
        return sc_fail(err, SC_ERR_INVALID_ARG, "sc_matte_write: no path given");
    matte_job job = {matte, SC_FILE_PNG, path};
    char ext[32];
    if (sc_file_type_of_path(path, &job.type) != 0 ||
        (job.type != SC_FILE_PNG && job.type != SC_FILE_PFM))
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: unknown matte type '.%s' (use %s)", path,
                       sc_path_extension(path, ext, sizeof ext), sc_output_types(1));
    sc_writer writer = matte_writer(&job);
    return sc_write_to_file(path, &writer, err);
}

sc_status sc_matte_write_stream(FILE *file, const char *name, const sc_matte *matte,
                                sc_file_type type, sc_error *err)
{
    matte_job job = {matte, type, name ? name : "(stream)"};
    sc_writer writer = matte_writer(&job);
    return sc_write_to_stream(file, &writer, err);
}

sc_status sc_matte_encode(const sc_matte *matte, sc_file_type type, void **data, size_t *size,
                          sc_error *err)
{
    matte_job job = {matte, type, "(buffer)"};
    sc_writer writer = matte_writer(&job);
    return sc_write_to_buffer(&writer, data, size, err);
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

/* A PFM keeps its float values (clamped to [0,1]); any other picture is grey. */
static sc_status matte_from_bytes(const void *data, size_t size, const char *name, void *out,
                                  sc_error *err)
{
    sc_matte *m = out;
    if (!sc_pfm_detect(data, size))
        return matte_from_picture(data, size, name, m, err);
    sc_status status = sc_pfm_read_grey(data, size, name, &m->alpha, &m->width, &m->height, err);
    if (status == SC_OK) {
        size_t count = (size_t)m->width * (size_t)m->height;
        for (size_t i = 0; i < count; i++)
            m->alpha[i] = clamp_unit(m->alpha[i]);
    }
    return status;
}

/* sc_matte_read, sc_matte_read_memory, sc_matte_read_stream */
SC_DEFINE_READERS(matte, sc_matte, matte_from_bytes)

void sc_matte_free(sc_matte *matte)
{
    if (!matte)
        return;
    free(matte->alpha);
    matte->alpha = NULL;
    matte->width = matte->height = 0;
}
