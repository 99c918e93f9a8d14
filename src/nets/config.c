#include "nets/config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"

/* Parsing context: every failure names the file and the JSON path. */
typedef struct parser {
    const char *source;
    sc_error *err;
} parser;

static sc_status bad(parser *p, const char *where, const char *problem)
{
    return sc_fail(p->err, SC_ERR_MODEL, "%s: config: %s %s", p->source, where, problem);
}

static const cJSON *member(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* A positive integer member. */
static sc_status get_int(parser *p, const cJSON *obj, const char *key, const char *where, int min,
                         int *out)
{
    const cJSON *v = member(obj, key);
    char path[160];
    snprintf(path, sizeof path, "%s.%s", where, key);
    if (!cJSON_IsNumber(v))
        return bad(p, path, "is missing or not a number");
    double d = v->valuedouble;
    /* The range first: converting a double outside int's range is undefined. */
    if (!(d >= (double)min && d <= 1e6) || d != (double)(int)d) {
        char what[64];
        snprintf(what, sizeof what, "must be an integer >= %d", min);
        return bad(p, path, what);
    }
    *out = (int)d;
    return SC_OK;
}

/* The integers of a JSON array; `path` names it in errors. */
static sc_status read_int_array(parser *p, const cJSON *arr, const char *path, int min, int max_len,
                                int *out, int *len)
{
    if (!cJSON_IsArray(arr))
        return bad(p, path, "is missing or not an array");
    int n = cJSON_GetArraySize(arr);
    if (n < 1 || n > max_len) {
        char what[64];
        snprintf(what, sizeof what, "must have 1 to %d entries", max_len);
        return bad(p, path, what);
    }
    for (int i = 0; i < n; i++) {
        const cJSON *v = cJSON_GetArrayItem(arr, i);
        if (!cJSON_IsNumber(v) || !(v->valuedouble >= (double)min && v->valuedouble <= 1e6) ||
            v->valuedouble != (double)(int)v->valuedouble) {
            char what[64];
            snprintf(what, sizeof what, "entries must be integers >= %d", min);
            return bad(p, path, what);
        }
        out[i] = (int)v->valuedouble;
    }
    *len = n;
    return SC_OK;
}

static sc_status get_int_array(parser *p, const cJSON *obj, const char *key, const char *where,
                               int min, int max_len, int *out, int *len)
{
    char path[160];
    snprintf(path, sizeof path, "%.100s.%.50s", where, key);
    return read_int_array(p, member(obj, key), path, min, max_len, out, len);
}

static sc_status get_block(parser *p, const cJSON *obj, const char *where, sc_block_type *out)
{
    const cJSON *v = member(obj, "block");
    char path[160];
    snprintf(path, sizeof path, "%s.block", where);
    if (!cJSON_IsString(v))
        return bad(p, path, "is missing or not a string");
    if (strcmp(v->valuestring, "BASIC") == 0)
        *out = SC_BLOCK_BASIC;
    else if (strcmp(v->valuestring, "BOTTLENECK") == 0)
        *out = SC_BLOCK_BOTTLENECK;
    else
        return bad(p, path, "must be BASIC or BOTTLENECK");
    return SC_OK;
}

static sc_status get_object(parser *p, const cJSON *obj, const char *key, const char *where,
                            int nullable, const cJSON **out)
{
    const cJSON *v = member(obj, key);
    char path[160];
    snprintf(path, sizeof path, "%s.%s", where, key);
    if (nullable && (v == NULL || cJSON_IsNull(v))) {
        *out = NULL;
        return SC_OK;
    }
    if (!cJSON_IsObject(v))
        return bad(p, path, nullable ? "must be an object or null" : "is missing or not an object");
    *out = v;
    return SC_OK;
}

static sc_status get_string(parser *p, const cJSON *obj, const char *key, const char *where,
                            char *out, size_t size)
{
    const cJSON *v = member(obj, key);
    char path[160];
    snprintf(path, sizeof path, "%s.%s", where, key);
    if (!cJSON_IsString(v))
        return bad(p, path, "is missing or not a string");
    if (strlen(v->valuestring) >= size)
        return bad(p, path, "is too long");
    strcpy(out, v->valuestring);
    return SC_OK;
}

static sc_status parse_layer(parser *p, const cJSON *obj, const char *where, sc_layer_cfg *l)
{
    sc_status s;
    if ((s = get_block(p, obj, where, &l->block)) != SC_OK ||
        (s = get_int(p, obj, "blocks", where, 1, &l->blocks)) != SC_OK ||
        (s = get_int(p, obj, "channels", where, 1, &l->channels)) != SC_OK)
        return s;
    if (l->blocks > SC_MAX_BLOCKS) {
        char path[160];
        snprintf(path, sizeof path, "%s.blocks", where);
        return bad(p, path, "must be 1 to 64");
    }
    return SC_OK;
}

static sc_status parse_stage(parser *p, const cJSON *obj, const char *where, int branches,
                             sc_stage_cfg *st)
{
    sc_status s;
    int nb = 0, nc = 0;
    if ((s = get_int(p, obj, "modules", where, 1, &st->modules)) != SC_OK ||
        (s = get_block(p, obj, where, &st->block)) != SC_OK ||
        (s = get_int_array(p, obj, "blocks", where, 1, SC_MAX_BRANCHES, st->blocks, &nb)) != SC_OK ||
        (s = get_int_array(p, obj, "channels", where, 1, SC_MAX_BRANCHES, st->channels, &nc)) !=
            SC_OK)
        return s;
    if (nb != nc)
        return bad(p, where, "has different numbers of entries in blocks and channels");
    if (nb != branches) {
        char what[64];
        snprintf(what, sizeof what, "must have %d branches (blocks/channels entries)", branches);
        return bad(p, where, what);
    }
    char path[160];
    snprintf(path, sizeof path, "%s.modules", where);
    if (st->modules > SC_MAX_MODULES)
        return bad(p, path, "must be 1 to 64");
    snprintf(path, sizeof path, "%s.blocks", where);
    for (int b = 0; b < nb; b++)
        if (st->blocks[b] > SC_MAX_BLOCKS)
            return bad(p, path, "entries must be 1 to 64");
    st->branches = branches;
    return SC_OK;
}

static sc_status parse_aspp(parser *p, const cJSON *parent, const char *where, sc_aspp_cfg *a)
{
    const cJSON *obj = NULL;
    sc_status s = get_object(p, parent, "aspp", where, 1, &obj);
    if (s != SC_OK)
        return s;
    memset(a, 0, sizeof *a);
    if (!obj)
        return SC_OK;
    char path[160];
    snprintf(path, sizeof path, "%s.aspp", where);
    int n = 0;
    if ((s = get_int(p, obj, "out", path, 1, &a->out)) != SC_OK ||
        (s = get_int_array(p, obj, "dilations", path, 1, 4, a->dilations, &n)) != SC_OK)
        return s;
    if (n != 4)
        return bad(p, path, "dilations must have 4 entries");
    a->present = 1;
    return SC_OK;
}

static sc_status parse_float3(parser *p, const cJSON *obj, const char *key, const char *where,
                              int nonzero, float *out)
{
    const cJSON *arr = member(obj, key);
    char path[160];
    snprintf(path, sizeof path, "%s.%s", where, key);
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) != 3)
        return bad(p, path, "must be an array of 3 numbers");
    for (int i = 0; i < 3; i++) {
        const cJSON *v = cJSON_GetArrayItem(arr, i);
        if (!cJSON_IsNumber(v) || (nonzero && v->valuedouble == 0.0))
            return bad(p, path, nonzero ? "must hold 3 non-zero numbers" : "must hold 3 numbers");
        /* The original converts the Python floats to float32 once. */
        out[i] = (float)v->valuedouble;
    }
    return SC_OK;
}

