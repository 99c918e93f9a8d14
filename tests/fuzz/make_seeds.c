/*
 * Writes the synthetic seeds of tests/fuzz/corpus/ (the small files copied
 * from tests/data are listed in docs/fuzzing.md). Every seed is a valid input,
 * tiny, and reaches a different part of its parser: each picture format and
 * its variants (grey, alpha, 16-bit, palette, run-length, EXIF orientation,
 * tiles, metadata chunks),
 * both PFM byte orders, two model files covering both fronts of the coarse
 * net, and typical pairs lists and command lines.
 *
 *   cmake --build build-fuzz --target make_fuzz_seeds
 *   build-fuzz/make_fuzz_seeds tests/fuzz/corpus
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <tiffio.h>
#include <unistd.h>
#include <zlib.h>

#include <stb_image_write.h>

#include "nets/model.h"
#include "nets/weights.h"
#include "skychange.h"

static const char *g_root;

static void die(const char *what)
{
    fprintf(stderr, "make_fuzz_seeds: %s\n", what);
    exit(1);
}

static void write_seed(const char *harness, const char *name, const void *data, size_t size)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", g_root, harness);
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        die(path);
    snprintf(path, sizeof path, "%s/%s/%s", g_root, harness, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        die(path);
    printf("%8zu  %s\n", size, path);
}

/* ---- growing byte buffers ------------------------------------------------- */

typedef struct bytes {
    uint8_t *data;
    size_t size;
} bytes;

static void put(bytes *b, const void *data, size_t n)
{
    uint8_t *grown = realloc(b->data, b->size + n);
    if (!grown)
        die("out of memory");
    memcpy(grown + b->size, data, n);
    b->data = grown;
    b->size += n;
}

