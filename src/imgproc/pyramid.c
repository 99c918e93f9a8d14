/*
 * cv::pyrDown and cv::pyrUp (spec §4.3) with the float32 pyrDown evaluation
 * order of OpenCV's SSE2 build (§4.4.6).
 */
#include "core/parallel.h"
#include "imgproc/imgproc.h"
#include "imgproc/pyramid_rows.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK_ROWS 16

void sc_extend_row_u8(uint8_t *ext, int w, int ch)
{
    uint8_t *row = ext + 2 * ch;
    for (int k = 1; k <= 2; k++) {
        int l = sc_reflect101_index(-k, w), r = sc_reflect101_index(w - 1 + k, w);
        for (int c = 0; c < ch; c++) {
            row[(-k) * ch + c] = row[l * ch + c];
            row[(w - 1 + k) * ch + c] = row[r * ch + c];
        }
    }
}

void sc_extend_row_f32(float *ext, int w)
{
    float *row = ext + 2;
    for (int k = 1; k <= 2; k++) {
        row[-k] = row[sc_reflect101_index(-k, w)];
        row[w - 1 + k] = row[sc_reflect101_index(w - 1 + k, w)];
    }
}

/* ---- pyrDown ------------------------------------------------------------ */

/* Integer sums are exact, so the uint8 pyrDown may sum vertically first (on
 * contiguous rows, which vectorises) and then horizontally. */
static void pyrdown_vsum_u8(const uint8_t *const r[5], size_t n, uint16_t *out)
{
    for (size_t j = 0; j < n; j++)
        out[j] = (uint16_t)(r[0][j] + 4 * r[1][j] + 6 * r[2][j] + 4 * r[3][j] + r[4][j]);
}

static void pyrdown_hsum_u8(const uint16_t *v, int dw, int ch, uint8_t *out)
{
    if (ch == 3) {
        for (int x = 0; x < dw; x++) {
            const uint16_t *p = v + 6 * x;
            for (int c = 0; c < 3; c++) {
                uint32_t t = (uint32_t)p[c] + 4u * p[c + 3] + 6u * p[c + 6] + 4u * p[c + 9] +
                             p[c + 12];
                out[3 * x + c] = (uint8_t)((t + 128) >> 8);
            }
        }
        return;
    }
    for (int x = 0; x < dw; x++)
        for (int c = 0; c < ch; c++) {
            const uint16_t *p = v + (size_t)2 * x * ch + c;
            uint32_t t = (uint32_t)p[0] + 4u * p[ch] + 6u * p[2 * ch] + 4u * p[3 * ch] +
                         p[4 * ch];
            out[x * ch + c] = (uint8_t)((t + 128) >> 8);
        }
}

static float hsum_scalar(const float *p)
{
    return ((p[2] * 6 + (p[1] + p[3]) * 4) + p[0]) + p[4];
}

static float hsum_vector(const float *p)
{
    return p[2] * 6 + ((p[1] + p[3]) * 4 + (p[0] + p[4]));
}

static void pyrdown_hrow_f32(const float *ext, int w, int dw, float *out)
{
    int width0 = (w - 3) / 2 + 1;
    if (width0 > dw)
        width0 = dw;
    int vec_end = width0 - 1 > 0 ? (width0 - 1) / 4 * 4 : 0; /* last vector-order column */
    for (int x = 0; x < dw; x++) {
        const float *p = ext + 2 * x;
        out[x] = (x >= 1 && x <= vec_end) ? hsum_vector(p) : hsum_scalar(p);
    }
}

/* Fetches the chunk's source rows (reflect-101) and filters them horizontally. */
typedef struct down_chunk {
    int first;  /* virtual index of the first buffered source row */
    int count;
} down_chunk;

static down_chunk chunk_rows(int y0, int y1)
{
    down_chunk c = {2 * y0 - 2, 2 * (y1 - y0) + 3};
    return c;
}

