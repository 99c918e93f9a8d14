/*
 * The narrow layers' row loops with AVX2+FMA. As im2col + GEMM, the refiner's
 * first layers (4 -> 8 and 8 -> 8 at the full canvas), its 16 -> 8 5x5 and its
 * last layer (8 -> 1 or 64 -> 1 5x5) multiply a matrix of 1-8 rows with
 * columns of 36-1600 values built in memory, at 10-50 % of the GEMM's peak.
 * Here each step sums eight vectors of outputs (ACCUMULATORS below) over all
 * input channels and taps in registers, from input rows copied once into a
 * ring per band of output rows. Output channels are padded to 1, 2, 4 or 8
 * with zero weights so that each count gets its own unrolled copy.
 */
#include "ops/conv_narrow.h"

/* Input rows a filter spans: the ring of each input channel holds that many. */
static int ring_rows(const sc_conv *cv)
{
    return (cv->kh - 1) * cv->dilation + 1;
}

/* Room for the kh ring offsets at the start of the scratch, in floats, a
 * whole number of cache lines so that the weights after them stay aligned. */
static size_t slot_floats(const sc_conv *cv)
{
    return ((size_t)cv->kh * sizeof(size_t) + 63) / 64 * (64 / sizeof(float));
}

/* A ring row: the zero-padded input row, and room for a step of up to 8
 * vectors that starts inside the output row and reaches past it. */
static size_t ring_width(const sc_conv *cv, int in_w)
{
    return sc_conv_narrow_row_floats(cv, in_w) + 8 * 8;
}