static void put_be32(bytes *b, uint32_t v)
{
    uint8_t p[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    put(b, p, 4);
}

static void sink(void *context, void *data, int size)
{
    put(context, data, (size_t)size);
}

/* ---- pictures ------------------------------------------------------------- */

enum { W = 13, H = 9 };

static void pattern(uint8_t *px, int channels)
{
    for (int i = 0; i < W * H * channels; i++)
        px[i] = (uint8_t)(i * 7 + (i / 39) * 13);
}

static void png_chunk(bytes *b, const char *type, const uint8_t *data, uint32_t n)
{
    put_be32(b, n);
    uLong crc = crc32(0, (const Bytef *)type, 4);
    if (n)
        crc = crc32(crc, data, n);
    put(b, type, 4);
    put(b, data, n);
    put_be32(b, (uint32_t)crc);
}

/* A PNG stb_image_write cannot make: 16-bit samples, or a palette. */
static bytes png_by_hand(int depth, int colour_type, int channels, const uint8_t *palette,
                         int palette_size)
{
    int row_bytes = (W * channels * depth + 7) / 8;
    uint8_t raw[H * (1 + W * 3 * 2)];
    for (int y = 0; y < H; y++) {
        raw[y * (1 + row_bytes)] = (uint8_t)(y % 5); /* every filter type */
        for (int x = 0; x < row_bytes; x++)
            raw[y * (1 + row_bytes) + 1 + x] = (uint8_t)(x * 31 + y * 17);
    }
    uLongf packed_size = compressBound(sizeof raw);
    uint8_t *packed = malloc(packed_size);
    if (!packed || compress2(packed, &packed_size, raw, (uLong)(H * (1 + row_bytes)), 9) != Z_OK)
        die("zlib");
    bytes b = {NULL, 0};
    put(&b, "\x89PNG\r\n\x1a\n", 8);
    uint8_t ihdr[13] = {0, 0, 0, W, 0, 0, 0, H, (uint8_t)depth, (uint8_t)colour_type, 0, 0, 0};
    png_chunk(&b, "IHDR", ihdr, 13);
    if (palette)
        png_chunk(&b, "PLTE", palette, (uint32_t)palette_size * 3);
    png_chunk(&b, "IDAT", packed, (uint32_t)packed_size);
    png_chunk(&b, "IEND", NULL, 0);
    free(packed);
    return b;
}

/* EXIF as a TIFF structure with one IFD0 entry, Orientation (type 3 SHORT or
 * 4 LONG); returns its size (26 bytes). */
static size_t orientation_exif(uint8_t tiff[26], int big_endian, int type, int value)
{
    size_t n = 0;
#define PUT16(v)                                                                               \
    do {                                                                                       \
        unsigned v_ = (v);                                                                     \
        tiff[n++] = (uint8_t)(big_endian ? v_ >> 8 : v_);                                      \
        tiff[n++] = (uint8_t)(big_endian ? v_ : v_ >> 8);                                      \
    } while (0)
    memcpy(tiff, big_endian ? "MM\0*" : "II*\0", 4);
    n = 4;
    PUT16(big_endian ? 0 : 8); /* offset of IFD0, 32 bits */
    PUT16(big_endian ? 8 : 0);
    PUT16(1);      /* one entry */
    PUT16(0x0112); /* Orientation */
    PUT16(type);   /* 3 SHORT, 4 LONG */
    PUT16(big_endian ? 0 : 1); /* one value, 32 bits */
    PUT16(big_endian ? 1 : 0);
    if (type == 3) {
        PUT16(value);
        PUT16(0);
    } else {
        PUT16(big_endian ? 0 : value);
        PUT16(big_endian ? value : 0);
    }
    PUT16(0); /* no next IFD */
    PUT16(0);
#undef PUT16
    return n;
}

/* An APP1 Exif segment with the orientation above, inserted after SOI. */
static bytes jpeg_with_orientation(const bytes *jpeg, int big_endian, int type, int value)
{
    uint8_t tiff[26];
    size_t n = orientation_exif(tiff, big_endian, type, value);
    size_t length = 2 + 6 + n;
    uint8_t head[10] = {0xff, 0xe1, (uint8_t)(length >> 8), (uint8_t)length, 'E', 'x', 'i', 'f', 0, 0};
    bytes b = {NULL, 0};
    put(&b, jpeg->data, 2);
    put(&b, head, sizeof head);
    put(&b, tiff, n);
    put(&b, jpeg->data + 2, jpeg->size - 2);
    return b;
}

/* A BMP with an 8-bit palette, optionally run-length encoded (RLE8). */
static bytes bmp_palette(int rle)
{
    bytes pixels = {NULL, 0};
    for (int y = 0; y < H; y++) {
        if (rle) {
            uint8_t run[2] = {(uint8_t)W, (uint8_t)(y * 3)};
            put(&pixels, run, 2);
            uint8_t end_of_line[2] = {0, 0};
            put(&pixels, end_of_line, 2);
        } else {
            uint8_t row[16] = {0};
            for (int x = 0; x < W; x++)
                row[x] = (uint8_t)((x + y) % 16);
            put(&pixels, row, 16); /* rows padded to 4 bytes */
        }
    }
    if (rle) {
        uint8_t end_of_bitmap[2] = {0, 1};
        put(&pixels, end_of_bitmap, 2);
    }
    uint32_t offset = 14 + 40 + 16 * 4;
    uint32_t file_size = offset + (uint32_t)pixels.size;
    uint8_t head[54] = {'B', 'M'};
#define LE32(at, v)                                                                            \
    do {                                                                                       \
        uint32_t v_ = (v);                                                                     \
        for (int k = 0; k < 4; k++)                                                            \
            head[(at) + k] = (uint8_t)(v_ >> (8 * k));                                         \
    } while (0)
    LE32(2, file_size);
    LE32(10, offset);
    LE32(14, 40);
    LE32(18, W);
    LE32(22, H);
    head[26] = 1;  /* planes */
    head[28] = 8;  /* bits per pixel */
    LE32(30, rle ? 1 : 0);
    LE32(34, (uint32_t)pixels.size);
    LE32(46, 16); /* colours used */
#undef LE32
    bytes b = {NULL, 0};
    put(&b, head, sizeof head);
    for (int i = 0; i < 16; i++) {
        uint8_t bgra[4] = {(uint8_t)(i * 16), (uint8_t)(255 - i * 16), (uint8_t)(i * 8), 0};
        put(&b, bgra, 4);
    }
    put(&b, pixels.data, pixels.size);
    free(pixels.data);
    return b;
}

static void picture_seeds(void)
{
    uint8_t rgba[W * H * 4];
    pattern(rgba, 4);
    struct {
        const char *name;
        int channels;
    } stb_pngs[] = {{"grey.png", 1}, {"grey_alpha.png", 2}, {"rgb.png", 3}, {"rgba.png", 4}};
    for (size_t i = 0; i < sizeof stb_pngs / sizeof *stb_pngs; i++) {
        bytes b = {NULL, 0};
        int c = stb_pngs[i].channels;
        if (!stbi_write_png_to_func(sink, &b, W, H, c, rgba, W * c))
            die("png");
        write_seed("fuzz_image", stb_pngs[i].name, b.data, b.size);
        if (c <= 2)
            write_seed("fuzz_matte", stb_pngs[i].name, b.data, b.size);
        free(b.data);
    }
    bytes png16 = png_by_hand(16, 2, 3, NULL, 0);
    write_seed("fuzz_image", "rgb16.png", png16.data, png16.size);
    free(png16.data);
    png16 = png_by_hand(16, 0, 1, NULL, 0);
    write_seed("fuzz_matte", "grey16.png", png16.data, png16.size);
    free(png16.data);
    uint8_t palette[4 * 3] = {0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255};
    bytes png_pal = png_by_hand(2, 3, 1, palette, 4);
    write_seed("fuzz_image", "palette2.png", png_pal.data, png_pal.size);
    free(png_pal.data);

    bytes jpg = {NULL, 0}, grey_jpg = {NULL, 0};
    if (!stbi_write_jpg_to_func(sink, &jpg, W, H, 3, rgba, 90) ||
        !stbi_write_jpg_to_func(sink, &grey_jpg, W, H, 1, rgba, 90))
        die("jpeg");
    write_seed("fuzz_image", "rgb.jpg", jpg.data, jpg.size);
    write_seed("fuzz_image", "grey.jpg", grey_jpg.data, grey_jpg.size);
    bytes turned = jpeg_with_orientation(&jpg, 1, 3, 6);
    write_seed("fuzz_image", "exif_be_short_6.jpg", turned.data, turned.size);
    free(turned.data);
    turned = jpeg_with_orientation(&jpg, 0, 4, 5);
    write_seed("fuzz_image", "exif_le_long_5.jpg", turned.data, turned.size);
    free(turned.data);
    turned = jpeg_with_orientation(&grey_jpg, 0, 3, 3);
    write_seed("fuzz_matte", "grey_exif_3.jpg", turned.data, turned.size);
    free(turned.data);
    free(jpg.data);
    free(grey_jpg.data);

    bytes bmp = {NULL, 0}, bmp32 = {NULL, 0};
    if (!stbi_write_bmp_to_func(sink, &bmp, W, H, 3, rgba) ||
        !stbi_write_bmp_to_func(sink, &bmp32, W, H, 4, rgba))
        die("bmp");
    write_seed("fuzz_image", "rgb.bmp", bmp.data, bmp.size);
    write_seed("fuzz_image", "rgba.bmp", bmp32.data, bmp32.size);
    free(bmp.data);
    free(bmp32.data);
    bytes pal = bmp_palette(0), rle = bmp_palette(1);
    write_seed("fuzz_image", "palette8.bmp", pal.data, pal.size);
    write_seed("fuzz_image", "rle8.bmp", rle.data, rle.size);
    free(pal.data);
    free(rle.data);

    bytes tga = {NULL, 0}, tga_rle = {NULL, 0}, tga_grey = {NULL, 0};
    stbi_write_tga_with_rle = 0;
    if (!stbi_write_tga_to_func(sink, &tga, W, H, 3, rgba) ||
        !stbi_write_tga_to_func(sink, &tga_grey, W, H, 1, rgba))
        die("tga");
    stbi_write_tga_with_rle = 1;
    if (!stbi_write_tga_to_func(sink, &tga_rle, W, H, 4, rgba))
        die("tga");
    write_seed("fuzz_image", "rgb.tga", tga.data, tga.size);
    write_seed("fuzz_image", "rgba_rle.tga", tga_rle.data, tga_rle.size);
    write_seed("fuzz_matte", "grey.tga", tga_grey.data, tga_grey.size);
    free(tga.data);
    free(tga_rle.data);
    free(tga_grey.data);
}

/* ---- WebP, TIFF and HEIF: the library's own writers, and libtiff ----------- */

static void encode_seed(const sc_image *img, sc_file_type type, int quality, const char *name)
{
    void *data = NULL;
    size_t size = 0;
    sc_error err = {SC_OK, ""};
    if (sc_image_encode(img, type, quality, &data, &size, &err) != SC_OK)
        die(err.msg);
    write_seed("fuzz_image", name, data, size);
    sc_buffer_free(data);
}

/* A tiled TIFF of 16-bit grey and alpha, written by libtiff: the decoder's
 * own sample path for 16 bits and tiles (the writer makes 8-bit strips). */
static void tiff16_seed(void)
{
    char path[] = "/tmp/make_fuzz_seeds_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        die("mkstemp");
    close(fd);
    TIFF *tif = TIFFOpen(path, "w");
    if (!tif)
        die("libtiff");
    uint16_t extra = EXTRASAMPLE_UNASSALPHA;
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, (uint32_t)W);
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, (uint32_t)H);
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 16);
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 2);
    TIFFSetField(tif, TIFFTAG_EXTRASAMPLES, 1, &extra);
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
    TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
    TIFFSetField(tif, TIFFTAG_ORIENTATION, ORIENTATION_RIGHTTOP);
    TIFFSetField(tif, TIFFTAG_TILEWIDTH, 16);
    TIFFSetField(tif, TIFFTAG_TILELENGTH, 16);
    uint16_t tile[16 * 16 * 2];
    for (int i = 0; i < 16 * 16 * 2; i++)
        tile[i] = (uint16_t)(i * 997);
    if (TIFFWriteTile(tif, tile, 0, 0, 0, 0) < 0)
        die("libtiff");
    TIFFClose(tif);
    FILE *f = fopen(path, "rb");
    bytes b = {NULL, 0};
    uint8_t chunk[4096];
    size_t n;
    while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        put(&b, chunk, n);
    if (!f || fclose(f) != 0 || remove(path) != 0)
        die(path);
    write_seed("fuzz_image", "grey_alpha16_tiled.tif", b.data, b.size);
    write_seed("fuzz_matte", "grey_alpha16_tiled.tif", b.data, b.size);
    free(b.data);
}

