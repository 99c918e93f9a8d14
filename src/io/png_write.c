#include "io/png_write.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#define ZLIB_CONST
#include <zlib.h>

#include "core/parallel.h"
#include "io/byte_order.h"

/* Raw bytes per band: large enough that the flush at each band's end and the
 * dictionary each band primes with cost little, small enough that a photo
 * gives each of 16 threads a few bands. */
enum { BAND_BYTES = 256 * 1024 };
/* The deflate window: what a band can refer back to in the band before. */
enum { WINDOW_BYTES = 32 * 1024 };
/* Level 1, as OpenCV's imwrite uses by default: on a 2560x1600 photo several
 * times faster than level 6 for a file about 30 % larger. */
enum { DEFLATE_LEVEL = 1, DEFLATE_MEM_LEVEL = 8 };
/* The zlib stream's head: deflate with a 32 KiB window, fastest compression. */
static const uint8_t ZLIB_HEAD[2] = {0x78, 0x01};
enum { ADLER_BYTES = 4, CHUNK_HEAD_BYTES = 8, CRC_BYTES = 4 };
enum { SIGNATURE_BYTES = 8, IHDR_DATA_BYTES = 13 };
enum { HEAD_BYTES = SIGNATURE_BYTES + CHUNK_HEAD_BYTES + IHDR_DATA_BYTES + CRC_BYTES };
/* A chunk's length field holds at most 2^31 - 1. */
#define MAX_CHUNK_DATA 0x7fffffffUL

typedef struct png_band {
    uint8_t *data; /* the IDAT chunk's data */
    size_t size, capacity;
    uLong crc;   /* of the chunk type and data */
    uLong adler; /* of the band's filtered bytes */
} png_band;

typedef struct png_layout {
    size_t row_bytes; /* filtered bytes of a row, filter byte included */
    size_t band_rows, bands, total;
    int height;
} png_layout;

size_t sc_png_band_rows(size_t row_bytes)
{
    size_t rows = BAND_BYTES / row_bytes;
    return rows ? rows : 1;
}

static uint8_t paeth_predictor(int left, int up, int up_left)
{
    int to_left = abs(up - up_left), to_up = abs(left - up_left);
    int to_up_left = abs(left + up - 2 * up_left);
    if (to_left <= to_up && to_left <= to_up_left)
        return (uint8_t)left;
    return (uint8_t)(to_up <= to_up_left ? up : up_left);
}

/* The pixels of the first column have no left neighbour: zeros, as for the
 * row above the first row. */
void sc_png_filter_row(int type, const uint8_t *row, const uint8_t *prev, size_t bpp, size_t n,
                       uint8_t *out)
{
    size_t lead = bpp < n ? bpp : n;
    switch (type) {
    case SC_PNG_SUB:
        memcpy(out, row, lead);
        for (size_t i = lead; i < n; i++)
            out[i] = (uint8_t)(row[i] - row[i - bpp]);
        return;
    case SC_PNG_UP:
        for (size_t i = 0; i < n; i++)
            out[i] = (uint8_t)(row[i] - prev[i]);
        return;
    case SC_PNG_AVERAGE:
        for (size_t i = 0; i < lead; i++)
            out[i] = (uint8_t)(row[i] - (prev[i] >> 1));
        for (size_t i = lead; i < n; i++)
            out[i] = (uint8_t)(row[i] - ((row[i - bpp] + prev[i]) >> 1));
        return;
    case SC_PNG_PAETH:
        for (size_t i = 0; i < lead; i++)
            out[i] = (uint8_t)(row[i] - paeth_predictor(0, prev[i], 0));
        for (size_t i = lead; i < n; i++)
            out[i] = (uint8_t)(row[i] - paeth_predictor(row[i - bpp], prev[i], prev[i - bpp]));
        return;
    default: memcpy(out, row, n); return;
    }
}

/* Sum of |byte as signed|; counted in 32 bits per block so that the loop
 * vectorises, the blocks small enough not to overflow. */
static uint64_t signed_magnitude(const uint8_t *bytes, size_t n)
{
    enum { BLOCK = 1 << 16 };
    uint64_t total = 0;
    for (size_t start = 0; start < n; start += BLOCK) {
        size_t end = n - start < BLOCK ? n : start + BLOCK;
        uint32_t sum = 0;
        for (size_t i = start; i < end; i++) {
            int v = (int8_t)bytes[i];
            sum += (uint32_t)(v < 0 ? -v : v);
        }
        total += sum;
    }
    return total;
}

void sc_png_filter_best(const uint8_t *row, const uint8_t *prev, size_t bpp, size_t n,
                        uint8_t *scratch, uint8_t *out)
{
    out[0] = SC_PNG_NONE;
    memcpy(out + 1, row, n);
    uint64_t best = signed_magnitude(row, n);
    for (int type = SC_PNG_SUB; type < SC_PNG_FILTERS; type++) {
        sc_png_filter_row(type, row, prev, bpp, n, scratch);
        uint64_t cost = signed_magnitude(scratch, n);
        if (cost < best) {
            best = cost;
            out[0] = (uint8_t)type;
            memcpy(out + 1, scratch, n);
        }
    }
}

