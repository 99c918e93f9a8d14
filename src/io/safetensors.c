/*
 * Opening a safetensors file. Everything a later lookup relies on is checked
 * here, once, so that sc_st_find / sc_st_read_f32 never need to distrust the
 * header: every tensor's bytes lie inside the mapping, match its shape, and
 * do not overlap another tensor's.
 */
#include "io/safetensors.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "io/safetensors_shape.h"

/* The reference implementation refuses headers above 100 MB; so do we, so a
 * corrupt length cannot make us hand cJSON gigabytes of tensor data. */
#define SC_ST_MAX_HEADER 100000000ULL
/* Integers in the header are JSON numbers (doubles): above 2^53 they are no
 * longer exact, and no real offset or dimension comes near. */
#define SC_ST_MAX_JSON_INT 9007199254740992.0

typedef struct entry_span {
    uint64_t begin, end;
    int tensor;
} entry_span;

static void st_zero(sc_safetensors *st)
{
    memset(st, 0, sizeof *st);
}

static int json_to_u64(const cJSON *item, uint64_t *out)
{
    if (!cJSON_IsNumber(item))
        return -1;
    double v = item->valuedouble;
    if (!(v >= 0.0 && v <= SC_ST_MAX_JSON_INT) || v != (double)(uint64_t)v)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

static sc_status map_file(const char *path, sc_safetensors *st, sc_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return sc_fail(err, SC_ERR_IO, "%s: cannot open (%s)", path, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        int e = errno;
        close(fd);
        return sc_fail(err, SC_ERR_IO, "%s: cannot stat (%s)", path, strerror(e));
    }
    if (!S_ISREG(sb.st_mode)) {
        close(fd);
        return sc_fail(err, SC_ERR_IO, "%s: not a regular file", path);
    }
    if (sb.st_size < 8) {
        close(fd);
        return sc_fail(err, SC_ERR_MODEL,
                       "%s: file is %lld bytes, too short for a safetensors header",
                       path, (long long)sb.st_size);
    }
    if ((unsigned long long)sb.st_size > (unsigned long long)SIZE_MAX) {
        close(fd);
        return sc_fail(err, SC_ERR_MODEL, "%s: file too large to map", path);
    }
    void *map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    int e = errno;
    close(fd);
    if (map == MAP_FAILED)
        return sc_fail(err, SC_ERR_IO, "%s: cannot map (%s)", path, strerror(e));
    st->map = map;
    st->map_size = (size_t)sb.st_size;
    return SC_OK;
}

static int dtype_from_name(const char *name, sc_dtype *dtype)
{
    if (strcmp(name, "F32") == 0) {
        *dtype = SC_DTYPE_F32;
        return 1;
    }
    if (strcmp(name, "F16") == 0) {
        *dtype = SC_DTYPE_F16;
        return 1;
    }
    static const char *const known[] = {"F64", "BF16", "F8_E4M3", "F8_E5M2", "I64", "I32",
                                        "I16", "I8", "U64", "U32", "U16", "U8", "BOOL"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(name, known[i]) == 0)
            return 0;
    return -1;
}

static sc_status parse_tensor(const char *path, const cJSON *item, size_t data_size,
                              sc_st_tensor *t, entry_span *span, sc_error *err)
{
    const char *name = item->string;
    if (!cJSON_IsObject(item))
        return sc_fail(err, SC_ERR_MODEL, "%s: tensor '%s': entry is not an object", path, name);

    const cJSON *dtype = cJSON_GetObjectItemCaseSensitive(item, "dtype");
    if (!cJSON_IsString(dtype))
        return sc_fail(err, SC_ERR_MODEL, "%s: tensor '%s': \"dtype\" missing or not a string",
                       path, name);
    int known = dtype_from_name(dtype->valuestring, &t->dtype);
    if (known == 0)
        return sc_fail(err, SC_ERR_MODEL,
                       "%s: tensor '%s': dtype %s is not supported (only F32 and F16)", path,
                       name, dtype->valuestring);
    if (known < 0)
        return sc_fail(err, SC_ERR_MODEL, "%s: tensor '%s': unknown dtype '%s'", path, name,
                       dtype->valuestring);

    const cJSON *shape = cJSON_GetObjectItemCaseSensitive(item, "shape");
    if (!cJSON_IsArray(shape))
        return sc_fail(err, SC_ERR_MODEL, "%s: tensor '%s': \"shape\" missing or not a list",
                       path, name);
    int ndim = cJSON_GetArraySize(shape);
    if (ndim > SC_ST_MAX_DIMS)
        return sc_fail(err, SC_ERR_MODEL,
                       "%s: tensor '%s': shape has %d dimensions, at most %d are supported",
                       path, name, ndim, SC_ST_MAX_DIMS);
    t->ndim = 0;
    const cJSON *dim;
    cJSON_ArrayForEach(dim, shape)
    {
        uint64_t v;
        if (json_to_u64(dim, &v) != 0 || v > INT64_MAX)
            return sc_fail(err, SC_ERR_MODEL,
                           "%s: tensor '%s': shape is not a list of non-negative integers",
                           path, name);
        t->shape[t->ndim++] = (int64_t)v;
    }

    const cJSON *offsets = cJSON_GetObjectItemCaseSensitive(item, "data_offsets");
    if (!cJSON_IsArray(offsets) || cJSON_GetArraySize(offsets) != 2 ||
        json_to_u64(offsets->child, &span->begin) != 0 ||
        json_to_u64(offsets->child->next, &span->end) != 0)
        return sc_fail(err, SC_ERR_MODEL,
                       "%s: tensor '%s': \"data_offsets\" is not a list of two non-negative "
                       "integers",
                       path, name);
    if (span->begin > span->end)
        return sc_fail(err, SC_ERR_MODEL,
                       "%s: tensor '%s': data_offsets [%llu,%llu] begin after end", path, name,
                       (unsigned long long)span->begin, (unsigned long long)span->end);
    if (span->end > data_size)
        return sc_fail(err, SC_ERR_MODEL,
                       "%s: tensor '%s': data_offsets end %llu is beyond the data section "
                       "(%zu bytes)",
                       path, name, (unsigned long long)span->end, data_size);

    char shape_text[SC_ST_SHAPE_TEXT];
    sc_st_format_shape(shape_text, sizeof shape_text, t->shape, t->ndim);
    size_t elem_size = t->dtype == SC_DTYPE_F32 ? 4 : 2;
    size_t count;
    if (sc_st_shape_count(t->shape, t->ndim, &count) != 0 || count > SIZE_MAX / elem_size)
        return sc_fail(err, SC_ERR_MODEL, "%s: tensor '%s': shape %s is too large", path, name,
                       shape_text);
    uint64_t nbytes = span->end - span->begin;
    if (count * elem_size != nbytes)
        return sc_fail(err, SC_ERR_MODEL,
                       "%s: tensor '%s': shape %s of %s needs %zu bytes, data_offsets give "
                       "%llu",
                       path, name, shape_text, dtype->valuestring, count * elem_size,
                       (unsigned long long)nbytes);
    t->nbytes = (size_t)nbytes;
    t->name = strdup(name);
    if (!t->name)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory", path);
    return SC_OK;
}

static sc_status parse_metadata(const char *path, const cJSON *item, sc_safetensors *st,
                                sc_error *err)
{
    if (!cJSON_IsObject(item))
        return sc_fail(err, SC_ERR_MODEL, "%s: __metadata__ is not an object", path);
    int n = cJSON_GetArraySize(item);
    st->meta_keys = calloc((size_t)n + 1, sizeof *st->meta_keys);
    st->meta_values = calloc((size_t)n + 1, sizeof *st->meta_values);
    if (!st->meta_keys || !st->meta_values)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory", path);
    const cJSON *kv;
    cJSON_ArrayForEach(kv, item)
    {
        if (!cJSON_IsString(kv))
            return sc_fail(err, SC_ERR_MODEL, "%s: __metadata__ value of '%s' is not a string",
                           path, kv->string);
        for (int i = 0; i < st->meta_count; i++)
            if (strcmp(st->meta_keys[i], kv->string) == 0)
                return sc_fail(err, SC_ERR_MODEL, "%s: __metadata__ key '%s' appears twice",
                               path, kv->string);
        char *key = strdup(kv->string);
        char *value = strdup(kv->valuestring);
        if (!key || !value) {
            free(key);
            free(value);
            return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory", path);
        }
        st->meta_keys[st->meta_count] = key;
        st->meta_values[st->meta_count] = value;
        st->meta_count++;
    }
    return SC_OK;
}

static int compare_tensor_names(const void *a, const void *b)
{
    return strcmp(((const sc_st_tensor *)a)->name, ((const sc_st_tensor *)b)->name);
}

static int compare_spans(const void *a, const void *b)
{
    const entry_span *x = a, *y = b;
    if (x->begin != y->begin)
        return x->begin < y->begin ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return 0;
}

/* Spans sorted by offset: each must start at or after the previous one's end. */
static sc_status check_overlaps(const char *path, const sc_safetensors *st, entry_span *spans,
                                sc_error *err)
{
    qsort(spans, (size_t)st->count, sizeof *spans, compare_spans);
    for (int i = 1; i < st->count; i++) {
        const entry_span *prev = &spans[i - 1], *cur = &spans[i];
        /* Empty tensors own no bytes and so cannot overlap anything. */
        if (cur->begin == cur->end || prev->begin == prev->end)
            continue;
        if (cur->begin < prev->end)
            return sc_fail(err, SC_ERR_MODEL,
                           "%s: tensors '%s' and '%s' overlap (bytes %llu..%llu and %llu..%llu)",
                           path, st->tensors[prev->tensor].name, st->tensors[cur->tensor].name,
                           (unsigned long long)prev->begin, (unsigned long long)prev->end,
                           (unsigned long long)cur->begin, (unsigned long long)cur->end);
    }
    return SC_OK;
}

static sc_status parse_tensors(const char *path, const cJSON *root, const unsigned char *data,
                               size_t data_size, sc_safetensors *st, sc_error *err)
{
    int n = cJSON_GetArraySize(root);
    st->tensors = calloc((size_t)n + 1, sizeof *st->tensors);
    if (!st->tensors)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory", path);
    int seen_metadata = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, root)
    {
        sc_status status;
        if (strcmp(item->string, "__metadata__") == 0) {
            if (seen_metadata++)
                return sc_fail(err, SC_ERR_MODEL, "%s: __metadata__ appears twice", path);
            status = parse_metadata(path, item, st, err);
        } else {
            entry_span span = {0, 0, 0};
            sc_st_tensor *t = &st->tensors[st->count];
            status = parse_tensor(path, item, data_size, t, &span, err);
            if (status == SC_OK) {
                t->data = data + span.begin;
                st->count++;
            }
        }
        if (status != SC_OK)
            return status;
    }

    qsort(st->tensors, (size_t)st->count, sizeof *st->tensors, compare_tensor_names);
    for (int i = 1; i < st->count; i++)
        if (strcmp(st->tensors[i - 1].name, st->tensors[i].name) == 0)
            return sc_fail(err, SC_ERR_MODEL, "%s: tensor '%s' appears twice in the header", path,
                           st->tensors[i].name);

    entry_span *spans = calloc((size_t)st->count + 1, sizeof *spans);
    if (!spans)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory", path);
    for (int i = 0; i < st->count; i++) {
        spans[i].begin = (uint64_t)((const unsigned char *)st->tensors[i].data - data);
        spans[i].end = spans[i].begin + st->tensors[i].nbytes;
        spans[i].tensor = i;
    }
    sc_status status = check_overlaps(path, st, spans, err);
    free(spans);
    return status;
}