int sc_pyrdown_u8_rows(sc_fetch_row_u8 fetch, const void *ctx, int w, int h, int ch,
                       uint8_t *dst)
{
    int dw = (w + 1) / 2, dh = (h + 1) / 2;
    size_t ext_n = (size_t)(w + 4) * ch;
    int chunks = (dh + CHUNK_ROWS - 1) / CHUNK_ROWS, failed = 0;
#pragma omp parallel num_threads(sc_get_threads()) \
    if ((size_t)dw * dh * ch > SC_PARALLEL_MIN_VALUES)
    {
        uint8_t *rows = malloc(ext_n * (2 * CHUNK_ROWS + 3));
        uint16_t *vs = malloc(sizeof *vs * ext_n);
        if (!rows || !vs) {
#pragma omp atomic write
            failed = -1;
        }
#pragma omp for schedule(dynamic)
        for (int k = 0; k < chunks; k++) {
            if (!rows || !vs)
                continue;
            int y0 = k * CHUNK_ROWS, y1 = y0 + CHUNK_ROWS < dh ? y0 + CHUNK_ROWS : dh;
            down_chunk c = chunk_rows(y0, y1);
            for (int r = 0; r < c.count; r++)
                fetch(ctx, sc_reflect101_index(c.first + r, h), rows + (size_t)r * ext_n);
            for (int y = y0; y < y1; y++) {
                const uint8_t *r0 = rows + (size_t)(2 * y - 2 - c.first) * ext_n;
                const uint8_t *five[5] = {r0, r0 + ext_n, r0 + 2 * ext_n, r0 + 3 * ext_n,
                                          r0 + 4 * ext_n};
                pyrdown_vsum_u8(five, ext_n, vs);
                pyrdown_hsum_u8(vs, dw, ch, dst + (size_t)y * dw * ch);
            }
        }
        free(rows);
        free(vs);
    }
    return failed;
}

int sc_pyrdown_f32_rows(sc_fetch_row_f32 fetch, const void *ctx, int w, int h, float *dst)
{
    int dw = (w + 1) / 2, dh = (h + 1) / 2;
    int vec_end = dw / 4 * 4;
    int chunks = (dh + CHUNK_ROWS - 1) / CHUNK_ROWS, failed = 0;
#pragma omp parallel num_threads(sc_get_threads()) if ((size_t)dw * dh > SC_PARALLEL_MIN_VALUES)
    {
        float *ext = malloc(sizeof *ext * (size_t)(w + 4));
        float *hb = malloc(sizeof *hb * (size_t)dw * (2 * CHUNK_ROWS + 3));
        if (!ext || !hb) {
#pragma omp atomic write
            failed = -1;
        }
#pragma omp for schedule(dynamic)
        for (int k = 0; k < chunks; k++) {
            if (!ext || !hb)
                continue;
            int y0 = k * CHUNK_ROWS, y1 = y0 + CHUNK_ROWS < dh ? y0 + CHUNK_ROWS : dh;
            down_chunk c = chunk_rows(y0, y1);
            for (int r = 0; r < c.count; r++) {
                fetch(ctx, sc_reflect101_index(c.first + r, h), ext);
                pyrdown_hrow_f32(ext, w, dw, hb + (size_t)r * dw);
            }
            for (int y = y0; y < y1; y++) {
                const float *r0 = hb + (size_t)(2 * y - 2 - c.first) * dw;
                const float *r1 = r0 + dw, *r2 = r1 + dw, *r3 = r2 + dw, *r4 = r3 + dw;
                float *d = dst + (size_t)y * dw;
                for (int x = 0; x < vec_end; x++)
                    d[x] = (((r1[x] + r3[x]) + r2[x]) * 4 + ((r0[x] + r4[x]) + (r2[x] + r2[x]))) *
                           (1.f / 256);
                for (int x = vec_end; x < dw; x++)
                    d[x] = (((r2[x] * 6 + (r1[x] + r3[x]) * 4) + r0[x]) + r4[x]) * (1.f / 256);
            }
        }
        free(ext);
        free(hb);
    }
    return failed;
}

typedef struct plain_u8 {
    const uint8_t *src;
    int w, ch;
} plain_u8;

static void fetch_plain_u8(const void *ctx, int y, uint8_t *ext)
{
    const plain_u8 *p = ctx;
    size_t row = (size_t)p->w * p->ch;
    memcpy(ext + 2 * p->ch, p->src + (size_t)y * row, row);
    sc_extend_row_u8(ext, p->w, p->ch);
}

typedef struct plain_f32 {
    const float *src;
    int w;
} plain_f32;

static void fetch_plain_f32(const void *ctx, int y, float *ext)
{
    const plain_f32 *p = ctx;
    memcpy(ext + 2, p->src + (size_t)y * p->w, sizeof *ext * (size_t)p->w);
    sc_extend_row_f32(ext, p->w);
}

int sc_cv_pyrdown_u8(const uint8_t *src, int w, int h, int ch, uint8_t *dst)
{
    plain_u8 ctx = {src, w, ch};
    return sc_pyrdown_u8_rows(fetch_plain_u8, &ctx, w, h, ch, dst);
}

int sc_cv_pyrdown_f32(const float *src, int w, int h, float *dst)
{
    plain_f32 ctx = {src, w};
    return sc_pyrdown_f32_rows(fetch_plain_f32, &ctx, w, h, dst);
}

/* ---- pyrUp -------------------------------------------------------------- */

