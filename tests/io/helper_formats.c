#include "io/helper_formats.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libexif/exif-data.h>
#include <libheif/heif.h>

#include "io/image.h"
#include "io/picture_codecs.h"
#include "io/tiff_memory.h"

sc_image fmt_pattern(int w, int h)
{
    sc_image img = {.width = w, .height = h, .rgb = malloc((size_t)w * (size_t)h * 3)};
    assert_non_null(img.rgb);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t *p = img.rgb + ((size_t)y * (size_t)w + (size_t)x) * 3;
            p[0] = (uint8_t)(40 + 160 * x / w + (x * 7 + y * 3) % 5);
            p[1] = (uint8_t)(30 + 180 * y / h);
            p[2] = (uint8_t)(200 - 120 * (x + y) / (w + h));
        }
    return img;
}

uint8_t *fmt_encode(const sc_image *img, sc_file_type type, int quality, size_t *size)
{
    void *data = NULL;
    sc_error err = {0};
    if (sc_image_encode(img, type, quality, &data, size, &err) != SC_OK)
        fail_msg("encoding %s: %s", sc_file_type_name(type), err.msg);
    return data;
}

double fmt_mean_difference(const sc_image *a, const sc_image *b)
{
    assert_int_equal(a->width, b->width);
    assert_int_equal(a->height, b->height);
    size_t n = (size_t)a->width * (size_t)a->height * 3;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += abs((int)a->rgb[i] - (int)b->rgb[i]);
    return sum / (double)n;
}

static void put_entry(ExifData *d, ExifIfd ifd, ExifTag tag, ExifFormat format,
                      const void *value, unsigned size)
{
    ExifEntry *e = exif_entry_new();
    assert_non_null(e);
    e->tag = tag;
    e->format = format;
    e->components = format == EXIF_FORMAT_ASCII ? size : 1;
    e->size = size;
    e->data = malloc(size);
    assert_non_null(e->data);
    memcpy(e->data, value, size);
    exif_content_add_entry(d->ifd[ifd], e);
    exif_entry_unref(e);
}

uint8_t *fmt_exif(int orientation, int pixel_x, int pixel_y, size_t *size)
{
    ExifData *d = exif_data_new();
    assert_non_null(d);
    exif_data_set_byte_order(d, EXIF_BYTE_ORDER_MOTOROLA);
    put_entry(d, EXIF_IFD_0, EXIF_TAG_MAKE, EXIF_FORMAT_ASCII, "FmtMake", 8);
    put_entry(d, EXIF_IFD_0, EXIF_TAG_DATE_TIME, EXIF_FORMAT_ASCII, "2025:01:02 03:04:05", 20);
    uint8_t value[4];
    if (orientation) {
        exif_set_short(value, EXIF_BYTE_ORDER_MOTOROLA, (ExifShort)orientation);
        put_entry(d, EXIF_IFD_0, EXIF_TAG_ORIENTATION, EXIF_FORMAT_SHORT, value, 2);
    }
    if (pixel_x) {
        exif_set_long(value, EXIF_BYTE_ORDER_MOTOROLA, (ExifLong)pixel_x);
        put_entry(d, EXIF_IFD_EXIF, EXIF_TAG_PIXEL_X_DIMENSION, EXIF_FORMAT_LONG, value, 4);
        exif_set_long(value, EXIF_BYTE_ORDER_MOTOROLA, (ExifLong)pixel_y);
        put_entry(d, EXIF_IFD_EXIF, EXIF_TAG_PIXEL_Y_DIMENSION, EXIF_FORMAT_LONG, value, 4);
    }
    unsigned char *saved = NULL;
    unsigned saved_size = 0;
    exif_data_save_data(d, &saved, &saved_size);
    exif_data_unref(d);
    assert_non_null(saved);
    assert_true(saved_size > 6);
    uint8_t *tiff = malloc(saved_size - 6);
    assert_non_null(tiff);
    memcpy(tiff, saved + 6, saved_size - 6);
    *size = saved_size - 6;
    free(saved);
    return tiff;
}

static ExifData *load_exif(const uint8_t *exif, size_t size)
{
    uint8_t *payload = malloc(6 + size);
    assert_non_null(payload);
    memcpy(payload, "Exif\0\0", 6);
    memcpy(payload + 6, exif, size);
    ExifData *d = exif_data_new_from_data(payload, (unsigned)(6 + size));
    free(payload);
    assert_non_null(d);
    return d;
}