static sc_status parse_header(sc_safetensors *st, sc_error *err)
{
    const char *path = st->path;
    const unsigned char *bytes = st->map;
    uint64_t header_len = 0;
    for (int i = 7; i >= 0; i--)
        header_len = header_len << 8 | bytes[i];
    if (header_len == 0)
        return sc_fail(err, SC_ERR_MODEL, "%s: header length is 0", path);
    if (header_len > SC_ST_MAX_HEADER)
        return sc_fail(err, SC_ERR_MODEL, "%s: header length %llu is absurd (limit %llu)", path,
                       (unsigned long long)header_len, SC_ST_MAX_HEADER);
    if (header_len > st->map_size - 8)
        return sc_fail(err, SC_ERR_MODEL,
                       "%s: header length %llu is beyond the end of the file (%zu bytes)", path,
                       (unsigned long long)header_len, st->map_size);

    /* A terminated private copy: the parser then cannot stray into tensor
     * data whatever the header holds. */
    char *json = malloc((size_t)header_len + 1);
    if (!json)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory for the header", path);
    memcpy(json, bytes + 8, (size_t)header_len);
    json[header_len] = '\0';
    const char *end = NULL;
    errno = 0;
    cJSON *root = cJSON_ParseWithLengthOpts(json, (size_t)header_len, &end, 0);
    /* cJSON reports a failed allocation as a syntax error; malloc's errno does not. */
    if (!root && errno == ENOMEM) {
        free(json);
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory reading the header", path);
    }
    if (!root) {
        size_t at = end && end >= json ? (size_t)(end - json) : 0;
        free(json);
        return sc_fail(err, SC_ERR_MODEL, "%s: header is not valid JSON (near byte %zu)", path,
                       at + 8);
    }
    sc_status status = SC_OK;
    for (const char *p = end; p && p < json + header_len; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            status = sc_fail(err, SC_ERR_MODEL, "%s: unexpected bytes after the JSON header",
                             path);
            break;
        }
    }
    if (status == SC_OK && !cJSON_IsObject(root))
        status = sc_fail(err, SC_ERR_MODEL, "%s: header is not a JSON object", path);
    if (status == SC_OK)
        status = parse_tensors(path, root, bytes + 8 + header_len,
                               st->map_size - 8 - (size_t)header_len, st, err);
    cJSON_Delete(root);
    free(json);
    return status;
}

