/* The matte with a chosen refine canvas (matte_compute.c), for bench/bench_sky_matte:
 * would a smaller canvas give the sky photo's patch for less? (Measured: not
 * reliably; the product mattes at the model's canvas.) */
#ifndef SC_MATTING_MATTE_CANVAS_H
#define SC_MATTING_MATTE_CANVAS_H

#include "skychange.h"

/* refine_size: an even canvas of at least 32 (a multiple of 32 keeps the
 * refiner's pooling exact). */
sc_status sc_matte_compute_canvas(const sc_model *model, const sc_image *img,
                                  const sc_options *opt, int refine_size, sc_matte *out,
                                  sc_error *err);
int sc_model_refine_size(const sc_model *model);

#endif