/* Five halvings (floor mode) must leave at least one pixel. */
static sc_status check_canvas(parser *p, const char *where, int size)
{
    if (size < 32 || size % 2 != 0 || size > 16384)
        return bad(p, where, "must be an even number between 32 and 16384");
    return SC_OK;
}

/* Optional preprocess.coarse_views: {"sizes": [...], "flip": true|false}. */
static sc_status parse_coarse_views(parser *p, const cJSON *pre, int coarse_size,
                                    sc_coarse_views *v)
{
    const cJSON *obj = NULL;
    sc_status s = get_object(p, pre, "coarse_views", "preprocess", 1, &obj);
    memset(v, 0, sizeof *v);
    if (s != SC_OK || !obj)
        return s;
    int has_training_size = 0;
    if ((s = get_int_array(p, obj, "sizes", "preprocess.coarse_views", 1, SC_MAX_COARSE_SIZES,
                           v->sizes, &v->count)) != SC_OK)
        return s;
    for (int i = 0; i < v->count; i++) {
        if ((s = check_canvas(p, "preprocess.coarse_views.sizes", v->sizes[i])) != SC_OK)
            return s;
        has_training_size |= v->sizes[i] == coarse_size;
    }
    if (!has_training_size)
        return bad(p, "preprocess.coarse_views.sizes", "must include preprocess.coarse_size");
    const cJSON *flip = member(obj, "flip");
    if (!cJSON_IsBool(flip))
        return bad(p, "preprocess.coarse_views.flip", "is missing or not true/false");
    v->flip = cJSON_IsTrue(flip);
    return SC_OK;
}

