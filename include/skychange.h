/*
 * skychange — replace the sky of a photo with the sky of another photo.
 *
 * The whole public interface of libskychange. The command-line tool is a thin
 * user of exactly these calls.
 *
 * Conventions:
 *   - every call that can fail returns an sc_status and, when err is not NULL,
 *     fills err->msg with one line naming the file or argument and the problem;
 *   - images are 8-bit RGB, interleaved, row-major, no padding between rows;
 *   - mattes are float32, one value per pixel, 1 = sky, 0 = not sky;
 *   - objects returned through out-pointers are owned by the caller and freed
 *     with the matching *_free call.
 */
#ifndef SKYCHANGE_H
#define SKYCHANGE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SC_VERSION_STRING "0.1.0"

typedef enum sc_status {
    SC_OK = 0,
    SC_ERR_INVALID_ARG, /* a caller passed something unusable */
    SC_ERR_IO,          /* a file could not be read or written */
    SC_ERR_IMAGE,       /* a picture could not be decoded or is out of limits */
    SC_ERR_MODEL,       /* the model file is missing, corrupt or inconsistent */
    SC_ERR_NO_MEMORY,
    SC_ERR_NO_SKY,      /* the sky photo has no usable sky region */
    SC_ERR_SCENE_NO_SKY /* the scene has no sky to replace */
} sc_status;

typedef struct sc_error {
    sc_status status;
    char msg[512];
} sc_error;

/* An 8-bit RGB picture. */
typedef struct sc_image {
    int width, height;
    uint8_t *rgb; /* width*height*3 bytes */
} sc_image;

/* A sky matte at a picture's size: 1 = sky. */
typedef struct sc_matte {
    int width, height;
    float *alpha; /* width*height values in [0,1] */
} sc_matte;

typedef struct sc_options {
    int threads; /* <= 0: all cores */
    int compat;  /* 1: reproduce the original tool bit for bit, bugs included */
} sc_options;

/* Defaults: all cores, fixed (non-compat) behaviour. */
sc_options sc_options_default(void);

const char *sc_status_name(sc_status status);

/* ---- pictures ---------------------------------------------------------- */

/* Reads PNG, JPEG, BMP or TGA; applies JPEG EXIF orientation; drops alpha. */
sc_status sc_image_read(const char *path, sc_image *out, sc_error *err);
/* Reads from memory; name is only used in error messages. */
sc_status sc_image_read_memory(const void *data, size_t size, const char *name,
                               sc_image *out, sc_error *err);
/* Writes PNG, JPEG (quality 1..100) or BMP by the extension of path, atomically:
 * a temporary file in the same folder is renamed into place on success. */
sc_status sc_image_write(const char *path, const sc_image *img, int jpeg_quality,
                         sc_error *err);
/* Writes a PNG to a stdio stream (e.g. stdout). */
sc_status sc_image_write_png_stream(void *file, const sc_image *img, sc_error *err);
void sc_image_free(sc_image *img);

/* Mattes as 8-bit grey PNG (255 = sky) or float32 PFM, chosen by extension,
 * written atomically. Reading accepts any picture (grey or the mean of RGB). */
sc_status sc_matte_write(const char *path, const sc_matte *matte, sc_error *err);
sc_status sc_matte_read(const char *path, sc_matte *out, sc_error *err);
void sc_matte_free(sc_matte *matte);

/* ---- the model ---------------------------------------------------------- */

typedef struct sc_model sc_model;

/* Loads and validates a .safetensors model (every tensor checked). */
sc_status sc_model_load(const char *path, sc_model **out, sc_error *err);
void sc_model_free(sc_model *model);
/* A one-line identity: file name, format version, canvas sizes, name/version
 * from the metadata. Valid while the model is loaded. */
const char *sc_model_describe(const sc_model *model);

/* ---- the pipeline -------------------------------------------------------- */

/* Sky matte of img at img's size. */
sc_status sc_matte_compute(sc_model *model, const sc_image *img,
                           const sc_options *opt, sc_matte *out, sc_error *err);

/* Puts the sky of `sky` into `scene`. Mattes must match their picture's size.
 * SC_ERR_SCENE_NO_SKY: out receives a copy of the scene (not an error for a
 * caller that only wants "a picture back"); SC_ERR_NO_SKY: out is untouched. */
sc_status sc_replace_sky(const sc_image *scene, const sc_matte *scene_matte,
                         const sc_image *sky, const sc_matte *sky_matte,
                         const sc_options *opt, sc_image *out, sc_error *err);

/* Per-stage wall times of the last calls on this thread, in seconds. coarse:
 * the coarse net over all its views and the label; matte_other: preprocessing
 * and resizing the matte to the picture. */
typedef struct sc_timings {
    double decode, coarse, refine, matte_other, blend, encode;
} sc_timings;
sc_timings *sc_timings_thread(void);

#ifdef __cplusplus
}
#endif
#endif