int fmt_exif_number(const uint8_t *exif, size_t size, int in_exif_ifd, int tag)
{
    ExifData *d = load_exif(exif, size);
    ExifEntry *e = exif_content_get_entry(d->ifd[in_exif_ifd ? EXIF_IFD_EXIF : EXIF_IFD_0],
                                          (ExifTag)tag);
    int value = -1;
    ExifByteOrder order = exif_data_get_byte_order(d);
    if (e && e->format == EXIF_FORMAT_SHORT)
        value = exif_get_short(e->data, order);
    else if (e && e->format == EXIF_FORMAT_LONG)
        value = (int)exif_get_long(e->data, order);
    exif_data_unref(d);
    return value;
}

int fmt_exif_has_text(const uint8_t *exif, size_t size, int tag, const char *text)
{
    ExifData *d = load_exif(exif, size);
    ExifEntry *e = exif_content_get_entry(d->ifd[EXIF_IFD_0], (ExifTag)tag);
    int found = e && e->format == EXIF_FORMAT_ASCII && e->size >= strlen(text) &&
                memcmp(e->data, text, strlen(text)) == 0;
    exif_data_unref(d);
    return found;
}

uint8_t *fmt_icc(size_t size)
{
    uint8_t *icc = malloc(size);
    assert_non_null(icc);
    for (size_t i = 0; i < size; i++)
        icc[i] = (uint8_t)(i * 11 + 5);
    icc[0] = (uint8_t)(size >> 24);
    icc[1] = (uint8_t)(size >> 16);
    icc[2] = (uint8_t)(size >> 8);
    icc[3] = (uint8_t)size;
    memcpy(icc + 36, "acsp", 4);
    return icc;
}

/* The finished file's bytes, after TIFFClose. */
static uint8_t *finish_tiff(TIFF *tif, sc_tiff_memory *mem, size_t *size)
{
    assert_true(TIFFWriteDirectory(tif));
    TIFFClose(tif);
    assert_false(mem->out_of_memory);
    *size = mem->size;
    return mem->buffer;
}

uint8_t *fmt_tiff(int w, int h, int bits, int samples, int orientation, int tiled,
                  const void *pixels, size_t *size)
{
    sc_tiff_memory mem;
    TIFF *tif = sc_tiff_open_memory(&mem, NULL, 0, "w");
    assert_non_null(tif);
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, (uint32_t)w);
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, (uint32_t)h);
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, bits);
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, samples);
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, samples >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK);
    TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
    if (samples == 2 || samples == 4) {
        uint16_t extra = EXTRASAMPLE_UNASSALPHA;
        TIFFSetField(tif, TIFFTAG_EXTRASAMPLES, 1, &extra);
    }
    if (orientation)
        TIFFSetField(tif, TIFFTAG_ORIENTATION, orientation);
    size_t pixel_bytes = (size_t)samples * (size_t)(bits / 8);
    size_t row_bytes = (size_t)w * pixel_bytes;
    const uint8_t *bytes = pixels;
    if (tiled) {
        TIFFSetField(tif, TIFFTAG_TILEWIDTH, 16);
        TIFFSetField(tif, TIFFTAG_TILELENGTH, 16);
        uint8_t *tile = calloc(16 * 16, pixel_bytes);
        assert_non_null(tile);
        for (int ty = 0; ty < h; ty += 16)
            for (int tx = 0; tx < w; tx += 16) {
                memset(tile, 0, 16 * 16 * pixel_bytes);
                for (int y = ty; y < h && y < ty + 16; y++)
                    for (int x = tx; x < w && x < tx + 16; x++)
                        memcpy(tile + ((size_t)(y - ty) * 16 + (size_t)(x - tx)) * pixel_bytes,
                               bytes + (size_t)y * row_bytes + (size_t)x * pixel_bytes,
                               pixel_bytes);
                assert_true(TIFFWriteTile(tif, tile, (uint32_t)tx, (uint32_t)ty, 0, 0) > 0);
            }
        free(tile);
    } else {
        TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, 3);
        uint8_t *row = malloc(row_bytes);
        assert_non_null(row);
        for (int y = 0; y < h; y++) {
            memcpy(row, bytes + (size_t)y * row_bytes, row_bytes);
            assert_int_equal(TIFFWriteScanline(tif, row, (uint32_t)y, 0), 1);
        }
        free(row);
    }
    return finish_tiff(tif, &mem, size);
}

