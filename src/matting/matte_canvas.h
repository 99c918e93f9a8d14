/* The matte with a chosen refine canvas and output size (matte_compute.c), for
 * bench/bench_sky_matte's comparison of the sky patch search on reduced mattes. */
#ifndef SC_MATTING_MATTE_CANVAS_H
#define SC_MATTING_MATTE_CANVAS_H

#include "nets/config.h"
#include "skychange.h"

typedef struct sc_matte_size {
    int refine_canvas;   /* 0: the model's; else a multiple of 32 up to it */
    int coarse_only;     /* 1: the coarse label (0 or 1) is the matte, no refiner */
    int width, height;   /* of the returned matte, at most the picture's; 0: the picture's */
    const sc_coarse_views *views; /* the coarse views to run; NULL: the model's */
} sc_matte_size;

/* sc_matte_compute with these settings; the matte then spans the whole
 * picture at width x height. */
sc_status sc_matte_compute_sized(const sc_model *model, const sc_image *img, const sc_options *opt,
                                 const sc_matte_size *size, sc_matte *out, sc_error *err);
int sc_model_refine_size(const sc_model *model);

#endif
