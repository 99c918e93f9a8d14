#include "nets/helper_fixtures.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nets/model.h"

const char *fx_dir(void)
{
    const char *env = getenv("SC_NETS_FIXTURES");
    return env && *env ? env : SC_TEST_DATA "/nets";
}

static int by_name(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

int fx_variants(char names[][64], int max)
{
    DIR *d = opendir(fx_dir());
    if (!d)
        return 0;
    static const char suffix[] = "_io.safetensors";
    const size_t slen = sizeof suffix - 1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < max) {
        size_t len = strlen(e->d_name);
        if (len > slen && len - slen < 64 && strcmp(e->d_name + len - slen, suffix) == 0) {
            memcpy(names[n], e->d_name, len - slen);
            names[n][len - slen] = '\0';
            n++;
        }
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], by_name);
    return n;
}

void fx_model_path(const char *variant, char *path, size_t size)
{
    snprintf(path, size, "%s/%s.safetensors", fx_dir(), variant);
}

void fx_io_path(const char *variant, char *path, size_t size)
{
    snprintf(path, size, "%s/%s_io.safetensors", fx_dir(), variant);
}

float *fx_read(const sc_safetensors *st, const char *name, int64_t *shape, int *ndim,
               size_t *count)
{
    const sc_st_tensor *t = sc_st_find(st, name);
    if (!t)
        return NULL;
    size_t n = 1;
    for (int i = 0; i < t->ndim; i++)
        n *= (size_t)t->shape[i];
    float *data = malloc((n ? n : 1) * sizeof(float));
    if (!data)
        return NULL;
    sc_error err;
    if (sc_st_read_f32(st, name, t->shape, t->ndim, data, &err) != SC_OK) {
        free(data);
        return NULL;
    }
    if (shape)
        memcpy(shape, t->shape, (size_t)t->ndim * sizeof *shape);
    if (ndim)
        *ndim = t->ndim;
    if (count)
        *count = n;
    return data;
}

float *fx_read_n(const sc_safetensors *st, const char *name, size_t want)
{
    size_t n = 0;
    float *data = fx_read(st, name, NULL, NULL, &n);
    if (!data) {
        fprintf(stderr, "fixture tensor %s: absent or unreadable\n", name);
        return NULL;
    }
    if (n != want) {
        fprintf(stderr, "fixture tensor %s: %zu values, expected %zu\n", name, n, want);
        free(data);
        return NULL;
    }
    return data;
}

double fx_max_abs_error(const float *a, const float *ref, size_t n)
{
    double max_diff = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs((double)a[i] - (double)ref[i]);
        if (d > max_diff || isnan(d))
            max_diff = isnan(d) ? INFINITY : d;
    }
    return max_diff;
}

double fx_max_rel_error(const float *a, const float *ref, size_t n)
{
    double max_ref = 0.0;
    for (size_t i = 0; i < n; i++)
        if (fabs((double)ref[i]) > max_ref)
            max_ref = fabs((double)ref[i]);
    return fx_max_abs_error(a, ref, n) / (max_ref > 1e-30 ? max_ref : 1e-30);
}

void fx_label_differences(const float *label, const float *ref_label, const float *ref_scores,
                          int classes, size_t plane, double tie_margin, int *ties, int *flips)
{
    double max_score = 0;
    for (size_t i = 0; i < (size_t)classes * plane; i++)
        max_score = fmax(max_score, fabs(ref_scores[i]));
    *ties = *flips = 0;
    for (size_t i = 0; i < plane; i++) {
        if (label[i] == ref_label[i])
            continue;
        float best = -INFINITY, second = -INFINITY;
        for (int c = 0; c < classes; c++) {
            float v = ref_scores[(size_t)c * plane + i];
            if (v > best) {
                second = best;
                best = v;
            } else if (v > second) {
                second = v;
            }
        }
        if ((double)(best - second) <= tie_margin * max_score)
            (*ties)++;
        else
            (*flips)++;
    }
}

