/*
 * The coarse label plane, the refiner's fourth input: argmax over classes of
 * the coarse logits resized to the refine canvas (spec 1.4). A model with
 * coarse views (docs/model-format.md) sums the class probabilities of the
 * coarse net over every view instead: each size, as is and mirrored, a cheap
 * ensemble that steadies the label where one view hesitates.
 */
#ifndef SC_MATTING_LABEL_H
#define SC_MATTING_LABEL_H

#include "core/tensor.h"
#include "nets/model.h"
#include "nets/netctx.h"

/* rgb: the normalised picture on the refine canvas (3 planes); label: one
 * plane of that canvas, written with class indices as floats. views: the
 * coarse views to run, NULL for the model's own. Uses the context's arena
 * above its current mark and releases it. */
void sc_coarse_label(sc_net_ctx *ctx, const sc_model *model, const sc_coarse_views *views,
                     const sc_tensor *rgb, float *label);

#endif