static sc_status parse_preprocess(parser *p, const cJSON *root, sc_model_config *cfg)
{
    const cJSON *pre = NULL;
    sc_status s = get_object(p, root, "preprocess", "config", 0, &pre);
    if (s != SC_OK)
        return s;
    if ((s = get_int(p, pre, "coarse_size", "preprocess", 1, &cfg->coarse_size)) != SC_OK ||
        (s = get_int(p, pre, "refine_size", "preprocess", 1, &cfg->refine_size)) != SC_OK ||
        (s = check_canvas(p, "preprocess.coarse_size", cfg->coarse_size)) != SC_OK ||
        (s = check_canvas(p, "preprocess.refine_size", cfg->refine_size)) != SC_OK ||
        (s = parse_float3(p, pre, "mean", "preprocess", 0, cfg->mean)) != SC_OK ||
        (s = parse_float3(p, pre, "std", "preprocess", 1, cfg->std)) != SC_OK ||
        (s = parse_coarse_views(p, pre, cfg->coarse_size, &cfg->coarse_views)) != SC_OK)
        return s;
    return SC_OK;
}

/* ---- the optional MobileNetV2 encoder ------------------------------------- */

static sc_status parse_encoder_rows(parser *p, const cJSON *enc, sc_encoder_cfg *e)
{
    const cJSON *rows = member(enc, "blocks");
    if (!cJSON_IsArray(rows))
        return bad(p, "coarse.encoder.blocks", "is missing or not an array");
    e->row_count = cJSON_GetArraySize(rows);
    if (e->row_count < 1 || e->row_count > SC_MAX_ENCODER_ROWS)
        return bad(p, "coarse.encoder.blocks", "must have 1 to 16 rows");
    int features = 1, width = e->stem_channels;
    for (int i = 0; i < e->row_count; i++) {
        char where[64];
        int v[4], n = 0;
        snprintf(where, sizeof where, "coarse.encoder.blocks[%d]", i);
        sc_status s = read_int_array(p, cJSON_GetArrayItem(rows, i), where, 1, 4, v, &n);
        if (s != SC_OK)
            return s;
        if (n != 4)
            return bad(p, where, "must be [expand, channels, repeats, stride]");
        sc_encoder_row r = {v[0], v[1], v[2], v[3]};
        if (r.expand > SC_MAX_ENCODER_EXPAND)
            return bad(p, where, "expand must be 1 to 32");
        if (r.channels > SC_MAX_ENCODER_WIDTH)
            return bad(p, where, "channels must be 1 to 4096");
        if (r.stride != 1 && r.stride != 2)
            return bad(p, where, "stride must be 1 or 2");
        features += r.repeats;
        if (r.repeats > SC_MAX_ENCODER_FEATURES || features > SC_MAX_ENCODER_FEATURES)
            return bad(p, where, "makes more than 64 features (repeats too large)");
        /* The widest map of a row is its first block's or a later one's expansion. */
        int in_widest = width > r.channels ? width : r.channels;
        if ((long)in_widest * r.expand > SC_MAX_ENCODER_WIDTH)
            return bad(p, where, "expands to more than 4096 channels");
        e->rows[i] = r;
        width = r.channels;
    }
    return SC_OK;
}

