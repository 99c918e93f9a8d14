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
 *     with the matching *_free call (encoded buffers with sc_buffer_free).
 * docs/api.md describes the calls, who frees what, errors and threads.
 */
#ifndef SKYCHANGE_H
#define SKYCHANGE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the shared library exports: these calls and nothing else (the library
 * is built with hidden visibility). */
#if defined(__GNUC__)
#define SC_API __attribute__((visibility("default")))
#else
#define SC_API
#endif

#if defined(__GNUC__)
#define SC_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define SC_PRINTF(fmt_index, first_arg)
#endif

/* The version of this header; sc_version() gives the library's, which can
 * differ when a program runs against another build of the shared library. */
#define SC_VERSION_MAJOR 0
#define SC_VERSION_MINOR 3
#define SC_VERSION_PATCH 0
#define SC_VERSION_STRING "0.3.0"

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

/* An 8-bit RGB picture, and the metadata of the file it was read from. The
 * readers fill exif and icc (NULL and 0 when the file has none); the writers
 * of every type but BMP write them; sc_image_free frees them. */
typedef struct sc_image {
    int width, height;
    uint8_t *rgb;     /* width*height*3 bytes */
    uint8_t *exif;    /* EXIF as a TIFF structure ("II" or "MM" first), the form of
                       * PNG's eXIf chunk: Orientation 1 (rgb is upright),
                       * PixelXDimension/PixelYDimension (when present) the
                       * upright size, no thumbnail; at most SC_EXIF_MAX bytes */
    size_t exif_size;
    uint8_t *icc;     /* the ICC colour profile, as stored: rgb is in its colour
                       * space, not converted; at most SC_ICC_MAX bytes */
    size_t icc_size;
} sc_image;

/* The most metadata a JPEG holds: one APP1 segment of EXIF, 255 APP2
 * segments of ICC profile. */
#define SC_EXIF_MAX 65527u
#define SC_ICC_MAX (255u * 65519u)

/* A sky matte at a picture's size: 1 = sky. */
typedef struct sc_matte {
    int width, height;
    float *alpha; /* width*height values in [0,1] */
} sc_matte;

typedef struct sc_options {
    int threads; /* <= 0: all cores */
    int compat;  /* 1: reproduce the original tool bit for bit, bugs included */

    /* The look (sc_replace_sky). Each is off at its default, and the result
     * is then the plain default mode's, byte for byte; compat refuses them
     * (SC_ERR_INVALID_ARG). Ranges are checked by sc_options_check. */
    float harmonize;      /* 0..1: relight the scene's ground towards the new sky
                           * (exposure, white balance, contrast in Lab) and let
                           * the sky's colour haze the distance; 0 = off */
    float sky_scale;      /* >= 1 (at most 8): zoom into the sky patch; 1 = off */
    float sky_offset_x;   /* -1..1: where the patch sits in its free range */
    float sky_offset_y;   /*   (-1 left/top, 0 centre = off, 1 right/bottom) */
    int flip_sky;         /* 1: mirror the sky photo (and its matte) horizontally */
    int sky_plate;        /* 1: the sky photo is all sky: the whole photo is the
                           * patch and its matte is not used (may be NULL) */
    float edge_shift;     /* pixels at the scene's size, -500..500: > 0 grows the
                           * scene's sky matte, < 0 shrinks it; 0 = off */
    float edge_fade;      /* pixels, 0..500: widens the matte's transition; 0 = off */
    float sky_brightness; /* -1..1: exposure of the new sky, in stops; 0 = off */
    float sky_temperature;/* kelvin, -3000..3000: > 0 warmer, < 0 cooler; 0 = off */

    int reproducible;     /* 1: the same bytes on every x86-64 CPU (one summation
                           * order on every instruction set, no fused
                           * multiply-add, no CPU-picked libm functions); slower.
                           * docs/reproducible.md */
} sc_options;

/* Defaults: all cores, fixed (non-compat) behaviour, every look control off. */
SC_API sc_options sc_options_default(void);
/* SC_OK, or SC_ERR_INVALID_ARG naming the first field out of its range (or a
 * look control combined with compat). */
SC_API sc_status sc_options_check(const sc_options *opt, sc_error *err);
/* 1 when any look control is on. */
SC_API int sc_options_look_on(const sc_options *opt);

SC_API const char *sc_status_name(sc_status status);
/* Fills err (when not NULL) the way the library's calls do and returns status,
 * so that a caller's own steps can report through the same sc_error. */
SC_API sc_status sc_error_set(sc_error *err, sc_status status, const char *fmt, ...)
    SC_PRINTF(3, 4);

/* ---- pictures ---------------------------------------------------------- */

/* The file types the writers produce: pictures as PNG, JPEG, BMP, WebP, TIFF
 * or HEIC; mattes as PNG (8-bit grey) or PFM (float32). */