static void library_format_seeds(void)
{
    uint8_t rgb[W * H * 3];
    pattern(rgb, 3);
    sc_image img = {.width = W, .height = H, .rgb = rgb};
    encode_seed(&img, SC_FILE_WEBP, 100, "lossless.webp");
    encode_seed(&img, SC_FILE_WEBP, 80, "lossy.webp");
    encode_seed(&img, SC_FILE_TIFF, 0, "rgb.tif");
    if (sc_output_type("heic", 0, NULL) == 1)
        encode_seed(&img, SC_FILE_HEIC, 50, "rgb.heic");
    /* EXIF orientation 6 and a profile: the metadata chunks, tags and boxes */
    uint8_t exif[26], icc[132] = {0};
    img.exif = exif;
    img.exif_size = orientation_exif(exif, 1, 3, 6);
    icc[3] = sizeof icc;
    memcpy(icc + 36, "acsp", 4);
    img.icc = icc;
    img.icc_size = sizeof icc;
    encode_seed(&img, SC_FILE_WEBP, 100, "exif_6_icc.webp");
    encode_seed(&img, SC_FILE_TIFF, 0, "icc.tif");
    if (sc_output_type("heic", 0, NULL) == 1)
        encode_seed(&img, SC_FILE_HEIC, 50, "exif_icc.heic");
    tiff16_seed();
}

