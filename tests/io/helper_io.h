/* Shared test helpers for the io stage: temporary folders, files, hand-made
 * PNGs and safetensors files. */
#ifndef TESTS_IO_HELPER_IO_H
#define TESTS_IO_HELPER_IO_H

#include <stddef.h>
#include <stdint.h>

/* A fresh folder under $TMPDIR (or /tmp); remove it with io_rmtree. */
char *io_tempdir(void);
void io_rmtree(const char *dir);
/* dir + "/" + name, malloc'd. */
char *io_join(const char *dir, const char *name);
int io_write_bytes(const char *path, const void *data, size_t size);
/* malloc'd contents, NULL on failure. */
void *io_read_bytes(const char *path, size_t *size);
/* Number of entries in dir other than . and .. */
int io_count_entries(const char *dir);

/* A fresh temporary folder for each test (or group) as a cmocka setup and
 * teardown pair; the folder's path is io_test_dir in between. */
extern char *io_test_dir;
int io_test_dir_setup(void **state);
int io_test_dir_teardown(void **state);

/* Growing in-memory file for stbi_write_*_to_func: io_mem_sink_append is the
 * write callback and the context a zero-initialised io_mem_sink. */
typedef struct io_mem_sink {
    uint8_t *data;
    size_t size;
} io_mem_sink;
void io_mem_sink_append(void *context, void *data, int size);

/* A PNG with stored (uncompressed) deflate blocks; rows are given without
 * filter bytes. bit_depth 8 or 16 (samples big-endian), color_type as in
 * the PNG specification (0 grey, 2 RGB, 4 grey+alpha, 6 RGBA). malloc'd. */
uint8_t *io_png_bytes(int width, int height, int bit_depth, int color_type, const uint8_t *rows,
                      size_t *size);

/* A safetensors file: 8-byte length, header (padded with spaces to pad_to
 * bytes when longer), then data. malloc'd. */
uint8_t *io_safetensors_bytes(const char *header, size_t pad_to, const void *data,
                              size_t data_size, size_t *size);

/* cmocka check that text contains part, printing both when it does not
 * (include <string.h> and cmocka before using it). */
#define IO_ASSERT_CONTAINS(text, part)                                                         \
    do {                                                                                       \
        const char *text_ = (text), *part_ = (part);                                           \
        if (!strstr(text_, part_))                                                             \
            fail_msg("expected \"%s\" in \"%s\"", part_, text_);                               \
    } while (0)

#endif
