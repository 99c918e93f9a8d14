/*
 * The architecture and preprocessing of a model, read from the `config`
 * metadata JSON of the model file (docs/model-format.md). Everything the
 * networks need to know about their shape lives here.
 */
#ifndef SC_NETS_CONFIG_H
#define SC_NETS_CONFIG_H

#include "skychange.h"

#define SC_MAX_STAGES 3                    /* HRNet stages after layer1 */
#define SC_MAX_BRANCHES (SC_MAX_STAGES + 1) /* each stage adds one branch */
#define SC_REFINE_LEVELS 5
#define SC_MAX_COARSE_SIZES 4

typedef enum sc_block_type { SC_BLOCK_BASIC, SC_BLOCK_BOTTLENECK } sc_block_type;

/* Channel multiplier of a block's output (HRNet convention). */
static inline int sc_block_expansion(sc_block_type t) { return t == SC_BLOCK_BOTTLENECK ? 4 : 1; }

/* One residual layer: `blocks` blocks of `channels` planes. */
typedef struct sc_layer_cfg {
    sc_block_type block;
    int blocks, channels;
} sc_layer_cfg;

/* One HRNet stage: `modules` HR modules of `branches` parallel branches. */
typedef struct sc_stage_cfg {
    int modules, branches;
    sc_block_type block;
    int blocks[SC_MAX_BRANCHES], channels[SC_MAX_BRANCHES];
} sc_stage_cfg;

typedef struct sc_aspp_cfg {
    int present;
    int out;
    int dilations[4];
} sc_aspp_cfg;

typedef struct sc_coarse_cfg {
    int super_first; /* 1: super stage then ASPP/OCR; 0: ASPP/OCR at 1/4, then super */
    int class_num;
    int stem_channels;
    sc_layer_cfg layer1;
    int stage_count;
    sc_stage_cfg stages[SC_MAX_STAGES];
    int has_tail;
    sc_layer_cfg tail;
    sc_stage_cfg super; /* always 2 branches */
    sc_aspp_cfg aspp;
    int ocr_mid, ocr_key, ocr_scale;
} sc_coarse_cfg;

typedef struct sc_refine_cfg {
    int in_channels;
    int widths[SC_REFINE_LEVELS];
    sc_aspp_cfg aspp;
    /* Black and white points of the matte: the sigmoid never reaches 0 or 1,
     * so a trained model may map [black, white] onto [0, 1]. {0, 1}: none. */
    float levels[2];
} sc_refine_cfg;

/* Optional test-time views of the coarse net: the label is the argmax of its
 * class probabilities averaged over every size, as is and (with flip)
 * mirrored. count 0: one plain view at coarse_size, argmax of the logits. */
typedef struct sc_coarse_views {
    int count; /* entries in sizes */
    int sizes[SC_MAX_COARSE_SIZES];
    int flip;
} sc_coarse_views;

typedef struct sc_model_config {
    char name[128], version[64];
    int coarse_size, refine_size;
    sc_coarse_views coarse_views;
    float mean[3], std[3];
    sc_coarse_cfg coarse;
    sc_refine_cfg refine;
} sc_model_config;

/* Parses and validates the config JSON; `source` (the model file) names the
 * origin in error messages. */
sc_status sc_config_parse(const char *json, const char *source, sc_model_config *cfg,
                          sc_error *err);

#endif