typedef enum sc_file_type {
    SC_FILE_PNG,
    SC_FILE_JPEG,
    SC_FILE_BMP,
    SC_FILE_PFM,
    SC_FILE_WEBP, /* quality 1..99 lossy, 100 lossless */
    SC_FILE_TIFF, /* 8-bit RGB, Deflate-compressed */
    SC_FILE_HEIC  /* HEVC (lossy), when libheif has an HEVC encoder */
} sc_file_type;

/* The file type that an output name's extension (without the dot, any case:
 * "webp", "JPG") asks for: pictures (matte 0) as png, jpg, jpeg, bmp, webp,
 * tif, tiff or heic, mattes (matte 1) as png or pfm. Returns 1 and sets *type
 * (when type is not NULL) when this build writes it; -1 and sets *type for
 * heic when libheif is not installed or has no HEVC encoder; 0 for any other
 * extension. */
SC_API int sc_output_type(const char *extension, int matte, sc_file_type *type);
/* The extensions sc_output_type accepts, for messages and help texts:
 * ".png, .jpg, .jpeg, .bmp, .webp, .tif, .tiff or .heic". */
SC_API const char *sc_output_types(int matte);

/* Reads PNG, JPEG, BMP, TGA, WebP, TIFF (8 or 16 bits per sample) and
 * HEIF/HEIC, recognised by their first bytes; turns the pixels upright by the
 * EXIF orientation (JPEG, WebP), the TIFF orientation tag, or the HEIF
 * transformations; drops alpha. */
SC_API sc_status sc_image_read(const char *path, sc_image *out, sc_error *err);
/* Reads from memory; name is only used in error messages. */
SC_API sc_status sc_image_read_memory(const void *data, size_t size, const char *name,
                               sc_image *out, sc_error *err);
/* Reads from the stream's position to its end (the stream stays open); name
 * is only used in error messages. */
SC_API sc_status sc_image_read_stream(FILE *file, const char *name, sc_image *out,
                                      sc_error *err);
/* Writes the picture as the extension of path asks (sc_output_type),
 * atomically: a temporary file in the same folder is renamed into place on
 * success. jpeg_quality (1..100) is the quality of JPEG, WebP and HEIC; WebP
 * at 100 is lossless. EXIF and the ICC profile go into PNG, JPEG, WebP, TIFF
 * and HEIC files (TIFF keeps the ICC profile and the camera, date and
 * description fields of EXIF's first directory only). */
SC_API sc_status sc_image_write(const char *path, const sc_image *img, int jpeg_quality,
                         sc_error *err);
/* Writes to a stream (e.g. stdout) and flushes it; jpeg_quality is used by
 * JPEG, WebP and HEIC only. name is only used in error messages. On failure part of
 * the picture may already be in the stream. */
SC_API sc_status sc_image_write_stream(FILE *file, const char *name, const sc_image *img,
                                       sc_file_type type, int jpeg_quality, sc_error *err);
/* Encodes into a new buffer: *data (free it with sc_buffer_free) of *size
 * bytes; on failure *data is NULL. */
SC_API sc_status sc_image_encode(const sc_image *img, sc_file_type type, int jpeg_quality,
                                 void **data, size_t *size, sc_error *err);
/* Replaces dst's exif and icc with copies of src's (none when src has none),
 * e.g. to give sc_replace_sky's result the scene's metadata. On failure dst
 * keeps none. */
SC_API sc_status sc_image_copy_metadata(sc_image *dst, const sc_image *src, sc_error *err);
SC_API void sc_image_free(sc_image *img);

/* Mattes as 8-bit grey PNG (255 = sky) or float32 PFM, chosen by extension,
 * written atomically. Reading accepts any picture (grey or the mean of RGB). */
SC_API sc_status sc_matte_write(const char *path, const sc_matte *matte, sc_error *err);
SC_API sc_status sc_matte_read(const char *path, sc_matte *out, sc_error *err);
/* The same from memory and from a stream, and to a stream and a new buffer, as
 * the sc_image_* calls of those names do; type is SC_FILE_PNG or SC_FILE_PFM. */
SC_API sc_status sc_matte_read_memory(const void *data, size_t size, const char *name,
                                      sc_matte *out, sc_error *err);
SC_API sc_status sc_matte_read_stream(FILE *file, const char *name, sc_matte *out,
                                      sc_error *err);
SC_API sc_status sc_matte_write_stream(FILE *file, const char *name, const sc_matte *matte,
                                       sc_file_type type, sc_error *err);
SC_API sc_status sc_matte_encode(const sc_matte *matte, sc_file_type type, void **data,
                                 size_t *size, sc_error *err);
SC_API void sc_matte_free(sc_matte *matte);

/* Frees a buffer from sc_image_encode or sc_matte_encode; NULL is ignored. */
SC_API void sc_buffer_free(void *data);

/* ---- the model ---------------------------------------------------------- */

/* "MAJOR.MINOR.PATCH" of the library. */
SC_API const char *sc_version(void);

/* The default model, as the command-line tool finds it: $SKYCHANGE_MODEL if
 * set, else the first that exists of the installed model
 * (<prefix>/share/skychange/skychange-default.safetensors), the source tree's
 * models/ file, and ../share/skychange/ beside the running executable. Writes
 * the path into buf; SC_ERR_MODEL naming every place tried when none exists. */