/* ---- PFM ------------------------------------------------------------------ */

static void pfm_seed(const char *name, int colour, int little)
{
    enum { PW = 5, PH = 3 };
    bytes b = {NULL, 0};
    char head[64];
    int n = snprintf(head, sizeof head, "%s\n%d %d\n%s\n", colour ? "PF" : "Pf", PW, PH,
                     little ? "-1.0" : "1.0");
    put(&b, head, (size_t)n);
    int channels = colour ? 3 : 1;
    for (int i = 0; i < PW * PH * channels; i++) {
        /* values in and out of [0, 1], and one NaN: the reader clamps */
        float v = i == 4 ? NAN : (float)(i % 7) / 4.0f - 0.25f;
        uint32_t bits;
        memcpy(&bits, &v, sizeof bits);
        uint8_t p[4];
        for (int k = 0; k < 4; k++)
            p[k] = (uint8_t)(bits >> (8 * (little ? k : 3 - k)));
        put(&b, p, 4);
    }
    write_seed("fuzz_matte", name, b.data, b.size);
    free(b.data);
}

/* ---- model files ---------------------------------------------------------- */

/* The tensors the loader asks for, in order, recorded with their shapes. */
typedef struct recorded {
    char *name;
    int64_t shape[4];
    int ndim;
    size_t count;
} recorded;

