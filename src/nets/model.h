/* The loaded model behind the public sc_model handle. */
#ifndef SC_NETS_MODEL_H
#define SC_NETS_MODEL_H

#include "nets/coarse.h"
#include "nets/config.h"
#include "nets/refine.h"
#include "nets/weights.h"
#include "core/workspace_pool.h"
#include "skychange.h"

#define SC_MODEL_FORMAT "skychange"
#define SC_MODEL_FORMAT_VERSION "1"

struct sc_model {
    char description[640];
    sc_model_config cfg;
    sc_weights weights;
    sc_coarse_net coarse;
    sc_refine_net refine;
    /* The one part that calls change, under its own lock: the arena a finished
     * call leaves for the next (core/workspace_pool.h). Its own allocation, so
     * that the model a call sees can stay const. */
    sc_workspace_pool *workspaces;
};

/* Builds both networks from a config JSON and a tensor source; `source` names
 * the origin in messages. Used by sc_model_load and by benchmarks (with
 * bench/helper_random_weights.h for a full-size model without a file). */
sc_status sc_model_build(const char *config_json, const char *source, sc_tensor_read_fn read,
                         void *read_ctx, sc_model **out, sc_error *err);

/* Convolution scratch the model's deepest convolution asks for on `threads`
 * workers: what a forward pass needs beside its activations. */
size_t sc_model_conv_scratch_bytes(const sc_model *m, int threads);

#endif