static int filter_band(const uint8_t *pixels, const png_layout *layout, size_t band,
                       uint8_t *filtered, size_t bpp)
{
    size_t n = layout->row_bytes - 1;
    uint8_t *scratch = malloc(n);
    uint8_t *zeros = band == 0 ? calloc(n, 1) : NULL;
    if (!scratch || (band == 0 && !zeros)) {
        free(scratch);
        free(zeros);
        return 0;
    }
    size_t first = band * layout->band_rows, end = first + layout->band_rows;
    if (end > (size_t)layout->height)
        end = (size_t)layout->height;
    for (size_t y = first; y < end; y++) {
        const uint8_t *prev = y ? pixels + (y - 1) * n : zeros;
        sc_png_filter_best(pixels + y * n, prev, bpp, n, scratch, filtered + y * layout->row_bytes);
    }
    free(scratch);
    free(zeros);
    return 1;
}

static int grow_output(png_band *out)
{
    size_t capacity = out->capacity * 2;
    uint8_t *bigger = capacity > out->capacity ? realloc(out->data, capacity) : NULL;
    if (!bigger)
        return 0;
    out->data = bigger;
    out->capacity = capacity;
    return 1;
}

/* Runs deflate until it has taken all input and completed the flush (the
 * last band: ended the stream), keeping reserve bytes free at the end. */
static int deflate_all(z_stream *stream, int flush, png_band *out, size_t reserve)
{
    for (;;) {
        stream->next_out = out->data + out->size;
        stream->avail_out = (uInt)(out->capacity - reserve - out->size);
        int rc = deflate(stream, flush);
        out->size = (size_t)(stream->next_out - out->data);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
            return 0;
        /* A flush is complete when deflate returns with output space left. */
        if (flush == Z_FINISH ? rc == Z_STREAM_END : stream->avail_out != 0)
            return 1;
        if (!grow_output(out))
            return 0;
    }
}

static size_t band_start(const png_layout *layout, size_t band)
{
    return band * layout->band_rows * layout->row_bytes;
}

static size_t band_size(const png_layout *layout, size_t band)
{
    size_t start = band_start(layout, band), size = layout->band_rows * layout->row_bytes;
    return layout->total - start < size ? layout->total - start : size;
}

/* Raw deflate of one band, primed with the window before it so that matches
 * reach back into the band before as in one stream; the sync flush ends on a
 * byte boundary, so the bands' outputs concatenate into one deflate stream.
 * The first band leads with the zlib head, the last keeps room for the
 * checksum. stream: a raw deflate state of ours, in any state. */
static int deflate_band(z_stream *stream, const uint8_t *filtered, const png_layout *layout,
                        size_t band, png_band *out)
{
    size_t start = band_start(layout, band), size = band_size(layout, band);
    int last = band + 1 == layout->bands;
    size_t lead = band == 0 ? sizeof ZLIB_HEAD : 0, reserve = last ? ADLER_BYTES : 0;
    size_t window = start < WINDOW_BYTES ? start : WINDOW_BYTES;
    if (deflateReset(stream) != Z_OK)
        return 0;
    /* Room for the sync flush's empty block beyond deflateBound's worst case. */
    out->capacity = lead + deflateBound(stream, (uLong)size) + 16 + reserve;
    out->data = malloc(out->capacity);
    if (!out->data)
        return 0;
    memcpy(out->data, ZLIB_HEAD, lead);
    out->size = lead;
    stream->next_in = filtered + start;
    stream->avail_in = (uInt)size;
    if (window && deflateSetDictionary(stream, filtered + start - window, (uInt)window) != Z_OK)
        return 0;
    if (!deflate_all(stream, last ? Z_FINISH : Z_SYNC_FLUSH, out, reserve))
        return 0;
    out->adler = adler32(adler32(0, NULL, 0), filtered + start, (uInt)size);
    out->crc = crc32(crc32(0, (const Bytef *)"IDAT", 4), out->data, (uInt)out->size);
    return 1;
}

/* Row size, bands and total filtered bytes; 0 when the picture cannot be a
 * PNG of ours or its size overflows. */
static int plan_layout(int width, int height, int channels, png_layout *layout)
{
    if (width <= 0 || height <= 0 || (channels != 1 && channels != 3))
        return 0;
    if ((size_t)width > (SIZE_MAX - 1) / (size_t)channels)
        return 0;
    size_t row_bytes = (size_t)width * (size_t)channels + 1;
    /* A band holds at least one row and becomes one chunk: its deflated size
     * (never much above the raw size) must fit a chunk's length field. */
    if (row_bytes > MAX_CHUNK_DATA / 2 || (size_t)height > SIZE_MAX / row_bytes)
        return 0;
    layout->row_bytes = row_bytes;
    layout->height = height;
    layout->total = row_bytes * (size_t)height;
    layout->band_rows = sc_png_band_rows(row_bytes);
    layout->bands = ((size_t)height + layout->band_rows - 1) / layout->band_rows;
    return 1;
}

