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

/* Limits of the HRNet layout; they refuse absurd configs before the arrays of
 * blocks and modules are allocated (HRNet-W48 has at most 4 of each). */
#define SC_MAX_BLOCKS 64  /* blocks of one layer or branch */
#define SC_MAX_MODULES 64 /* modules of one stage */

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

/* Limits of the optional MobileNetV2 encoder; they refuse absurd configs
 * before anything is allocated (torchvision's widest layer is 960). */
#define SC_MAX_ENCODER_ROWS 16
#define SC_MAX_ENCODER_FEATURES 64 /* features[0] (stem conv) and the blocks */
#define SC_MAX_ENCODER_TAPS (SC_MAX_BRANCHES + 1)
#define SC_MAX_ENCODER_WIDTH 4096 /* any map, expanded ones included */
#define SC_MAX_ENCODER_EXPAND 32

/* One row of inverted-residual blocks; the first block has the stride. */
typedef struct sc_encoder_row {
    int expand, channels, repeats, stride;
} sc_encoder_row;

/* A MobileNetV2 encoder in place of the HRNet stem, layer1 and first
 * branches: taps[] are features indices, taps[0] the 1/2-resolution map of
 * the super stage, taps[1..] the HRNet branches at 1/4, 1/8, ... */
typedef struct sc_encoder_cfg {
    int present;
    int stem_channels;
    int row_count;
    sc_encoder_row rows[SC_MAX_ENCODER_ROWS];
    int tap_count;
    int taps[SC_MAX_ENCODER_TAPS];
} sc_encoder_cfg;

/* features[index] of an encoder, unrolled from its rows. */
typedef struct sc_encoder_feature {
    int cin, cout, expand, stride; /* expand 0: the stem conv (features[0]) */
    int scale;                     /* output resolution is 1/scale of the input */
} sc_encoder_feature;

/* Fills f with features[index] (0 <= index < sc_encoder_feature_count). */
void sc_encoder_feature_at(const sc_encoder_cfg *e, int index, sc_encoder_feature *f);
int sc_encoder_feature_count(const sc_encoder_cfg *e);
/* The most the encoder holds at once (a block's input, expansion, depthwise
 * output and output, plus the taps kept so far), counted in channels of a
 * 1/2-resolution map; 0 without an encoder. Sizes the workspace. */
long sc_encoder_peak_width(const sc_encoder_cfg *e);

typedef struct sc_coarse_cfg {
    int super_first; /* 1: super stage then ASPP/OCR; 0: ASPP/OCR at 1/4, then super */
    int class_num;
    sc_encoder_cfg encoder; /* present: replaces stem_channels and layer1 */
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