SC_API sc_status sc_default_model_path(char *buf, size_t size, sc_error *err);

/* Threads: a loaded model's networks are read-only until sc_model_free (the
 * workspace it keeps between calls, sc_model_trim, is taken and handed back
 * under a lock), so any number of threads may run sc_matte_compute and
 * sc_replace_sky at the same time, on one model and on shared input pictures
 * and mattes, each call with its own working memory. opt->threads applies to
 * that call alone, whatever other threads ask for: the library never calls
 * omp_set_num_threads, so the caller's OpenMP setting stays as it was. Results
 * do not depend on opt->threads. On CPUs without AVX2, where matrix products
 * go to OpenBLAS, the first one sets OpenBLAS to one thread, once and
 * process-wide (its count cannot be given per call, and the library's own
 * threads already split the work). sc_model_free must not overlap a call that
 * uses the model, and an output object belongs to one call at a time.
 * docs/api.md has the rest.
 */
typedef struct sc_model sc_model;

/* Loads and validates a .safetensors model (every tensor checked). */
SC_API sc_status sc_model_load(const char *path, sc_model **out, sc_error *err);
SC_API void sc_model_free(sc_model *model);
/* Unmaps the working memory a model keeps between calls. Each call hands its
 * activation workspace (about 130-200 MB with the default model, 1 GB and
 * more with the original's full-size networks) back to the model, so that the
 * next call reuses pages already mapped instead of faulting in new ones; one
 * such workspace is kept. Safe at any time, also while calls run. */
SC_API void sc_model_trim(sc_model *model);
/* For programs that process many pictures: asks the C library to keep the
 * memory one picture's buffers free for the next picture's, instead of giving
 * it back to the system, where every page would cost a fault and zeroing when
 * touched again (about 10 % of a 2560x1600 pair processed over and over on a
 * 2-core VM; docs/speed.md). Process-wide (glibc's malloc: blocks up to 32 MB
 * from its heaps, freed memory kept up to 1 GB), so the library never sets it
 * itself; the skychange command does. 0 when set, -1 where the C library has
 * no such setting. */
SC_API int sc_keep_freed_memory(void);

/* The worker count of the calling thread's calls that take no sc_options:
 * picture and matte reads, writes and encodes (the PNG encoder and the mapping
 * of large buffers use several). n <= 0: all cores, the default. Returns the
 * setting it replaces (0: all cores). Calls with sc_options use opt->threads
 * and leave this setting as they found it. The skychange command sets it to
 * its --threads on each thread it reads or writes pictures on. */
SC_API int sc_set_default_threads(int n);

/* For programs that use OpenBLAS only through this library: stops the worker
 * threads OpenBLAS starts when it is loaded (they spin for about a tenth of a
 * second before they sleep, taking a core from the library's own workers) and
 * keeps OpenBLAS on its calling thread, where the library runs it anyway.
 * Process-wide, so the library never does it by itself; the skychange command
 * does, first thing. Call it before any other thread uses OpenBLAS. 0 when
 * done, -1 where the BLAS linked has no such call (nothing is changed then). */
SC_API int sc_stop_openblas_threads(void);
/* A one-line identity: file name, format version, canvas sizes, name/version
 * from the metadata. Valid while the model is loaded. */
SC_API const char *sc_model_describe(const sc_model *model);

/* ---- the pipeline -------------------------------------------------------- */

/* Sky matte of img at img's size. */
SC_API sc_status sc_matte_compute(const sc_model *model, const sc_image *img,
                           const sc_options *opt, sc_matte *out, sc_error *err);

/* Puts the sky of `sky` into `scene`. Mattes must match their picture's size
 * (sky_matte may be NULL with opt->sky_plate).
 * SC_ERR_SCENE_NO_SKY: out receives a copy of the scene (not an error for a
 * caller that only wants "a picture back"); SC_ERR_NO_SKY: out is untouched. */
SC_API sc_status sc_replace_sky(const sc_image *scene, const sc_matte *scene_matte,
                         const sc_image *sky, const sc_matte *sky_matte,
                         const sc_options *opt, sc_image *out, sc_error *err);

/* Per-stage wall times, in seconds, added up over the calls made on this
 * thread since the caller last zeroed them (*sc_timings_thread() =
 * (sc_timings){0}). decode: every sc_image_read* and sc_matte_read* call;
 * encode: every writer and encoder; coarse: the coarse net over all its views
 * and the label; matte_other: preprocessing and resizing the matte to the
 * picture; blend: sc_replace_sky. */
typedef struct sc_timings {
    double decode, coarse, refine, matte_other, blend, encode;
} sc_timings;
SC_API sc_timings *sc_timings_thread(void);
/* Monotonic seconds: the clock of sc_timings, so that a caller's own steps
 * are timed on the same scale. */
SC_API double sc_monotonic_seconds(void);

#ifdef __cplusplus
}
#endif
#endif