typedef struct recorder {
    recorded *items;
    int count;
} recorder;

static sc_status record(void *ctx, const char *name, const int64_t *shape, int ndim, float *dst,
                        sc_error *err)
{
    (void)err;
    recorder *r = ctx;
    if (!dst)
        return SC_OK; /* a shape check before allocating: the real read follows */
    recorded *grown = realloc(r->items, (size_t)(r->count + 1) * sizeof *grown);
    if (!grown || ndim > 4)
        die("recording tensors");
    r->items = grown;
    recorded *t = &r->items[r->count++];
    t->name = strdup(name);
    t->ndim = ndim;
    t->count = 1;
    for (int i = 0; i < ndim; i++) {
        t->shape[i] = shape[i];
        t->count *= (size_t)shape[i];
    }
    for (size_t i = 0; i < t->count; i++)
        dst[i] = 0.5f;
    return SC_OK;
}

/* Small values that float16 holds exactly; variances positive. */
static float seed_value(const char *name, size_t i)
{
    size_t n = strlen(name);
    if (n >= 12 && strcmp(name + n - 12, "running_var") == 0)
        return 1.0f;
    static const float values[4] = {0.5f, -0.25f, 0.125f, 1.0f};
    return values[i % 4];
}

static uint16_t half_of(float v)
{
    /* only the values of seed_value */
    if (v == 0.5f)
        return 0x3800;
    if (v == -0.25f)
        return 0xb400;
    if (v == 0.125f)
        return 0x3000;
    return 0x3c00; /* 1.0 */
}