static unsigned char *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *buf = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        if (n > 0 && fseek(f, 0, SEEK_SET) == 0) {
            buf = malloc((size_t)n);
            if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
                free(buf);
                buf = NULL;
            }
            *size = (size_t)n;
        }
    }
    fclose(f);
    return buf;
}

int fx_rewrite(const char *src, const char *dst, fx_edit_fn edit, void *user, const void *append,
               size_t append_bytes)
{
    size_t size = 0;
    unsigned char *buf = read_all(src, &size);
    if (!buf || size < 8)
        return -1;
    uint64_t hlen = 0;
    for (int i = 7; i >= 0; i--)
        hlen = (hlen << 8) | buf[i];
    if (hlen > size - 8) {
        free(buf);
        return -1;
    }
    char *json = malloc(hlen + 1);
    memcpy(json, buf + 8, hlen);
    json[hlen] = '\0';
    cJSON *header = cJSON_Parse(json);
    free(json);
    if (!header) {
        free(buf);
        return -1;
    }
    edit(header, user);
    char *text = cJSON_PrintUnformatted(header);
    cJSON_Delete(header);
    size_t tlen = strlen(text);
    size_t padded = (tlen + 7) & ~(size_t)7; /* keep tensor data 8-byte aligned */
    FILE *f = fopen(dst, "wb");
    int rc = f ? 0 : -1;
    if (f) {
        unsigned char len[8];
        for (int i = 0; i < 8; i++)
            len[i] = (unsigned char)((uint64_t)padded >> (8 * i));
        rc |= fwrite(len, 1, 8, f) != 8;
        rc |= fwrite(text, 1, tlen, f) != tlen;
        for (size_t i = tlen; i < padded; i++)
            rc |= fputc(' ', f) == EOF;
        rc |= fwrite(buf + 8 + hlen, 1, size - 8 - hlen, f) != size - 8 - hlen;
        if (append_bytes)
            rc |= fwrite(append, 1, append_bytes, f) != append_bytes;
        rc |= fclose(f) != 0;
    }
    free(text);
    free(buf);
    return rc ? -1 : 0;
}

float *fx_copy_and_release(sc_arena *arena, const sc_tensor *t, size_t from, size_t *peak,
                           size_t *n)
{
    *n = sc_tensor_size(t);
    float *copy = malloc(*n * sizeof *copy);
    if (copy)
        memcpy(copy, t->data, *n * sizeof *copy);
    if (peak)
        *peak = arena->peak - from;
    sc_arena_release(arena);
    return copy;
}

void fx_load_rule_refiner(sc_tensor_read_fn read, sc_refine_net *net, sc_refine_cfg *cfg,
                          sc_weights *store)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->in_channels = 4;
    const int widths[SC_REFINE_LEVELS] = {40, 80, 160, 200, 200};
    memcpy(cfg->widths, widths, sizeof widths);
    cfg->levels[1] = 1.0f;
    memset(store, 0, sizeof *store);
    sc_loader ld = {read, NULL, store, "refine.", SC_3X3_FAST};
    memset(net, 0, sizeof *net);
    sc_error err = {SC_OK, ""};
    if (sc_refine_load(&ld, net, cfg, &err) != SC_OK || sc_weights_prepare(store, &err) != SC_OK) {
        fprintf(stderr, "fx_load_rule_refiner: %s\n", err.msg);
        abort();
    }
}

int fx_variants_present(char names[][64], int max)
{
    const int variants = fx_variants(names, max);
    if (variants < 1) {
        fprintf(stderr, "no network fixtures in %s\n", fx_dir());
        abort();
    }
    return variants;
}

struct sc_model *fx_load_model(const char *variant)
{
    char path[512];
    fx_model_path(variant, path, sizeof path);
    sc_model *m = NULL;
    sc_error err = {SC_OK, ""};
    if (sc_model_load(path, &m, &err) != SC_OK) {
        fprintf(stderr, "%s\n", err.msg);
        abort();
    }
    return m;
}