/* taps: strictly increasing features indices, taps[k] at 1/2^(k+1) resolution
 * (the stem map of the super stage at 1/2, then the branches at 1/4, 1/8, ...
 * as the HRNet fusion's stride-2 convolutions need). */
static sc_status parse_encoder_taps(parser *p, const cJSON *enc, sc_encoder_cfg *e)
{
    const char *where = "coarse.encoder.taps";
    const cJSON *arr = member(enc, "taps");
    const int n = cJSON_GetArraySize(arr);
    if (cJSON_IsArray(arr) && (n < 2 || n > SC_MAX_ENCODER_TAPS))
        return bad(p, where, "must have 2 to 5 entries (the 1/2 map and 1 to 4 branches)");
    sc_status s = read_int_array(p, arr, where, 0, SC_MAX_ENCODER_TAPS, e->taps, &e->tap_count);
    if (s != SC_OK)
        return s;
    const int features = sc_encoder_feature_count(e);
    for (int k = 0; k < e->tap_count; k++) {
        char what[128], path[64];
        if (k > 0 && e->taps[k] <= e->taps[k - 1])
            return bad(p, where, "must be strictly increasing");
        if (e->taps[k] >= features) {
            snprintf(what, sizeof what, "entries must be features indices below %d", features);
            return bad(p, where, what);
        }
        sc_encoder_feature f;
        sc_encoder_feature_at(e, e->taps[k], &f);
        if (f.scale != 2 << k) {
            snprintf(path, sizeof path, "%s[%d]", where, k);
            snprintf(what, sizeof what, "(features[%d]) is at 1/%d resolution, must be at 1/%d",
                     e->taps[k], f.scale, 2 << k);
            return bad(p, path, what);
        }
    }
    return SC_OK;
}

static sc_status parse_encoder(parser *p, const cJSON *enc, sc_encoder_cfg *e)
{
    const cJSON *type = member(enc, "type");
    if (!cJSON_IsString(type))
        return bad(p, "coarse.encoder.type", "is missing or not a string");
    if (strcmp(type->valuestring, "mobilenet_v2") != 0)
        return bad(p, "coarse.encoder.type", "must be mobilenet_v2");
    sc_status s = get_int(p, enc, "stem_channels", "coarse.encoder", 1, &e->stem_channels);
    if (s != SC_OK)
        return s;
    if (e->stem_channels > SC_MAX_ENCODER_WIDTH)
        return bad(p, "coarse.encoder.stem_channels", "must be 1 to 4096");
    if ((s = parse_encoder_rows(p, enc, e)) != SC_OK ||
        (s = parse_encoder_taps(p, enc, e)) != SC_OK)
        return s;
    e->present = 1;
    return SC_OK;
}