uint8_t *fmt_tiff_palette(int w, int h, int orientation, size_t *size)
{
    sc_tiff_memory mem;
    TIFF *tif = sc_tiff_open_memory(&mem, NULL, 0, "w");
    assert_non_null(tif);
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, (uint32_t)w);
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, (uint32_t)h);
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 1);
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 1);
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_PALETTE);
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, (uint32_t)h);
    if (orientation)
        TIFFSetField(tif, TIFFTAG_ORIENTATION, orientation);
    /* colour 0 dark red, colour 1 light blue, as 16-bit map entries */
    uint16_t red[2] = {200 * 257, 20 * 257}, green[2] = {10 * 257, 120 * 257},
             blue[2] = {30 * 257, 250 * 257};
    TIFFSetField(tif, TIFFTAG_COLORMAP, red, green, blue);
    size_t row_bytes = ((size_t)w + 7) / 8;
    uint8_t *row = malloc(row_bytes);
    assert_non_null(row);
    for (int y = 0; y < h; y++) {
        memset(row, 0, row_bytes);
        for (int x = 0; x < w; x++)
            if (((size_t)y * (size_t)w + (size_t)x) % 3 == 0)
                row[x / 8] |= (uint8_t)(0x80 >> (x % 8));
        assert_int_equal(TIFFWriteScanline(tif, row, (uint32_t)y, 0), 1);
    }
    free(row);
    return finish_tiff(tif, &mem, size);
}

typedef struct heic_sink {
    uint8_t *data;
    size_t size;
} heic_sink;

static struct heif_error sink_write(struct heif_context *ctx, const void *data, size_t size,
                                    void *userdata)
{
    (void)ctx;
    heic_sink *s = userdata;
    s->data = realloc(s->data, s->size + size);
    assert_non_null(s->data);
    memcpy(s->data + s->size, data, size);
    s->size += size;
    return (struct heif_error){heif_error_Ok, heif_suberror_Unspecified, "ok"};
}

uint8_t *fmt_heic(const sc_image *img, int orientation, int lossless, const uint8_t *exif,
                  size_t exif_size, size_t *size)
{
    if (!sc_heif_can_encode())
        return NULL;
    struct heif_context *ctx = heif_context_alloc();
    struct heif_encoder *encoder = NULL;
    struct heif_image *image = NULL;
    struct heif_image_handle *handle = NULL;
    assert_int_equal(heif_context_get_encoder_for_format(ctx, heif_compression_HEVC, &encoder)
                         .code,
                     heif_error_Ok);
    struct heif_color_profile_nclx *nclx = heif_nclx_color_profile_alloc();
    assert_non_null(nclx);
    if (lossless) {
        heif_encoder_set_lossless(encoder, 1);
        heif_encoder_set_parameter_string(encoder, "chroma", "444");
        nclx->matrix_coefficients = heif_matrix_coefficients_RGB_GBR;
        nclx->full_range_flag = 1;
    } else {
        heif_encoder_set_lossy_quality(encoder, 90);
    }
    assert_int_equal(heif_image_create(img->width, img->height, heif_colorspace_RGB,
                                       heif_chroma_interleaved_RGB, &image)
                         .code,
                     heif_error_Ok);
    heif_image_add_plane(image, heif_channel_interleaved, img->width, img->height, 8);
    int stride;
    uint8_t *plane = heif_image_get_plane(image, heif_channel_interleaved, &stride);
    for (int y = 0; y < img->height; y++)
        memcpy(plane + (size_t)y * (size_t)stride, img->rgb + (size_t)y * (size_t)img->width * 3,
               (size_t)img->width * 3);
    struct heif_encoding_options *options = heif_encoding_options_alloc();
    options->image_orientation = (enum heif_orientation)orientation;
    if (lossless)
        options->output_nclx_profile = nclx;
    assert_int_equal(heif_context_encode_image(ctx, image, encoder, options, &handle).code,
                     heif_error_Ok);
    if (exif)
        assert_int_equal(heif_context_add_exif_metadata(ctx, handle, exif, (int)exif_size).code,
                         heif_error_Ok);
    heic_sink sink = {NULL, 0};
    struct heif_writer writer = {1, sink_write};
    assert_int_equal(heif_context_write(ctx, &writer, &sink).code, heif_error_Ok);
    heif_encoding_options_free(options);
    heif_nclx_color_profile_free(nclx);
    heif_image_handle_release(handle);
    heif_image_release(image);
    heif_encoder_release(encoder);
    heif_context_free(ctx);
    *size = sink.size;
    return sink.data;
}