static void model_seed(const char *name, const char *config, int f16)
{
    recorder r = {NULL, 0};
    sc_model *m = NULL;
    sc_error err = {SC_OK, ""};
    if (sc_model_build(config, name, record, &r, &m, &err) != SC_OK) {
        fprintf(stderr, "%s\n", err.msg);
        die("the seed config does not build");
    }
    sc_model_free(m);

    cJSON *header = cJSON_CreateObject();
    cJSON *meta = cJSON_AddObjectToObject(header, "__metadata__");
    cJSON_AddStringToObject(meta, "format", "skychange");
    cJSON_AddStringToObject(meta, "format_version", "1");
    cJSON_AddStringToObject(meta, "config", config);
    bytes data = {NULL, 0};
    for (int i = 0; i < r.count; i++) {
        recorded *t = &r.items[i];
        size_t begin = data.size;
        for (size_t k = 0; k < t->count; k++) {
            float v = seed_value(t->name, k);
            if (f16) {
                uint16_t h = half_of(v);
                uint8_t p[2] = {(uint8_t)h, (uint8_t)(h >> 8)};
                put(&data, p, 2);
            } else {
                put(&data, &v, 4); /* little-endian host */
            }
        }
        cJSON *entry = cJSON_AddObjectToObject(header, t->name);
        cJSON_AddStringToObject(entry, "dtype", f16 ? "F16" : "F32");
        cJSON *shape = cJSON_AddArrayToObject(entry, "shape");
        for (int d = 0; d < t->ndim; d++)
            cJSON_AddItemToArray(shape, cJSON_CreateNumber((double)t->shape[d]));
        cJSON *offsets = cJSON_AddArrayToObject(entry, "data_offsets");
        cJSON_AddItemToArray(offsets, cJSON_CreateNumber((double)begin));
        cJSON_AddItemToArray(offsets, cJSON_CreateNumber((double)data.size));
        free(t->name);
    }
    free(r.items);
    char *json = cJSON_PrintUnformatted(header);
    cJSON_Delete(header);
    if (!json)
        die("out of memory");
    size_t json_len = strlen(json);
    size_t padded = (json_len + 7) / 8 * 8; /* tensor data 8-byte aligned, as exporters do */
    bytes file = {NULL, 0};
    uint8_t len[8];
    for (int k = 0; k < 8; k++)
        len[k] = (uint8_t)((uint64_t)padded >> (8 * k));
    put(&file, len, 8);
    put(&file, json, json_len);
    for (size_t k = json_len; k < padded; k++)
        put(&file, " ", 1);
    put(&file, data.data, data.size);
    free(json);
    free(data.data);

    char fname[128];
    snprintf(fname, sizeof fname, "%s.safetensors", name);
    write_seed("fuzz_model", fname, file.data, file.size);
    free(file.data);

    /* The seed must load: it is the fuzzer's way into the network builder. */
    char path[1024];
    snprintf(path, sizeof path, "%s/fuzz_model/%s", g_root, fname);
    if (sc_model_load(path, &m, &err) != SC_OK) {
        fprintf(stderr, "%s\n", err.msg);
        die("the seed model does not load");
    }
    printf("          %s\n", sc_model_describe(m));
    sc_model_free(m);
}

/* The stem and layer1 front, a tail, ASPP, OCR at scale 2, matte levels; float32. */
static const char *const k_stem_config =
    "{\"name\":\"fuzz_stem\",\"version\":\"1\","
    "\"preprocess\":{\"coarse_size\":32,\"refine_size\":32,"
    "\"mean\":[0.485,0.456,0.406],\"std\":[0.229,0.224,0.225]},"
    "\"coarse\":{\"architecture\":\"super_first\",\"class_num\":2,\"stem_channels\":2,"
    "\"layer1\":{\"block\":\"BOTTLENECK\",\"blocks\":1,\"channels\":1},"
    "\"stages\":[{\"modules\":1,\"block\":\"BASIC\",\"blocks\":[1,1],\"channels\":[1,2]}],"
    "\"tail\":{\"block\":\"BOTTLENECK\",\"blocks\":1,\"channels\":1},"
    "\"super\":{\"modules\":1,\"block\":\"BASIC\",\"blocks\":[1,1],\"channels\":[1,2]},"
    "\"aspp\":{\"out\":2,\"dilations\":[1,2,3,4]},\"ocr\":{\"mid\":2,\"key\":1,\"scale\":2}},"
    "\"refine\":{\"in_channels\":4,\"widths\":[1,1,1,1,1],\"aspp\":null,\"levels\":[0.05,0.95]}}";

/* The MobileNetV2 encoder front, coarse views, OCR first, refiner ASPP; float16. */
static const char *const k_encoder_config =
    "{\"name\":\"fuzz_encoder\",\"version\":\"1\","
    "\"preprocess\":{\"coarse_size\":32,\"refine_size\":32,"
    "\"mean\":[0.485,0.456,0.406],\"std\":[0.229,0.224,0.225],"
    "\"coarse_views\":{\"sizes\":[32,48],\"flip\":true}},"
    "\"coarse\":{\"architecture\":\"ocr_first\",\"class_num\":2,"
    "\"encoder\":{\"type\":\"mobilenet_v2\",\"stem_channels\":2,"
    "\"blocks\":[[1,2,1,1],[2,2,1,2],[2,2,1,2]],\"taps\":[1,2,3]},"
    "\"stages\":[{\"modules\":1,\"block\":\"BASIC\",\"blocks\":[1,1],\"channels\":[2,2]}],"
    "\"tail\":null,"
    "\"super\":{\"modules\":1,\"block\":\"BASIC\",\"blocks\":[1,1],\"channels\":[1,2]},"
    "\"aspp\":{\"out\":2,\"dilations\":[1,2,3,4]},\"ocr\":{\"mid\":2,\"key\":1,\"scale\":1}},"
    "\"refine\":{\"in_channels\":4,\"widths\":[1,1,1,1,1],"
    "\"aspp\":{\"out\":1,\"dilations\":[1,3,6,9]}}}";