size_t sc_conv_narrow_avx2_scratch_floats(const sc_conv *cv, int in_w)
{
    return slot_floats(cv) + sc_conv_narrow_avx2_weight_floats(cv) +
           (size_t)cv->cin * (size_t)ring_rows(cv) * ring_width(cv, in_w);
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#include <string.h>

#define AVX2 __attribute__((target("avx2,fma")))
#define LANES 8

int sc_conv_narrow_avx2_channels(int cout)
{
    if (cout <= 1)
        return 1;
    if (cout <= 2)
        return 2;
    return cout <= 4 ? 4 : SC_CONV_NARROW_AVX2_MAX_COUT;
}

/* Weights as [cin][kh][kw][lanes]: one tap's output channels side by side,
 * zero for the padded channels. */
static void pack_weights(const sc_conv *cv, int lanes, float *packed)
{
    const int taps = cv->kh * cv->kw;
    for (int c = 0; c < cv->cin; c++)
        for (int t = 0; t < taps; t++)
            for (int o = 0; o < lanes; o++)
                packed[((size_t)c * (size_t)taps + (size_t)t) * (size_t)lanes + (size_t)o] =
                    o < cv->cout ? cv->weight[((size_t)o * (size_t)cv->cin + (size_t)c) *
                                                  (size_t)taps + (size_t)t]
                                 : 0.0f;
}

/* Eight accumulators, always: for `outs` output channels, 8 / outs vectors of
 * LANES neighbouring pixels each (accumulator k: pixels x + (k / outs) * LANES
 * onwards, channel k % outs), so that eight independent FMA chains hide the
 * FMA's latency whatever the channel count. They are named variables rather
 * than an array so that they stay in registers across the runtime loops. */
#define ACCUMULATORS 8

static inline __attribute__((always_inline)) AVX2 __m256 tap(const int outs, int k,
                                                             const float *row, const float *w,
                                                             __m256 acc)
{
    return _mm256_fmadd_ps(_mm256_loadu_ps(row + (k / outs) * LANES),
                           _mm256_broadcast_ss(w + k % outs), acc);
}

/* act(v) into dst[0 .. n-1] (n > 0), lane by lane as the plain loops give it:
 * max(0, v) keeps a NaN, as v < 0 ? 0 : v does. */
static inline __attribute__((always_inline)) AVX2 void store(float *dst, int n, __m256 v, int act)
{
    if (act == SC_ACT_RELU || act == SC_ACT_RELU6)
        v = _mm256_max_ps(_mm256_setzero_ps(), v);
    if (act == SC_ACT_RELU6)
        v = _mm256_min_ps(_mm256_set1_ps(6.0f), v);
    if (n >= LANES) {
        _mm256_storeu_ps(dst, v);
        return;
    }
    float lane[LANES];
    _mm256_storeu_ps(lane, v);
    memcpy(dst, lane, (size_t)n * sizeof *dst);
}

/* Output row y of every output channel, (8 / outs) * LANES pixels a step.
 * ring: the input channels' rings, `ring_floats` apart, filter row i in slot
 * slots[i]. A step that reaches past the row is computed whole (the rings are
 * wide enough) and only its pixels inside the row are kept, so that a pixel's
 * value never depends on where it lies in the row. */
static inline __attribute__((always_inline)) AVX2 void
output_row(const int outs, const sc_conv *cv, const float *rings, size_t ring_floats,
           const size_t *slots, const float *packed, sc_tensor *out, int y, int act)
{
    const size_t out_plane = (size_t)out->h * (size_t)out->w;
    const int step = ACCUMULATORS / outs * LANES;
    const int dil = cv->dilation;
    float *first = out->data + (size_t)y * (size_t)out->w;
    for (int x = 0; x < out->w; x += step) {
        __m256 bias[SC_CONV_NARROW_AVX2_MAX_COUT];
        for (int o = 0; o < outs; o++)
            bias[o] = _mm256_set1_ps(o < cv->cout && cv->bias ? cv->bias[o] : 0.0f);
        __m256 a0 = bias[0], a1 = bias[1 % outs], a2 = bias[2 % outs], a3 = bias[3 % outs];
        __m256 a4 = bias[4 % outs], a5 = bias[5 % outs], a6 = bias[6 % outs];
        __m256 a7 = bias[7 % outs];
        const float *w = packed;
        for (int c = 0; c < cv->cin; c++) {
            const float *ring = rings + (size_t)c * ring_floats + x;
            for (int i = 0; i < cv->kh; i++) {
                const float *row = ring + slots[i];
                for (int j = 0; j < cv->kw; j++, row += dil, w += outs) {
                    a0 = tap(outs, 0, row, w, a0);
                    a1 = tap(outs, 1, row, w, a1);
                    a2 = tap(outs, 2, row, w, a2);
                    a3 = tap(outs, 3, row, w, a3);
                    a4 = tap(outs, 4, row, w, a4);
                    a5 = tap(outs, 5, row, w, a5);
                    a6 = tap(outs, 6, row, w, a6);
                    a7 = tap(outs, 7, row, w, a7);
                }
            }
        }
        const __m256 sums[ACCUMULATORS] = {a0, a1, a2, a3, a4, a5, a6, a7};
        for (int k = 0; k < ACCUMULATORS; k++) {
            const int o = k % outs, x0 = x + k / outs * LANES;
            if (o < cv->cout && x0 < out->w)
                store(first + (size_t)o * out_plane + x0, out->w - x0, sums[k], act);
        }
    }
}

/* Input row iy of every channel into its ring slot, zero-padded; rows above
 * or below the picture read 0. */
static void fill_slot(const sc_conv *cv, const sc_tensor *in, int iy, float *rings,
                      size_t ring_floats, size_t width)
{
    const int span = ring_rows(cv);
    const size_t slot = (size_t)(((iy % span) + span) % span) * width + (size_t)cv->pad;
    const size_t in_plane = (size_t)in->h * (size_t)in->w;
    for (int c = 0; c < cv->cin; c++) {
        float *row = rings + (size_t)c * ring_floats + slot;
        if (iy < 0 || iy >= in->h)
            memset(row, 0, (size_t)in->w * sizeof *row);
        else
            memcpy(row, in->data + (size_t)c * in_plane + (size_t)iy * (size_t)in->w,
                   (size_t)in->w * sizeof *row);
    }
}

/* Each input row is copied once per band into a ring of the rows the filter
 * spans, rather than once per filter row that reads it. */
AVX2 static void rows_for(const int outs, const sc_conv *cv, const sc_tensor *in, sc_tensor *out,
                          int y0, int y1, int act, float *scratch)
{
    const size_t width = ring_width(cv, in->w);
    const int span = ring_rows(cv);
    const size_t ring_floats = (size_t)span * width;
    size_t *slots = (size_t *)scratch;
    float *packed = scratch + slot_floats(cv);
    float *rings = packed + sc_conv_narrow_avx2_weight_floats(cv);
    pack_weights(cv, outs, packed);
    /* The padding around each row reads 0; only the rows themselves are copied in. */
    memset(rings, 0, (size_t)cv->cin * ring_floats * sizeof *rings);
    for (int r = 0; r + 1 < span; r++)
        fill_slot(cv, in, y0 - cv->pad + r, rings, ring_floats, width);
    for (int y = y0; y < y1; y++) {
        const int top = y - cv->pad;
        fill_slot(cv, in, top + span - 1, rings, ring_floats, width);
        for (int i = 0; i < cv->kh; i++) {
            const int iy = top + i * cv->dilation;
            slots[i] = (size_t)(((iy % span) + span) % span) * width;
        }
        switch (outs) {
        case 1: output_row(1, cv, rings, ring_floats, slots, packed, out, y, act); break;
        case 2: output_row(2, cv, rings, ring_floats, slots, packed, out, y, act); break;
        case 4: output_row(4, cv, rings, ring_floats, slots, packed, out, y, act); break;
        default:
            output_row(SC_CONV_NARROW_AVX2_MAX_COUT, cv, rings, ring_floats, slots, packed, out,
                       y, act);
            break;
        }
    }
}

void sc_conv_narrow_rows_avx2(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int y0,
                              int y1, int act, float *scratch)
{
    rows_for(sc_conv_narrow_avx2_channels(cv->cout), cv, in, out, y0, y1, act, scratch);
}

#else

int sc_conv_narrow_avx2_channels(int cout) { return cout; }

void sc_conv_narrow_rows_avx2(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int y0,
                              int y1, int act, float *scratch)
{
    sc_conv_narrow_rows_plain(cv, in, out, y0, y1, act, scratch);
}

#endif

size_t sc_conv_narrow_avx2_weight_floats(const sc_conv *cv)
{
    return (size_t)cv->cin * (size_t)(cv->kh * cv->kw) *
           (size_t)sc_conv_narrow_avx2_channels(cv->cout);
}
