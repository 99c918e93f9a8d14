#include "nets/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/page_hints.h"
#include "io/safetensors.h"

/* "256" or, with coarse views, "256+320 mirrored"; then ", mobilenet_v2
 * encoder" when the coarse net starts with one. */
static void describe_coarse(const sc_model_config *cfg, char *out, size_t size)
{
    const sc_coarse_views *v = &cfg->coarse_views;
    size_t used = 0;
    if (v->count == 0)
        used = (size_t)snprintf(out, size, "%d", cfg->coarse_size);
    for (int i = 0; i < v->count && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s%d", i ? "+" : "", v->sizes[i]);
    if (v->flip && used < size)
        used += (size_t)snprintf(out + used, size - used, " mirrored");
    if (cfg->coarse.encoder.present && used < size)
        snprintf(out + used, size - used, ", mobilenet_v2 encoder");
}

sc_status sc_model_build(const char *config_json, const char *source, sc_tensor_read_fn read,
                         void *read_ctx, sc_model **out, sc_error *err)
{
    *out = NULL;
    sc_model *m = calloc(1, sizeof *m);
    if (!m)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory", source);
    m->workspaces = malloc(sizeof *m->workspaces);
    if (!m->workspaces || sc_workspace_pool_init(m->workspaces) != 0) {
        free(m->workspaces);
        free(m);
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory", source);
    }
    sc_status s = sc_config_parse(config_json, source, &m->cfg, err);
    if (s == SC_OK) {
        sc_loader coarse = {read, read_ctx, &m->weights, "coarse.", 0};
        s = sc_coarse_load(&coarse, &m->coarse, &m->cfg.coarse, err);
    }
    if (s == SC_OK) {
        sc_loader refine = {read, read_ctx, &m->weights, "refine.", 0};
        s = sc_refine_load(&refine, &m->refine, &m->cfg.refine, err);
    }
    if (s == SC_OK)
        s = sc_weights_prepare(&m->weights, err);
    if (s != SC_OK) {
        sc_model_free(m);
        return s;
    }
    const char *slash = strrchr(source, '/');
    char coarse[96];
    describe_coarse(&m->cfg, coarse, sizeof coarse);
    snprintf(m->description, sizeof m->description,
             "%s %s, coarse %s / refine %d, file %s (format %s, %.2f M parameters)", m->cfg.name,
             m->cfg.version, coarse, m->cfg.refine_size, slash ? slash + 1 : source,
             SC_MODEL_FORMAT_VERSION, (double)m->weights.floats / 1e6);
    *out = m;
    return SC_OK;
}

void sc_model_free(sc_model *model)
{
    if (!model)
        return;
    sc_coarse_free(&model->coarse);
    sc_weights_free(&model->weights);
    sc_workspace_pool_destroy(model->workspaces);
    free(model->workspaces);
    free(model);
}

void sc_model_trim(sc_model *model)
{
    if (model)
        sc_workspace_trim(model->workspaces);
}

const char *sc_model_describe(const sc_model *model)
{
    return model ? model->description : "(no model)";
}

/* ---- reading from a model file -------------------------------------------- */

typedef struct file_source {
    const sc_safetensors *st;
    unsigned char *used; /* one flag per tensor of the file */
} file_source;

static sc_status file_read(void *ctx, const char *name, const int64_t *shape, int ndim, float *dst,
                           sc_error *err)
{
    file_source *fs = ctx;
    sc_status s = sc_st_read_f32(fs->st, name, shape, ndim, dst, err);
    if (s == SC_OK) {
        const sc_st_tensor *t = sc_st_find(fs->st, name);
        if (t)
            fs->used[t - fs->st->tensors] = 1;
    }
    return s;
}

static sc_status check_all_used(const sc_safetensors *st, const unsigned char *used, sc_error *err)
{
    int unused = 0, first = -1;
    for (int i = 0; i < st->count; i++)
        if (!used[i] && unused++ == 0)
            first = i;
    if (unused)
        return sc_fail(err, SC_ERR_MODEL,
                       "%s: tensor '%s' is not used by the model config (%d unused tensor%s)",
                       st->path, st->tensors[first].name, unused, unused > 1 ? "s" : "");
    return SC_OK;
}

sc_status sc_model_load(const char *path, sc_model **out, sc_error *err)
{
    if (!out || !path)
        return sc_fail(err, SC_ERR_INVALID_ARG, "sc_model_load: no path or output given");
    *out = NULL;
    sc_safetensors st;
    sc_status s = sc_st_open(path, &st, err);
    if (s != SC_OK)
        return s;

    const char *format = sc_st_metadata(&st, "format");
    const char *version = sc_st_metadata(&st, "format_version");
    if (!format || strcmp(format, SC_MODEL_FORMAT) != 0)
        s = sc_fail(err, SC_ERR_MODEL, "%s: not a skychange model (metadata format is %s%s%s)",
                    path, format ? "'" : "", format ? format : "missing", format ? "'" : "");
    else if (!version || strcmp(version, SC_MODEL_FORMAT_VERSION) != 0)
        s = sc_fail(err, SC_ERR_MODEL,
                    "%s: unsupported model format version %s%s%s (this build reads %s)", path,
                    version ? "'" : "", version ? version : "(missing)", version ? "'" : "",
                    SC_MODEL_FORMAT_VERSION);

    unsigned char *used = NULL;
    if (s == SC_OK) {
        sc_prefault_read(st.map, st.map_size); /* every tensor is copied out below */
        used = calloc((size_t)(st.count > 0 ? st.count : 1), 1);
        if (!used)
            s = sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory", path);
    }
    sc_model *m = NULL;
    if (s == SC_OK) {
        file_source fs = {&st, used};
        s = sc_model_build(sc_st_metadata(&st, "config"), path, file_read, &fs, &m, err);
    }
    if (s == SC_OK)
        s = check_all_used(&st, used, err);
    free(used);
    sc_st_close(&st);
    if (s != SC_OK) {
        sc_model_free(m);
        return s;
    }
    *out = m;
    return SC_OK;
}

size_t sc_model_conv_scratch_bytes(const sc_model *m, int threads)
{
    static const float dummy = 0.0f;
    sc_conv deepest = {1, m->weights.max_depth, 1, 1, 2, 0, 1, 1, &dummy, NULL, NULL};
    return sc_conv2d_scratch_bytes(&deepest, 4096, 4096, threads);
}