/* What comes before the HRNet stages: an encoder, or the stem and layer1. */
static sc_status parse_front(parser *p, const cJSON *co, sc_coarse_cfg *c)
{
    const cJSON *enc = NULL, *obj = NULL;
    sc_status s = get_object(p, co, "encoder", "coarse", 1, &enc);
    if (s != SC_OK)
        return s;
    const int has_stem = member(co, "stem_channels") || member(co, "layer1");
    if (enc && has_stem)
        return bad(p, "coarse", "has both an encoder and stem_channels/layer1 (the encoder "
                                "replaces them)");
    if (enc)
        return parse_encoder(p, enc, &c->encoder);
    if (!has_stem)
        return bad(p, "coarse", "needs stem_channels and layer1, or an encoder");
    if ((s = get_int(p, co, "stem_channels", "coarse", 1, &c->stem_channels)) != SC_OK ||
        (s = get_object(p, co, "layer1", "coarse", 0, &obj)) != SC_OK ||
        (s = parse_layer(p, obj, "coarse.layer1", &c->layer1)) != SC_OK)
        return s;
    return SC_OK;
}

static sc_status parse_coarse(parser *p, const cJSON *root, sc_coarse_cfg *c)
{
    const cJSON *co = NULL, *obj = NULL;
    sc_status s = get_object(p, root, "coarse", "config", 0, &co);
    if (s != SC_OK)
        return s;
    const cJSON *arch = member(co, "architecture");
    if (!cJSON_IsString(arch))
        return bad(p, "coarse.architecture", "is missing or not a string");
    if (strcmp(arch->valuestring, "super_first") == 0)
        c->super_first = 1;
    else if (strcmp(arch->valuestring, "ocr_first") == 0)
        c->super_first = 0;
    else
        return bad(p, "coarse.architecture", "must be super_first or ocr_first");

    if ((s = get_int(p, co, "class_num", "coarse", 2, &c->class_num)) != SC_OK ||
        (s = parse_front(p, co, c)) != SC_OK)
        return s;

    /* The first stage has a branch per encoder tap after the first, or two
     * (layer1 and one made by transition1); each further stage adds one. */
    const int first = c->encoder.present ? c->encoder.tap_count - 1 : 2;
    int max_stages = SC_MAX_BRANCHES - first + 1;
    if (max_stages > SC_MAX_STAGES)
        max_stages = SC_MAX_STAGES;
    const cJSON *stages = member(co, "stages");
    if (!cJSON_IsArray(stages))
        return bad(p, "coarse.stages", "is missing or not an array");
    c->stage_count = cJSON_GetArraySize(stages);
    if (c->stage_count < 1 || c->stage_count > max_stages) {
        char what[96];
        if (max_stages == 1)
            snprintf(what, sizeof what, "must have exactly 1 entry with %d encoder branches",
                     first);
        else
            snprintf(what, sizeof what, "must have 1 to %d entries", max_stages);
        return bad(p, "coarse.stages", what);
    }
    for (int i = 0; i < c->stage_count; i++) {
        char where[64];
        snprintf(where, sizeof where, "coarse.stages[%d]", i);
        const cJSON *st = cJSON_GetArrayItem(stages, i);
        if (!cJSON_IsObject(st))
            return bad(p, where, "is not an object");
        if ((s = parse_stage(p, st, where, first + i, &c->stages[i])) != SC_OK)
            return s;
    }

    if ((s = get_object(p, co, "tail", "coarse", 1, &obj)) != SC_OK)
        return s;
    c->has_tail = obj != NULL;
    if (obj && (s = parse_layer(p, obj, "coarse.tail", &c->tail)) != SC_OK)
        return s;

    if ((s = get_object(p, co, "super", "coarse", 0, &obj)) != SC_OK ||
        (s = parse_stage(p, obj, "coarse.super", 2, &c->super)) != SC_OK ||
        (s = parse_aspp(p, co, "coarse", &c->aspp)) != SC_OK ||
        (s = get_object(p, co, "ocr", "coarse", 0, &obj)) != SC_OK ||
        (s = get_int(p, obj, "mid", "coarse.ocr", 1, &c->ocr_mid)) != SC_OK ||
        (s = get_int(p, obj, "key", "coarse.ocr", 1, &c->ocr_key)) != SC_OK ||
        (s = get_int(p, obj, "scale", "coarse.ocr", 1, &c->ocr_scale)) != SC_OK)
        return s;
    return SC_OK;
}

