#include "helper_model_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sc_status kept_tensors_read(void *ctx, const char *name, const int64_t *shape, int ndim,
                            float *dst, sc_error *err)
{
    kept_tensors *k = ctx;
    sc_status s = k->source(k->source_ctx, name, shape, ndim, dst, err);
    if (s != SC_OK || !dst) /* a shape check reads no values */
        return s;
    if (ndim > 8)
        return sc_error_set(err, SC_ERR_INVALID_ARG, "%s: more than 8 dimensions", name);
    if (k->count == k->capacity) {
        int capacity = k->capacity ? 2 * k->capacity : 256;
        kept_tensor *grown = realloc(k->tensors, (size_t)capacity * sizeof *grown);
        if (!grown)
            return sc_error_set(err, SC_ERR_NO_MEMORY, "%s: out of memory keeping it", name);
        k->tensors = grown;
        k->capacity = capacity;
    }
    kept_tensor *t = &k->tensors[k->count];
    t->count = 1;
    for (int i = 0; i < ndim; i++) {
        t->shape[i] = shape[i];
        t->count *= (size_t)shape[i];
    }
    t->ndim = ndim;
    t->name = strdup(name);
    t->data = malloc(t->count * sizeof *t->data);
    if (!t->name || !t->data) {
        free(t->name);
        free(t->data);
        return sc_error_set(err, SC_ERR_NO_MEMORY, "%s: out of memory keeping it", name);
    }
    memcpy(t->data, dst, t->count * sizeof *t->data);
    k->count++;
    return SC_OK;
}

/* text as a JSON string's contents */
static void put_escaped(FILE *f, const char *text)
{
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(f, "\\%c", *c);
        else if (*c < 0x20)
            fprintf(f, "\\u%04x", *c);
        else
            fputc(*c, f);
    }
}

/* The JSON header; its length padded with spaces so that the data start on a
 * 64-byte boundary of the file. */
static char *header(const kept_tensors *k, const char *config_json, size_t *length)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f)
        return NULL;
    fputs("{\"__metadata__\":{\"format\":\"skychange\",\"format_version\":\"1\",\"config\":\"", f);
    put_escaped(f, config_json);
    fputs("\"}", f);
    size_t offset = 0;
    for (int i = 0; i < k->count; i++) {
        const kept_tensor *t = &k->tensors[i];
        fputs(",\"", f);
        put_escaped(f, t->name);
        fputs("\":{\"dtype\":\"F32\",\"shape\":[", f);
        for (int d = 0; d < t->ndim; d++)
            fprintf(f, "%s%lld", d ? "," : "", (long long)t->shape[d]);
        const size_t bytes = t->count * sizeof(float);
        fprintf(f, "],\"data_offsets\":[%zu,%zu]}", offset, offset + bytes);
        offset += bytes;
    }
    fputc('}', f);
    while ((8 + ftell(f)) % 64 != 0)
        fputc(' ', f);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    *length = size;
    return text;
}

int kept_tensors_write(const kept_tensors *k, const char *config_json, const char *path)
{
    size_t length = 0;
    char *text = header(k, config_json, &length);
    FILE *f = text ? fopen(path, "wb") : NULL;
    if (!f) {
        free(text);
        return -1;
    }
    unsigned char n[8];
    for (int i = 0; i < 8; i++)
        n[i] = (unsigned char)((uint64_t)length >> (8 * i));
    int ok = fwrite(n, 1, 8, f) == 8 && fwrite(text, 1, length, f) == length;
    for (int i = 0; ok && i < k->count; i++)
        ok = fwrite(k->tensors[i].data, sizeof(float), k->tensors[i].count, f) ==
             k->tensors[i].count;
    free(text);
    ok = fclose(f) == 0 && ok;
    if (!ok)
        remove(path); /* never a half-written model file */
    return ok ? 0 : -1;
}

void kept_tensors_free(kept_tensors *k)
{
    for (int i = 0; i < k->count; i++) {
        free(k->tensors[i].name);
        free(k->tensors[i].data);
    }
    free(k->tensors);
    k->tensors = NULL;
    k->count = k->capacity = 0;
}
