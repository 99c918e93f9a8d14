/*
 * The narrow layers' row loops with AVX2+FMA. As im2col + GEMM, the refiner's
 * first layers (4 -> 8 and 8 -> 8 at the full canvas), its 16 -> 8 5x5 and its
 * last layer (8 -> 1 or 64 -> 1 5x5) multiply a matrix of 1-8 rows with
 * columns of 36-1600 values built in memory, at 10-50 % of the GEMM's peak.
 * Here each step sums eight vectors of outputs (ACCUMULATORS below) over all
 * input channels and taps in registers, from input rows copied once into a
 * ring per band of output rows. Output channels are padded to 1, 2, 4 or 8
 * with zero weights so that each count gets its own unrolled copy. The loops
 * (ops/conv_narrow_lanes.h) are compiled twice here: on 8 lanes for AVX2+FMA
 * and on 16 for AVX-512, the same bits in half the instructions.
 */
#include "ops/conv_narrow.h"
#include "ops/unpool_row.h"

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
 * vectors of 16 that starts inside the output row and reaches past it. */
static size_t ring_width(const sc_conv *cv, int in_w)
{
    return sc_conv_narrow_row_floats(cv, in_w) + 8 * 16;
}

size_t sc_conv_narrow_avx2_scratch_floats(const sc_conv *cv, int in_w)
{
    return slot_floats(cv) + sc_conv_narrow_avx2_weight_floats(cv) +
           (size_t)cv->cin * (size_t)ring_rows(cv) * ring_width(cv, in_w);
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#include <string.h>


int sc_conv_narrow_avx2_channels(int cout)
{
    if (cout <= 1)
        return 1;
    if (cout <= 2)
        return 2;
    if (cout <= 4)
        return 4;
    return (cout + SC_CONV_NARROW_GROUP - 1) / SC_CONV_NARROW_GROUP * SC_CONV_NARROW_GROUP;
}

/* Weights as [group][cin][kh][kw][outs]: one tap's output channels of a group
 * side by side, zero for the padded channels. */
static void pack_weights(const sc_conv *cv, int channels, int outs, float *packed)
{
    const int taps = cv->kh * cv->kw;
    for (int first = 0; first < channels; first += outs)
        for (int c = 0; c < cv->cin; c++)
            for (int t = 0; t < taps; t++)
                for (int o = first; o < first + outs; o++)
                    *packed++ = o < cv->cout ? cv->weight[((size_t)o * (size_t)cv->cin +
                                                           (size_t)c) * (size_t)taps + (size_t)t]
                                             : 0.0f;
}

/* Eight accumulators, always: for `outs` output channels, 8 / outs vectors of
 * lanes neighbouring pixels each (accumulator k: pixels x + (k / outs) * LANES
 * onwards, channel k % outs), so that eight independent FMA chains hide the
 * FMA's latency whatever the channel count. They are named variables rather
 * than an array so that they stay in registers across the runtime loops. */
#define ACCUMULATORS 8

/* The layer's input: a map, or (where != NULL) the map of h x w that a 2x2
 * max-unpooling of `data` (pooled) by `where` would make. */
typedef struct narrow_input {
    const sc_tensor *data;
    const uint8_t *where;
    int h, w;
} narrow_input;

#define NARROW_VEC __m256
#define NARROW_LANES 8
#define NARROW_TARGET __attribute__((target("avx2,fma")))
#define NARROW_NAME(f) f##_avx2
#define NARROW_OP(op) _mm256_##op
#include "ops/conv_narrow_lanes.h"

#define NARROW_VEC __m512
#define NARROW_LANES 16
#define NARROW_TARGET __attribute__((target("avx512f")))
#define NARROW_NAME(f) f##_avx512
#define NARROW_OP(op) _mm512_##op
#include "ops/conv_narrow_lanes.h"

void sc_conv_narrow_rows_avx2(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int y0,
                              int y1, int act, float *scratch)
{
    const narrow_input src = {in, NULL, in->h, in->w};
    rows_for_avx2(sc_conv_narrow_avx2_channels(cv->cout), cv, &src, out, y0, y1, act, scratch);
}

void sc_conv_narrow_rows_avx512(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int y0,
                                int y1, int act, float *scratch)
{
    const narrow_input src = {in, NULL, in->h, in->w};
    rows_for_avx512(sc_conv_narrow_avx2_channels(cv->cout), cv, &src, out, y0, y1, act, scratch);
}

void sc_conv_narrow_unpooled_avx2(const sc_conv *cv, const sc_tensor *pooled,
                                  const uint8_t *where, sc_tensor *out, int y0, int y1, int act,
                                  float *scratch)
{
    const narrow_input src = {pooled, where, out->h, out->w};
    rows_for_avx2(sc_conv_narrow_avx2_channels(cv->cout), cv, &src, out, y0, y1, act, scratch);
}

void sc_conv_narrow_unpooled_avx512(const sc_conv *cv, const sc_tensor *pooled,
                                    const uint8_t *where, sc_tensor *out, int y0, int y1,
                                    int act, float *scratch)
{
    const narrow_input src = {pooled, where, out->h, out->w};
    rows_for_avx512(sc_conv_narrow_avx2_channels(cv->cout), cv, &src, out, y0, y1, act,
                    scratch);
}

#else

int sc_conv_narrow_avx2_channels(int cout) { return cout; }

void sc_conv_narrow_rows_avx2(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int y0,
                              int y1, int act, float *scratch)
{
    sc_conv_narrow_rows_plain(cv, in, out, y0, y1, act, scratch);
}

void sc_conv_narrow_rows_avx512(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int y0,
                                int y1, int act, float *scratch)
{
    sc_conv_narrow_rows_plain(cv, in, out, y0, y1, act, scratch);
}

/* Never called: sc_conv_narrow_unpooled_fits is 0 without AVX2. */
void sc_conv_narrow_unpooled_avx2(const sc_conv *cv, const sc_tensor *pooled,
                                  const uint8_t *where, sc_tensor *out, int y0, int y1, int act,
                                  float *scratch)
{
    (void)cv, (void)pooled, (void)where, (void)out, (void)y0, (void)y1, (void)act, (void)scratch;
}

void sc_conv_narrow_unpooled_avx512(const sc_conv *cv, const sc_tensor *pooled,
                                    const uint8_t *where, sc_tensor *out, int y0, int y1,
                                    int act, float *scratch)
{
    (void)cv, (void)pooled, (void)where, (void)out, (void)y0, (void)y1, (void)act, (void)scratch;
}

#endif

size_t sc_conv_narrow_avx2_weight_floats(const sc_conv *cv)
{
    return (size_t)cv->cin * (size_t)(cv->kh * cv->kw) *
           (size_t)sc_conv_narrow_avx2_channels(cv->cout);
}