/* ---- pairs lists and command lines ---------------------------------------- */

static void text_seed(const char *harness, const char *name, const char *text, size_t size)
{
    write_seed(harness, name, text, size);
}

#define TEXT(harness, name, literal) text_seed(harness, name, literal, sizeof literal - 1)

static void cli_seeds(void)
{
    TEXT("fuzz_pairs", "list.tsv",
         "# scene\tsky\toutput\t[scene matte\t[sky matte]]\n"
         "scenes/beach.jpg\tskies/sunset.jpg\tout/beach.png\n"
         "\n"
         "  # indented comment\n"
         "/abs/lake.jpeg\tsky.png\tout/lake.jpg\tlake_alpha.png\r\n"
         "hill.bmp\tsky.tga\t../out/hill.bmp\t-\tsky_alpha.pfm\n"
         "field.png\tsky.png\tout/field.jpeg\t\tsky_alpha.png\n");
    TEXT("fuzz_pairs", "same_output.tsv",
         "a.jpg\tb.jpg\tout/same.png\n"
         "c.jpg\td.jpg\tout/./same.png\n");
    TEXT("fuzz_pairs", "bad_fields.tsv", "a.jpg\tb.jpg\n");

    TEXT("fuzz_args", "single", "--scene\0a.jpg\0--sky\0b.jpg\0-o\0out.png");
    TEXT("fuzz_args", "mask", "--mask\0a.jpg\0b.png\0-o\0mattes/\0--format\0pfm\0-q");
    TEXT("fuzz_args", "pairs",
         "--pairs\0list.tsv\0--threads\0" "2\0--quality=95\0-v\0--timings\0--model\0m.st");
    TEXT("fuzz_args", "batch",
         "photos/\0--sky\0s.jpg\0-o\0out/\0--format\0jpg\0--shard\0" "2/3\0--skip-existing\0"
         "--scene-alpha\0mattes/\0--save-alpha\0saved/\0--sky-alpha\0s.png");
    TEXT("fuzz_args", "look",
         "--scene\0a.jpg\0--sky\0b.jpg\0-o\0c.png\0--harmonize=0.3\0--sky-scale\0" "2\0"
         "--sky-offset\0" "0.5,-0.5\0--flip-sky\0--edge-shift\0-20\0--edge-fade\0" "10\0"
         "--sky-brightness\0" "0.5\0--sky-temperature\0-1000\0--harmonize");
    TEXT("fuzz_args", "plate_compat", "--scene\0a.jpg\0--sky-plate\0--sky\0b.jpg\0-o\0c.png\0--compat");
    TEXT("fuzz_args", "clusters", "-qvh\0-oout.png\0--sceen\0a.jpg\0--version");
    TEXT("fuzz_args", "option_as_value", "--mask\0--scene\0a.jpg\0-o");
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS_FOLDER (tests/fuzz/corpus)\n", argv[0]);
        return 2;
    }
    g_root = argv[1];
    if (mkdir(g_root, 0777) != 0 && errno != EEXIST)
        die(g_root);
    picture_seeds();
    library_format_seeds();
    pfm_seed("grey_le.pfm", 0, 1);
    pfm_seed("colour_be.pfm", 1, 0);
    model_seed("tiny_stem", k_stem_config, 0);
    model_seed("tiny_encoder", k_encoder_config, 1);
    cli_seeds();
    return 0;
}