sc_status sc_st_open(const char *path, sc_safetensors *st, sc_error *err)
{
    if (!st)
        return sc_fail(err, SC_ERR_INVALID_ARG, "sc_st_open: no output given");
    st_zero(st);
    if (!path)
        return sc_fail(err, SC_ERR_INVALID_ARG, "sc_st_open: no path given");
    st->path = strdup(path);
    if (!st->path)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory", path);
    sc_status status = map_file(path, st, err);
    if (status == SC_OK)
        status = parse_header(st, err);
    if (status != SC_OK)
        sc_st_close(st);
    return status;
}

void sc_st_close(sc_safetensors *st)
{
    if (!st)
        return;
    if (st->map)
        munmap(st->map, st->map_size);
    if (st->tensors)
        for (int i = 0; i < st->count; i++)
            free(st->tensors[i].name);
    free(st->tensors);
    for (int i = 0; i < st->meta_count; i++) {
        free(st->meta_keys[i]);
        free(st->meta_values[i]);
    }
    free(st->meta_keys);
    free(st->meta_values);
    free(st->path);
    st_zero(st);
}

static int compare_name_to_tensor(const void *key, const void *element)
{
    return strcmp(key, ((const sc_st_tensor *)element)->name);
}

const sc_st_tensor *sc_st_find(const sc_safetensors *st, const char *name)
{
    if (!st || !name || st->count == 0)
        return NULL;
    return bsearch(name, st->tensors, (size_t)st->count, sizeof *st->tensors,
                   compare_name_to_tensor);
}

const char *sc_st_metadata(const sc_safetensors *st, const char *key)
{
    if (!st || !key)
        return NULL;
    for (int i = 0; i < st->meta_count; i++)
        if (strcmp(st->meta_keys[i], key) == 0)
            return st->meta_values[i];
    return NULL;
}