/* Bands rather than rows are the work items: even a narrow picture's band is
 * a few milliseconds of work, far more than waking a team; a picture of one
 * band stays on the calling thread. */
static int filter_bands(const uint8_t *pixels, const png_layout *layout, size_t bpp,
                        uint8_t *filtered)
{
    long bands = (long)layout->bands;
    int failed = 0;
#pragma omp parallel for num_threads(sc_get_threads()) if (bands > 1) schedule(dynamic) \
    reduction(| : failed)
    for (long b = 0; b < bands; b++)
        failed |= !filter_band(pixels, layout, (size_t)b, filtered, bpp);
    return !failed;
}

/* One deflate state per thread, reset for each band (the same output as a
 * fresh one): a state is a few hundred KiB, which a fresh allocation per band
 * would fault in anew each time. */
static int deflate_bands(const uint8_t *filtered, const png_layout *layout, png_band *out)
{
    long bands = (long)layout->bands;
    int failed = 0;
#pragma omp parallel num_threads(sc_get_threads()) if (bands > 1) reduction(| : failed)
    {
        z_stream stream;
        memset(&stream, 0, sizeof stream);
        int ready = deflateInit2(&stream, DEFLATE_LEVEL, Z_DEFLATED, -15, DEFLATE_MEM_LEVEL,
                                 Z_DEFAULT_STRATEGY) == Z_OK;
#pragma omp for schedule(dynamic)
        for (long b = 0; b < bands; b++)
            failed |= !ready || !deflate_band(&stream, filtered, layout, (size_t)b, &out[b]);
        if (ready)
            deflateEnd(&stream);
    }
    return !failed;
}

/* The zlib stream ends with the Adler-32 of all filtered bytes, big-endian,
 * appended to the last band's chunk (whose CRC runs on over it). */
static void append_checksum(const png_layout *layout, png_band *out)
{
    uLong adler = out[0].adler;
    for (size_t b = 1; b < layout->bands; b++)
        adler = adler32_combine(adler, out[b].adler, (z_off_t)band_size(layout, b));
    png_band *last = &out[layout->bands - 1];
    sc_put_be32(last->data + last->size, (uint32_t)adler);
    last->crc = crc32(last->crc, last->data + last->size, ADLER_BYTES);
    last->size += ADLER_BYTES;
}

static void put_head(sc_png_sink *sink, void *context, int width, int height, int channels)
{
    static const uint8_t SIGNATURE[SIGNATURE_BYTES] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    uint8_t head[HEAD_BYTES];
    memcpy(head, SIGNATURE, SIGNATURE_BYTES);
    uint8_t *ihdr = head + SIGNATURE_BYTES;
    sc_put_be32(ihdr, IHDR_DATA_BYTES);
    memcpy(ihdr + 4, "IHDR", 4);
    sc_put_be32(ihdr + 8, (uint32_t)width);
    sc_put_be32(ihdr + 12, (uint32_t)height);
    ihdr[16] = 8;                  /* bits per sample */
    ihdr[17] = channels == 3 ? 2 : 0; /* colour type: RGB or grey */
    ihdr[18] = 0;                  /* deflate */
    ihdr[19] = 0;                  /* adaptive filtering */
    ihdr[20] = 0;                  /* no interlace */
    sc_put_be32(ihdr + 21, (uint32_t)crc32(0, ihdr + 4, 4 + IHDR_DATA_BYTES));
    sink(context, head, sizeof head);
}

static void put_chunks(sc_png_sink *sink, void *context, const png_layout *layout,
                       const png_band *out)
{
    for (size_t b = 0; b < layout->bands; b++) {
        uint8_t head[CHUNK_HEAD_BYTES], crc[CRC_BYTES];
        sc_put_be32(head, (uint32_t)out[b].size);
        memcpy(head + 4, "IDAT", 4);
        sc_put_be32(crc, (uint32_t)out[b].crc);
        sink(context, head, sizeof head);
        sink(context, out[b].data, out[b].size);
        sink(context, crc, sizeof crc);
    }
    static const uint8_t IEND[] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
    sink(context, IEND, sizeof IEND);
}

int sc_png_write(sc_png_sink *sink, void *context, const uint8_t *pixels, int width, int height,
                 int channels)
{
    png_layout layout;
    if (!plan_layout(width, height, channels, &layout))
        return 0;
    uint8_t *filtered = malloc(layout.total);
    png_band *out = calloc(layout.bands, sizeof *out);
    int ok = filtered && out && filter_bands(pixels, &layout, (size_t)channels, filtered) &&
             deflate_bands(filtered, &layout, out);
    if (ok) {
        append_checksum(&layout, out);
        put_head(sink, context, width, height, channels);
        put_chunks(sink, context, &layout, out);
    }
    for (size_t b = 0; out && b < layout.bands; b++)
        free(out[b].data);
    free(out);
    free(filtered);
    return ok;
}
