#include "io/pfm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/image.h"

sc_status sc_pfm_write_grey(FILE *f, const float *values, int width, int height,
                            const char *name, sc_error *err)
{
    if (fprintf(f, "Pf\n%d %d\n-1.0\n", width, height) < 0)
        return sc_fail(err, SC_ERR_IO, "%s: write error (%s)", name, strerror(errno));
    unsigned char *row = malloc((size_t)width * 4);
    if (!row)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory", name);
    sc_status status = SC_OK;
    for (int y = height - 1; y >= 0 && status == SC_OK; y--) {
        const float *src = values + (size_t)y * (size_t)width;
        for (int x = 0; x < width; x++) {
            uint32_t bits;
            memcpy(&bits, &src[x], sizeof bits);
            for (int b = 0; b < 4; b++)
                row[4 * x + b] = (unsigned char)(bits >> (8 * b));
        }
        if (fwrite(row, 4, (size_t)width, f) != (size_t)width)
            status = sc_fail(err, SC_ERR_IO, "%s: write error (%s)", name, strerror(errno));
    }
    free(row);
    return status;
}

static int is_space(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int sc_pfm_detect(const uint8_t *data, size_t size)
{
    return size >= 3 && data[0] == 'P' && (data[1] == 'f' || data[1] == 'F') && is_space(data[2]);
}

/* Next white-space separated token of the header, copied into buf. */
static int next_token(const uint8_t *data, size_t size, size_t *pos, char *buf, size_t cap)
{
    while (*pos < size && is_space(data[*pos]))
        (*pos)++;
    size_t n = 0;
    while (*pos < size && !is_space(data[*pos])) {
        if (n + 1 >= cap)
            return -1;
        buf[n++] = (char)data[(*pos)++];
    }
    buf[n] = '\0';
    return n ? 0 : -1;
}

static int parse_dimension(const char *text, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || *end || v <= 0 || v > 1000000000L)
        return -1;
    *out = (int)v;
    return 0;
}

/* What the header says, and where the data starts. */
typedef struct pfm_header {
    int width, height, channels;
    int little_endian;
    size_t data_start, data_bytes;
} pfm_header;

/* Parses the header at the start of data (size bytes: the whole file, or its head)
 * and checks its size against SC_MAX_PIXELS. */
static sc_status parse_header(const uint8_t *data, size_t size, const char *name, pfm_header *hd,
                              sc_error *err)
{
    if (!sc_pfm_detect(data, size))
        return sc_fail(err, SC_ERR_IMAGE, "%s: not a PFM", name);
    size_t pos = 2;
    char w_text[32], h_text[32], scale_text[64];
    int w, h;
    if (next_token(data, size, &pos, w_text, sizeof w_text) != 0 ||
        next_token(data, size, &pos, h_text, sizeof h_text) != 0 ||
        next_token(data, size, &pos, scale_text, sizeof scale_text) != 0 ||
        parse_dimension(w_text, &w) != 0 || parse_dimension(h_text, &h) != 0)
        return sc_fail(err, SC_ERR_IMAGE, "%s: bad PFM header", name);
    char *end;
    double scale = strtod(scale_text, &end);
    if (*end || scale == 0.0 || scale != scale)
        return sc_fail(err, SC_ERR_IMAGE, "%s: bad PFM scale '%s'", name, scale_text);
    if ((long long)w * h > SC_MAX_PIXELS)
        return sc_fail(err, SC_ERR_IMAGE, "%s: %dx%d pixels is more than the limit of %lld", name,
                       w, h, SC_MAX_PIXELS);
    /* Exactly one white-space character separates the header from the data. */
    if (pos >= size || !is_space(data[pos]))
        return sc_fail(err, SC_ERR_IMAGE, "%s: truncated PFM", name);
    hd->width = w;
    hd->height = h;
    hd->channels = data[1] == 'F' ? 3 : 1;
    hd->little_endian = scale < 0.0;
    hd->data_start = pos + 1;
    hd->data_bytes = (size_t)w * (size_t)h * (size_t)hd->channels * 4;
    return SC_OK;
}

sc_status sc_pfm_check_head(const uint8_t *head, size_t head_size, unsigned long long file_size,
                            const char *name, sc_error *err)
{
    pfm_header hd;
    sc_status status = parse_header(head, head_size, name, &hd, err);
    if (status == SC_OK && file_size != SC_PFM_SIZE_UNKNOWN &&
        (file_size < hd.data_start || file_size - hd.data_start < hd.data_bytes))
        status = sc_fail(err, SC_ERR_IMAGE,
                         "%s: truncated PFM (its header declares %dx%d, %zu data bytes; the "
                         "file holds %llu)", name, hd.width, hd.height, hd.data_bytes,
                         file_size - hd.data_start);
    return status;
}

sc_status sc_pfm_read_grey(const uint8_t *data, size_t size, const char *name, float **values,
                           int *width, int *height, sc_error *err)
{
    *values = NULL;
    pfm_header hd;
    sc_status status = parse_header(data, size, name, &hd, err);
    if (status != SC_OK)
        return status;
    const int w = hd.width, h = hd.height, channels = hd.channels;
    const size_t pos = hd.data_start, need = hd.data_bytes, count = (size_t)w * (size_t)h;
    if (size - pos < need)
        return sc_fail(err, SC_ERR_IMAGE, "%s: truncated PFM (%zu of %zu data bytes)", name,
                       size - pos, need);
    float *out = malloc(count * sizeof *out);
    if (!out)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory", name);
    const int little = hd.little_endian;
    for (int y = 0; y < h; y++) {
        /* Rows are stored bottom to top. */
        const uint8_t *row = data + pos + (size_t)(h - 1 - y) * (size_t)w * (size_t)channels * 4;
        for (int x = 0; x < w; x++) {
            float sum = 0.0f;
            for (int c = 0; c < channels; c++) {
                const uint8_t *b = row + ((size_t)x * (size_t)channels + (size_t)c) * 4;
                uint32_t bits = little ? (uint32_t)b[0] | (uint32_t)b[1] << 8 |
                                             (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24
                                       : (uint32_t)b[3] | (uint32_t)b[2] << 8 |
                                             (uint32_t)b[1] << 16 | (uint32_t)b[0] << 24;
                float v;
                memcpy(&v, &bits, sizeof v);
                sum += v;
            }
            out[(size_t)y * (size_t)w + (size_t)x] = channels == 1 ? sum : sum / 3.0f;
        }
    }
    *values = out;
    *width = w;
    *height = h;
    return SC_OK;
}