/* Even outputs p[i-1] + 6p[i] + p[i+1], odd outputs 4p[i] + 4p[i+1]; p[-1] is
 * p[1] (mirrored) and p[w] is p[w-1] (replicated). */
#define PYRUP_HROW(row, w, ch, out)                                                   \
    do {                                                                              \
        for (int x = 0; x < (w); x++) {                                               \
            int l = x > 0 ? x - 1 : ((w) > 1 ? 1 : 0), r = x + 1 < (w) ? x + 1 : (w) - 1; \
            if (x > 0 && x + 1 < (w) && (ch) == 3) {                                  \
                /* interior run, with the channel count known */                      \
                int end = (w) - 1;                                                    \
                for (; x < end; x++)                                                  \
                    for (int c = 0; c < 3; c++) {                                     \
                        int32_t z = (row)[x * 3 + c], a = (row)[x * 3 - 3 + c],       \
                                b = (row)[x * 3 + 3 + c];                             \
                        (out)[6 * x + c] = a + 6 * z + b;                             \
                        (out)[6 * x + 3 + c] = 4 * (z + b);                           \
                    }                                                                 \
                x--;                                                                  \
                continue;                                                             \
            }                                                                         \
            for (int c = 0; c < (ch); c++) {                                          \
                int32_t z = (row)[x * (ch) + c], a = (row)[l * (ch) + c],             \
                        b = (row)[r * (ch) + c];                                      \
                (out)[2 * x * (ch) + c] = a + 6 * z + b;                              \
                (out)[(2 * x + 1) * (ch) + c] = 4 * (z + b);                          \
            }                                                                         \
        }                                                                             \
    } while (0)

void sc_pyrup_hrow_u8(const uint8_t *row, int w, int ch, int32_t *out)
{
    PYRUP_HROW(row, w, ch, out);
}

void sc_pyrup_hrow_s16(const int16_t *row, int w, int ch, int32_t *out)
{
    PYRUP_HROW(row, w, ch, out);
}

static int32_t clamp_i32(int32_t v, int32_t lo, int32_t hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

/* Row pairs (2i, 2i+1) in chunks; the horizontal pass of each source row is
 * shared by the pairs of its chunk. */
#define PYRUP_BODY(T, HROW, LO, HI)                                                     \
    do {                                                                                \
        size_t orow = (size_t)2 * w * ch;                                               \
        int chunks = (h + CHUNK_ROWS - 1) / CHUNK_ROWS, failed = 0;                     \
        _Pragma("omp parallel if ((size_t)w * h * ch > SC_PARALLEL_MIN_VALUES)")          \
        {                                                                               \
            int32_t *hb = malloc(sizeof *hb * orow * (CHUNK_ROWS + 2));                 \
            if (!hb) {                                                                  \
                _Pragma("omp atomic write") failed = -1;                                \
            }                                                                           \
            _Pragma("omp for schedule(dynamic)") for (int k = 0; k < chunks; k++)        \
            {                                                                           \
                if (!hb)                                                                \
                    continue;                                                           \
                int i0 = k * CHUNK_ROWS, i1 = i0 + CHUNK_ROWS < h ? i0 + CHUNK_ROWS : h;    \
                for (int r = i0 - 1; r <= i1; r++) {                                    \
                    int s = r < 0 ? (h > 1 ? 1 : 0) : (r >= h ? h - 1 : r);             \
                    HROW(src + (size_t)s * w * ch, w, ch, hb + (size_t)(r - i0 + 1) * orow); \
                }                                                                       \
                for (int i = i0; i < i1; i++) {                                         \
                    const int32_t *a = hb + (size_t)(i - i0) * orow, *z = a + orow,     \
                                  *b = z + orow;                                        \
                    T *d0 = dst + (size_t)(2 * i) * orow, *d1 = d0 + orow;              \
                    for (size_t j = 0; j < orow; j++) {                                 \
                        d0[j] = (T)clamp_i32((a[j] + 6 * z[j] + b[j] + 32) >> 6, LO, HI); \
                        d1[j] = (T)clamp_i32((4 * (z[j] + b[j]) + 32) >> 6, LO, HI);    \
                    }                                                                   \
                }                                                                       \
            }                                                                           \
            free(hb);                                                                   \
        }                                                                               \
        return failed;                                                                  \
    } while (0)

int sc_cv_pyrup_u8(const uint8_t *src, int w, int h, int ch, uint8_t *dst)
{
    PYRUP_BODY(uint8_t, sc_pyrup_hrow_u8, 0, 255);
}

int sc_cv_pyrup_s16(const int16_t *src, int w, int h, int ch, int16_t *dst)
{
    PYRUP_BODY(int16_t, sc_pyrup_hrow_s16, INT16_MIN, INT16_MAX);
}
