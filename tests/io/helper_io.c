#include "io/helper_io.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

char *io_tempdir(void)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    char *dir = io_join(base, "sc-io-test-XXXXXX");
    if (dir && !mkdtemp(dir)) {
        free(dir);
        return NULL;
    }
    return dir;
}

void io_rmtree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *p = io_join(dir, e->d_name);
            struct stat sb;
            if (p && lstat(p, &sb) == 0) {
                if (S_ISDIR(sb.st_mode)) {
                    chmod(p, 0700);
                    io_rmtree(p);
                } else {
                    unlink(p);
                }
            }
            free(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

char *io_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

int io_write_bytes(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = size ? fwrite(data, 1, size, f) : 0;
    int rc = fclose(f);
    return n == size && rc == 0 ? 0 : -1;
}

void *io_read_bytes(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, used = 0;
    unsigned char *buf = malloc(cap);
    while (buf) {
        size_t n = fread(buf + used, 1, cap - used, f);
        used += n;
        if (used < cap)
            break;
        unsigned char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    fclose(f);
    *size = used;
    return buf;
}

int io_count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

char *io_test_dir;

int io_test_dir_setup(void **state)
{
    (void)state;
    io_test_dir = io_tempdir();
    return io_test_dir ? 0 : -1;
}

int io_test_dir_teardown(void **state)
{
    (void)state;
    io_rmtree(io_test_dir);
    free(io_test_dir);
    io_test_dir = NULL;
    return 0;
}

void io_mem_sink_append(void *context, void *data, int size)
{
    io_mem_sink *sink = context;
    uint8_t *grown = realloc(sink->data, sink->size + (size_t)size);
    assert_non_null(grown);
    memcpy(grown + sink->size, data, (size_t)size);
    sink->data = grown;
    sink->size += (size_t)size;
}

/* ---- PNG by hand ---- */

static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static size_t put_chunk(uint8_t *out, const char *type, const uint8_t *data, size_t n)
{
    put_be32(out, (uint32_t)n);
    memcpy(out + 4, type, 4);
    if (n)
        memcpy(out + 8, data, n);
    put_be32(out + 8 + n, crc32_update(0, out + 4, n + 4));
    return n + 12;
}

uint8_t *io_png_bytes(int width, int height, int bit_depth, int color_type, const uint8_t *rows,
                      size_t *size)
{
    int channels = color_type == 0 ? 1 : color_type == 2 ? 3 : color_type == 4 ? 2 : 4;
    size_t row_bytes = (size_t)width * (size_t)channels * (size_t)(bit_depth / 8);
    size_t raw_size = (row_bytes + 1) * (size_t)height;
    uint8_t *raw = malloc(raw_size);
    if (!raw)
        return NULL;
    for (int y = 0; y < height; y++) {
        raw[(size_t)y * (row_bytes + 1)] = 0;
        memcpy(raw + (size_t)y * (row_bytes + 1) + 1, rows + (size_t)y * row_bytes, row_bytes);
    }
    /* zlib stream of stored blocks of at most 65535 bytes. */
    size_t blocks = raw_size / 65535 + 1;
    size_t z_size = 2 + raw_size + 5 * blocks + 4;
    uint8_t *z = malloc(z_size);
    uint8_t *png = malloc(z_size + 8 + 25 + 12 + 12);
    if (!z || !png) {
        free(raw);
        free(z);
        free(png);
        return NULL;
    }
    size_t zi = 0;
    z[zi++] = 0x78;
    z[zi++] = 0x01;
    size_t left = raw_size, at = 0;
    do {
        size_t n = left > 65535 ? 65535 : left;
        z[zi++] = left == n ? 1 : 0;
        z[zi++] = (uint8_t)n;
        z[zi++] = (uint8_t)(n >> 8);
        z[zi++] = (uint8_t)~n;
        z[zi++] = (uint8_t)(~n >> 8);
        memcpy(z + zi, raw + at, n);
        zi += n;
        at += n;
        left -= n;
    } while (left);
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < raw_size; i++) {
        a = (a + raw[i]) % 65521;
        b = (b + a) % 65521;
    }
    put_be32(z + zi, b << 16 | a);
    zi += 4;

    size_t pi = 0;
    memcpy(png, "\x89PNG\r\n\x1a\n", 8);
    pi += 8;
    uint8_t ihdr[13];
    put_be32(ihdr, (uint32_t)width);
    put_be32(ihdr + 4, (uint32_t)height);
    ihdr[8] = (uint8_t)bit_depth;
    ihdr[9] = (uint8_t)color_type;
    ihdr[10] = ihdr[11] = ihdr[12] = 0;
    pi += put_chunk(png + pi, "IHDR", ihdr, 13);
    pi += put_chunk(png + pi, "IDAT", z, zi);
    pi += put_chunk(png + pi, "IEND", NULL, 0);
    free(raw);
    free(z);
    *size = pi;
    return png;
}

uint8_t *io_safetensors_bytes(const char *header, size_t pad_to, const void *data,
                              size_t data_size, size_t *size)
{
    size_t header_len = strlen(header);
    if (pad_to > header_len)
        header_len = pad_to;
    uint8_t *out = malloc(8 + header_len + data_size + 1);
    if (!out)
        return NULL;
    for (int i = 0; i < 8; i++)
        out[i] = (uint8_t)((uint64_t)header_len >> (8 * i));
    memset(out + 8, ' ', header_len);
    memcpy(out + 8, header, strlen(header));
    if (data_size)
        memcpy(out + 8 + header_len, data, data_size);
    *size = 8 + header_len + data_size;
    return out;
}