/* Optional refine.levels: [black, white] with 0 <= black < white <= 1. */
static sc_status parse_levels(parser *p, const cJSON *re, float *levels)
{
    levels[0] = 0.0f;
    levels[1] = 1.0f;
    const cJSON *arr = member(re, "levels");
    if (!arr || cJSON_IsNull(arr))
        return SC_OK;
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) != 2 ||
        !cJSON_IsNumber(cJSON_GetArrayItem(arr, 0)) || !cJSON_IsNumber(cJSON_GetArrayItem(arr, 1)))
        return bad(p, "refine.levels", "must be an array of 2 numbers");
    double black = cJSON_GetArrayItem(arr, 0)->valuedouble;
    double white = cJSON_GetArrayItem(arr, 1)->valuedouble;
    if (!(black >= 0.0 && black < white && white <= 1.0))
        return bad(p, "refine.levels", "must be [black, white] with 0 <= black < white <= 1");
    levels[0] = (float)black;
    levels[1] = (float)white;
    return SC_OK;
}

static sc_status parse_refine(parser *p, const cJSON *root, sc_refine_cfg *r)
{
    const cJSON *re = NULL;
    sc_status s = get_object(p, root, "refine", "config", 0, &re);
    if (s != SC_OK)
        return s;
    int n = 0;
    if ((s = get_int(p, re, "in_channels", "refine", 1, &r->in_channels)) != SC_OK ||
        (s = get_int_array(p, re, "widths", "refine", 1, SC_REFINE_LEVELS, r->widths, &n)) != SC_OK ||
        (s = parse_aspp(p, re, "refine", &r->aspp)) != SC_OK)
        return s;
    if ((s = parse_levels(p, re, r->levels)) != SC_OK)
        return s;
    /* The matte feeds RGB plus the coarse label. */
    if (r->in_channels != 4)
        return bad(p, "refine.in_channels", "must be 4 (RGB + coarse label)");
    if (n != SC_REFINE_LEVELS)
        return bad(p, "refine.widths", "must have 5 entries");
    return SC_OK;
}

sc_status sc_config_parse(const char *json, const char *source, sc_model_config *cfg, sc_error *err)
{
    parser p = {source, err};
    memset(cfg, 0, sizeof *cfg);
    if (!json)
        return sc_fail(err, SC_ERR_MODEL, "%s: no config in the metadata", source);
    errno = 0;
    cJSON *root = cJSON_Parse(json);
    /* cJSON reports a failed allocation as a syntax error; malloc's errno does not. */
    if (!root && errno == ENOMEM)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory reading the config", source);
    if (!root)
        return sc_fail(err, SC_ERR_MODEL, "%s: config is not valid JSON", source);
    sc_status s = SC_OK;
    if (!cJSON_IsObject(root))
        s = bad(&p, "config", "is not a JSON object");
    if (s == SC_OK)
        s = get_string(&p, root, "name", "config", cfg->name, sizeof cfg->name);
    if (s == SC_OK)
        s = get_string(&p, root, "version", "config", cfg->version, sizeof cfg->version);
    if (s == SC_OK)
        s = parse_preprocess(&p, root, cfg);
    if (s == SC_OK)
        s = parse_coarse(&p, root, &cfg->coarse);
    if (s == SC_OK)
        s = parse_refine(&p, root, &cfg->refine);
    cJSON_Delete(root);
    return s;
}
