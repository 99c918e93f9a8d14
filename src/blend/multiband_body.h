/*
 * §4.4.5: OpenCV's detail::MultiBandBlender (float weights, CPU path) for the
 * two feeds of the sky replacement, (scene, scene weight) then (pano, sky
 * weight). SC_NUMERICS_ORIGINAL keeps the original's integer and float steps
 * bit for bit, including its truncations toward zero (of each feed's weighted
 * band and of the normalised band), which pull every band toward zero: the
 * result comes out up to ~30 levels off, a few on average.
 *
 * SC_NUMERICS_EXACT forms the weighted band sums in float and rounds the
 * normalised bands to nearest, without the 1e-5 weight epsilon. The pyramid
 * itself is exactly invertible: Lap(i) = G(i) - pyrUp(G(i+1)) is formed from
 * the rounded pyrUp, and pyrUp_s16 of values in 0..255 rounds exactly like
 * pyrUp_u8, so collapsing unchanged Laplacians gives G(i) back level by level
 * (no saturation either: every collapsed level stays in 0..255).
 * The normalised band sum(L_k w_k) / sum(w_k) differs from a common L by a few
 * float ulps only (|L| <= 255), so it rounds back to L whenever both feeds
 * agree or one has all the weight. Every band pixel that reaches the picture
 * through the collapse has a nonzero weight sum (the pyrDown support of the
 * weights and the pyrUp reach of the picture grow alike, m -> m/2 + 1 per
 * level, from a level 0 whose weights are all nonzero), of at least 16^-20
 * even at the far corner of level 10, which float still holds with full
 * precision. Without the epsilon those tiny sums normalise correctly.
 *
 * Memory: the padded full-size level 0 is never stored. Levels 1..nb are
 * accumulated as OpenCV does; level 0 of both feeds is rebuilt row by row from
 * the pictures and their level 1 in the final pass, which also normalises,
 * adds the collapsed coarser levels and clamps to uint8.
 *
 * This body is compiled once per instruction set (blend/multiband_copies.h):
 * define MULTIBAND as the entry's name first.
 */
#include "blend/multiband_copies.h"

#define WEIGHT_EPS 1e-5f

/* The float->int truncations below give the same values either way; without
 * trapping-math GCC is allowed to vectorise them (we never read FP flags). */
#if defined(__GNUC__) && !defined(__clang__)
#define VECTORISE_FLOAT_TO_INT __attribute__((optimize("no-trapping-math")))
#else
#define VECTORISE_FLOAT_TO_INT
#endif
#define PAIR_CHUNK 8

typedef struct pyramid_plan {
    int nb;              /* number of bands */
    int w, h;            /* picture */
    int lw[SC_BLEND_LEVELS + 1], lh[SC_BLEND_LEVELS + 1]; /* padded level sizes */
} pyramid_plan;

static const float inv255 = (float)(1.0 / 255.0);

/* ---- the padded feeds, row by row ------------------------------------- */

typedef struct padded_feed {
    const uint8_t *img;  /* w x h x 3 */
    const uint8_t *mask; /* w x h */
    int w, h, pw;        /* picture width/height, padded width */
    const int *pad_cols; /* source column of padded columns w..pw-1 (REFLECT) */
} padded_feed;

static void fetch_padded_image(const void *ctx, int y, uint8_t *ext)
{
    const padded_feed *f = ctx;
    const uint8_t *src = f->img + (size_t)sc_reflect_index(y, f->h) * f->w * 3;
    uint8_t *row = ext + 6;
    memcpy(row, src, (size_t)f->w * 3);
    for (int x = f->w; x < f->pw; x++)
        memcpy(row + (size_t)x * 3, src + (size_t)f->pad_cols[x - f->w] * 3, 3);
    sc_extend_row_u8(ext, f->pw, 3);
}

/* The weight of a feed: mask / 255 as float, zero-padded (BORDER_CONSTANT). */
static void fetch_padded_weight(const void *ctx, int y, float *ext)
{
    const padded_feed *f = ctx;
    float *row = ext + 2;
    if (y < f->h) {
        const uint8_t *m = f->mask + (size_t)y * f->w;
        for (int x = 0; x < f->w; x++)
            row[x] = (float)m[x] * inv255;
        memset(row + f->w, 0, sizeof *row * (size_t)(f->pw - f->w));
    } else {
        memset(row, 0, sizeof *row * (size_t)f->pw);
    }
    sc_extend_row_f32(ext, f->pw);
}

/* ---- accumulation of levels 1..nb ------------------------------------- */

static int16_t sat_s16(int v)
{
    return (int16_t)(v < INT16_MIN ? INT16_MIN : (v > INT16_MAX ? INT16_MAX : v));
}

/* Round to nearest (ties to even) for |v| < 2^22: adding 1.5 * 2^23 leaves no
 * fraction bits. Plain float arithmetic, so the loops using it vectorise. */
VECTORISE_FLOAT_TO_INT
static inline float round_nearest(float v)
{
    return (v + 12582912.f) - 12582912.f;
}

/* The weighted band sums. The original accumulates each feed's truncated
 * products in int16 and normalises afterwards. With exactly two feeds the
 * exact numerics need no accumulator: the first feed leaves its Laplacian and
 * weight, and the second computes the normalised band at once, with the same
 * float operations as accumulating from zero ((0 + a) + b == a + b). */
typedef struct band_sums {
    sc_blend_numerics num;
    int16_t *s16[SC_BLEND_LEVELS + 1]; /* sums, then the normalised bands */
    float *w[SC_BLEND_LEVELS + 1];     /* weight sums */
} band_sums;

/* lap = g - up (or g itself at the coarsest level); acc += (short)(lap * w). */
VECTORISE_FLOAT_TO_INT
static void accumulate_original(int16_t *acc, float *wacc, const uint8_t *g, const uint8_t *up,
                                const float *wt, size_t n)
{
#pragma omp parallel for schedule(dynamic, 4096) num_threads(sc_get_threads()) \
    if (n * 3 > SC_PARALLEL_MIN_VALUES)
    for (long p = 0; p < (long)n; p++) {
        float wv = wt[p];
        for (int c = 0; c < 3; c++) {
            size_t i = (size_t)p * 3 + c;
            int lap = up ? g[i] - up[i] : g[i];
            acc[i] = (int16_t)(acc[i] + (int16_t)(int)((float)lap * wv));
        }
        wacc[p] += wv;
    }
}

static void keep_first_feed(int16_t *lap0, float *w0, const uint8_t *g, const uint8_t *up,
                            const float *wt, size_t n)
{
#pragma omp parallel for schedule(dynamic, 4096) num_threads(sc_get_threads()) \
    if (n * 3 > SC_PARALLEL_MIN_VALUES)
    for (long p = 0; p < (long)n; p++) {
        for (int c = 0; c < 3; c++) {
            size_t i = (size_t)p * 3 + c;
            lap0[i] = (int16_t)(up ? g[i] - up[i] : g[i]);
        }
        w0[p] = wt[p];
    }
}

/* (lap0 * w0 + lap * w) / (w0 + w), rounded to nearest. A zero weight sum
 * means two zero weights and a zero numerator: 0 / 1. The result is a
 * weighted mean of Laplacians (|L| <= 255); the clamp only keeps the
 * conversion defined. */
VECTORISE_FLOAT_TO_INT
static void normalise_with_second_feed(int16_t *lap0, const float *w0, const uint8_t *g,
                                       const uint8_t *up, const float *wt, size_t n)
{
#pragma omp parallel for schedule(dynamic, 4096) num_threads(sc_get_threads()) \
    if (n * 3 > SC_PARALLEL_MIN_VALUES)
    for (long p = 0; p < (long)n; p++) {
        float wa = w0[p], wb = wt[p], wsum = wa + wb;
        float d = wsum > 0.f ? wsum : 1.f;
        for (int c = 0; c < 3; c++) {
            size_t i = (size_t)p * 3 + c;
            int lap = up ? g[i] - up[i] : g[i];
            float v = round_nearest(((float)lap0[i] * wa + (float)lap * wb) / d);
            v = v < -32768.f ? -32768.f : (v > 32767.f ? 32767.f : v);
            lap0[i] = (int16_t)(int)v;
        }
    }
}

static void accumulate(band_sums *b, int feed, int level, const uint8_t *g, const uint8_t *up,
                       const float *wt, size_t n)
{
    if (b->num == SC_NUMERICS_ORIGINAL)
        accumulate_original(b->s16[level], b->w[level], g, up, wt, n);
    else if (feed == 0)
        keep_first_feed(b->s16[level], b->w[level], g, up, wt, n);
    else
        normalise_with_second_feed(b->s16[level], b->w[level], g, up, wt, n);
}

VECTORISE_FLOAT_TO_INT
static void normalise_original(int16_t *acc, const float *wacc, size_t n)
{
#pragma omp parallel for schedule(dynamic, 4096) num_threads(sc_get_threads()) \
    if (n * 3 > SC_PARALLEL_MIN_VALUES)
    for (long p = 0; p < (long)n; p++) {
        float d = wacc[p] + WEIGHT_EPS;
        for (int c = 0; c < 3; c++) {
            size_t i = (size_t)p * 3 + c;
            acc[i] = (int16_t)(int)((float)acc[i] / d);
        }
    }
}

/* After both feeds: every level normalised in b->s16, weights released. */
static void normalise(const pyramid_plan *pl, band_sums *b)
{
    for (int i = 1; i <= pl->nb; i++) {
        if (b->num == SC_NUMERICS_ORIGINAL)
            normalise_original(b->s16[i], b->w[i], (size_t)pl->lw[i] * pl->lh[i]);
        free(b->w[i]);
        b->w[i] = NULL;
    }
}

/* Builds the feed's Gaussian and weight pyramids from level 1 on, adds its
 * Laplacian levels 1..nb, and returns its level 1 (kept for the final pass). */
static int feed_levels(const pyramid_plan *pl, const padded_feed *feed, int feed_index,
                       band_sums *sums, uint8_t **level1)
{
    int nb = pl->nb, rc = -1;
    uint8_t *g[SC_BLEND_LEVELS + 1] = {0};
    float *wt[SC_BLEND_LEVELS + 1] = {0};
    uint8_t *up = NULL;
    for (int i = 1; i <= nb; i++) {
        size_t n = (size_t)pl->lw[i] * pl->lh[i];
        g[i] = SC_MALLOC_LARGE(n * 3);
        wt[i] = SC_MALLOC_LARGE(n * sizeof *wt[i]);
        if (!g[i] || !wt[i])
            goto done;
    }
    if (sc_pyrdown_u8_rows(fetch_padded_image, feed, pl->lw[0], pl->lh[0], 3, g[1]) ||
        sc_pyrdown_f32_rows(fetch_padded_weight, feed, pl->lw[0], pl->lh[0], wt[1]))
        goto done;
    for (int i = 1; i < nb; i++)
        if (sc_cv_pyrdown_u8(g[i], pl->lw[i], pl->lh[i], 3, g[i + 1]) ||
            sc_cv_pyrdown_f32(wt[i], pl->lw[i], pl->lh[i], wt[i + 1]))
            goto done;
    up = SC_MALLOC_LARGE((size_t)pl->lw[1] * pl->lh[1] * 3);
    if (!up)
        goto done;
    for (int i = 1; i <= nb; i++) {
        if (i < nb && sc_cv_pyrup_u8(g[i + 1], pl->lw[i + 1], pl->lh[i + 1], 3, up))
            goto done;
        accumulate(sums, feed_index, i, g[i], i < nb ? up : NULL, wt[i],
                   (size_t)pl->lw[i] * pl->lh[i]);
    }
    *level1 = g[1];
    g[1] = NULL;
    rc = 0;
done:
    free(up);
    for (int i = 1; i <= nb; i++) {
        free(g[i]);
        free(wt[i]);
    }
    return rc;
}

/* Collapses levels nb..1 into level 1: acc[i-1] = sat(pyrUp(acc[i]) + acc[i-1]). */
static int collapse_to_level1(const pyramid_plan *pl, int16_t **acc)
{
    if (pl->nb < 2)
        return 0;
    int16_t *tmp = SC_MALLOC_LARGE(sizeof *tmp * (size_t)pl->lw[1] * pl->lh[1] * 3);
    if (!tmp)
        return -1;
    for (int i = pl->nb; i >= 2; i--) {
        if (sc_cv_pyrup_s16(acc[i], pl->lw[i], pl->lh[i], 3, tmp)) {
            free(tmp);
            return -1;
        }
        int16_t *d = acc[i - 1];
        long n = (long)pl->lw[i - 1] * pl->lh[i - 1] * 3;
#pragma omp parallel for schedule(dynamic, 4096) num_threads(sc_get_threads()) \
    if (n > SC_PARALLEL_MIN_VALUES)
        for (long j = 0; j < n; j++)
            d[j] = sat_s16(tmp[j] + d[j]);
    }
    free(tmp);
    return 0;
}

/* ---- level 0, row pair by row pair ------------------------------------ */

typedef struct final_pass {
    const pyramid_plan *pl;
    sc_blend_numerics num;
    const uint8_t *img[2], *mask[2], *g1[2];
    const int16_t *acc1;
    int16_t *out_s16;
    uint8_t *out_u8;
} final_pass;

/* Per-row scratch of the final pass, in 4-byte values per 3*w. */
#define FINAL_SCRATCH_FLOATS 6

/* One output row of level 0: both feeds' Laplacian from the picture and the
 * pyrUp of its level 1 (ups, upp: unrounded sums), their weighted sum and
 * normalisation, plus the collapsed coarser levels (upl). Written over
 * channel-interleaved arrays so that it vectorises. */
VECTORISE_FLOAT_TO_INT
static void final_pixel_row(const final_pass *fp, int y, const int32_t *restrict ups,
                            const int32_t *restrict upp, const int32_t *restrict upl,
                            float *restrict scratch)
{
    int w = fp->pl->w;
    size_t n = (size_t)w * 3, row = (size_t)y * w;
    const uint8_t *restrict is = fp->img[0] + row * 3, *restrict ip = fp->img[1] + row * 3;
    const uint8_t *ms = fp->mask[0] + row, *mp = fp->mask[1] + row;
    float *restrict ws3 = scratch, *restrict wp3 = ws3 + n;
    int16_t *restrict res = (int16_t *)(wp3 + n);
    for (int x = 0; x < w; x++) {
        float ws = (float)ms[x] * inv255, wp = (float)mp[x] * inv255;
        for (int c = 0; c < 3; c++) {
            ws3[3 * x + c] = ws;
            wp3[3 * x + c] = wp;
        }
    }
    /* |lap * w| <= 255, so the original's int16 truncations of the two
     * products and of their sum never wrap here and are left out. */
    int32_t *restrict lap_s = (int32_t *)(wp3 + 2 * n), *restrict lap_p = lap_s + n,
            *restrict low = lap_p + n;
    for (size_t j = 0; j < n; j++) {
        int us = (ups[j] + 32) >> 6, up = (upp[j] + 32) >> 6, ul = (upl[j] + 32) >> 6;
        us = us < 0 ? 0 : us;
        us = us > 255 ? 255 : us;
        up = up < 0 ? 0 : up;
        up = up > 255 ? 255 : up;
        ul = ul < INT16_MIN ? INT16_MIN : ul;
        low[j] = ul > INT16_MAX ? INT16_MAX : ul;
        lap_s[j] = is[j] - us;
        lap_p[j] = ip[j] - up;
    }
    if (fp->num == SC_NUMERICS_ORIGINAL) {
        for (size_t j = 0; j < n; j++) {
            float ws = ws3[j], wp = wp3[j];
            float wsum = ws + wp; /* the accumulator starts at 0: 0 + ws == ws */
            int acc = (int)((float)lap_s[j] * ws) + (int)((float)lap_p[j] * wp);
            int v = low[j] + (int)((float)acc / (wsum + WEIGHT_EPS));
            v = v < INT16_MIN ? INT16_MIN : v;
            v = v > INT16_MAX ? INT16_MAX : v;
            res[j] = (int16_t)(wsum > WEIGHT_EPS ? v : 0);
        }
    } else {
        /* uint8 weights: a nonzero sum is at least 1/255, far above the
         * original's epsilon, so "no weight" means the same in both numerics */
        for (size_t j = 0; j < n; j++) {
            float ws = ws3[j], wp = wp3[j];
            float wsum = ws + wp;
            float acc = (float)lap_s[j] * ws + (float)lap_p[j] * wp;
            int v = low[j] + (int)round_nearest(acc / (wsum > 0.f ? wsum : 1.f));
            v = v < INT16_MIN ? INT16_MIN : v;
            v = v > INT16_MAX ? INT16_MAX : v;
            res[j] = (int16_t)(wsum > 0.f ? v : 0);
        }
    }
    if (fp->out_s16)
        memcpy(fp->out_s16 + row * 3, res, sizeof *res * n);
    if (fp->out_u8) {
        uint8_t *o = fp->out_u8 + row * 3;
        for (size_t j = 0; j < n; j++)
            o[j] = (uint8_t)(res[j] < 0 ? 0 : (res[j] > 255 ? 255 : res[j]));
    }
}

/* pyrUp's vertical step: even rows above + 6 * centre + below, odd rows
 * 4 * (centre + below), unrounded. */
static void pyrup_vertical(const int32_t *restrict above, const int32_t *restrict centre,
                           const int32_t *restrict below, int n, int odd, int32_t *restrict out)
{
    if (odd)
        for (int j = 0; j < n; j++)
            out[j] = 4 * (centre[j] + below[j]);
    else
        for (int j = 0; j < n; j++)
            out[j] = above[j] + 6 * centre[j] + below[j];
}

static int final_level0(const final_pass *fp)
{
    const pyramid_plan *pl = fp->pl;
    int sw = pl->lw[1], sh = pl->lh[1], pairs = (pl->h + 1) / 2;
    size_t orow = (size_t)2 * sw * 3;
    int chunks = (pairs + PAIR_CHUNK - 1) / PAIR_CHUNK, failed = 0;
#pragma omp parallel num_threads(sc_get_threads()) \
    if ((size_t)pl->w * pl->h * 3 > SC_PARALLEL_MIN_VALUES)
    {
        /* horizontal pyrUp rows i0-1 .. i1 of the three sources, and one output row */
        size_t rows = PAIR_CHUNK + 2;
        int32_t *hb = malloc(sizeof *hb * orow * (rows * 3 + 3));
        float *scratch = malloc(sizeof *scratch * (size_t)pl->w * 3 * FINAL_SCRATCH_FLOATS);
        if (!hb || !scratch) {
#pragma omp atomic write
            failed = -1;
        }
#pragma omp for schedule(dynamic)
        for (int k = 0; k < chunks; k++) {
            if (!hb || !scratch)
                continue;
            int i0 = k * PAIR_CHUNK, i1 = i0 + PAIR_CHUNK < pairs ? i0 + PAIR_CHUNK : pairs;
            int32_t *hs = hb, *hp = hs + rows * orow, *hl = hp + rows * orow;
            int32_t *vs = hl + rows * orow, *vp = vs + orow, *vl = vp + orow;
            for (int r = i0 - 1; r <= i1; r++) {
                int s = r < 0 ? (sh > 1 ? 1 : 0) : (r >= sh ? sh - 1 : r);
                size_t at = (size_t)(r - i0 + 1) * orow;
                sc_pyrup_hrow_u8(fp->g1[0] + (size_t)s * sw * 3, sw, 3, hs + at);
                sc_pyrup_hrow_u8(fp->g1[1] + (size_t)s * sw * 3, sw, 3, hp + at);
                sc_pyrup_hrow_s16(fp->acc1 + (size_t)s * sw * 3, sw, 3, hl + at);
            }
            for (int i = i0; i < i1; i++) {
                size_t a = (size_t)(i - i0) * orow, z = a + orow, b = z + orow;
                int n = pl->w * 3;
                pyrup_vertical(hs + a, hs + z, hs + b, n, 0, vs);
                pyrup_vertical(hp + a, hp + z, hp + b, n, 0, vp);
                pyrup_vertical(hl + a, hl + z, hl + b, n, 0, vl);
                final_pixel_row(fp, 2 * i, vs, vp, vl, scratch);
                if (2 * i + 1 >= pl->h)
                    continue;
                pyrup_vertical(hs + a, hs + z, hs + b, n, 1, vs);
                pyrup_vertical(hp + a, hp + z, hp + b, n, 1, vp);
                pyrup_vertical(hl + a, hl + z, hl + b, n, 1, vl);
                final_pixel_row(fp, 2 * i + 1, vs, vp, vl, scratch);
            }
        }
        free(hb);
        free(scratch);
    }
    return failed;
}

/* ---- the blender ------------------------------------------------------ */

static int plan_pyramid(int w, int h, pyramid_plan *pl)
{
    /* ceil(log2(max_len)), the original's ceil(log(n) / log(2)), in integers:
     * glibc's log is picked by CPU. Both agree for every n up to 200000. */
    const long max_len = w > h ? w : h;
    int nb = 0;
    while (nb < 31 && (1L << nb) < max_len)
        nb++;
    pl->nb = nb < SC_BLEND_LEVELS ? nb : SC_BLEND_LEVELS;
    if (pl->nb < 1)
        return -1;
    int unit = 1 << pl->nb;
    pl->w = w;
    pl->h = h;
    pl->lw[0] = (w + unit - 1) / unit * unit;
    pl->lh[0] = (h + unit - 1) / unit * unit;
    for (int i = 1; i <= pl->nb; i++) {
        pl->lw[i] = pl->lw[i - 1] / 2;
        pl->lh[i] = pl->lh[i - 1] / 2;
    }
    return 0;
}

sc_status MULTIBAND(const uint8_t *scene, const uint8_t *scn_w8, const uint8_t *pano,
                    const uint8_t *sky_w8, int w, int h, sc_blend_numerics num,
                    int16_t *out_s16, uint8_t *out_u8, sc_error *err)
{
    pyramid_plan pl;
    if (plan_pyramid(w, h, &pl))
        return sc_fail(err, SC_ERR_INVALID_ARG, "blend: picture of %dx%d is too small", w, h);
    band_sums sums = {.num = num};
    uint8_t *g1[2] = {0};
    int *pad_cols = malloc(sizeof *pad_cols * (size_t)(pl.lw[0] - w + 1));
    sc_status st = SC_ERR_NO_MEMORY;
    if (!pad_cols)
        goto done;
    for (int x = w; x < pl.lw[0]; x++)
        pad_cols[x - w] = sc_reflect_index(x, w);
    for (int i = 1; i <= pl.nb; i++) {
        size_t n = (size_t)pl.lw[i] * pl.lh[i];
        sums.s16[i] = SC_CALLOC_LARGE(n * 3, sizeof *sums.s16[i]);
        sums.w[i] = SC_CALLOC_LARGE(n, sizeof *sums.w[i]);
        if (!sums.s16[i] || !sums.w[i])
            goto done;
    }
    const uint8_t *imgs[2] = {scene, pano}, *masks[2] = {scn_w8, sky_w8};
    for (int f = 0; f < 2; f++) {
        padded_feed feed = {imgs[f], masks[f], w, h, pl.lw[0], pad_cols};
        if (feed_levels(&pl, &feed, f, &sums, &g1[f]))
            goto done;
    }
    normalise(&pl, &sums);
    if (collapse_to_level1(&pl, sums.s16))
        goto done;
    for (int i = 2; i <= pl.nb; i++) {
        free(sums.s16[i]);
        sums.s16[i] = NULL;
    }
    final_pass fp = {&pl, num, {scene, pano}, {scn_w8, sky_w8}, {g1[0], g1[1]}, sums.s16[1],
                     out_s16, out_u8};
    if (final_level0(&fp))
        goto done;
    st = SC_OK;
done:
    for (int i = 1; i <= pl.nb; i++) {
        free(sums.s16[i]);
        free(sums.w[i]);
    }
    free(g1[0]);
    free(g1[1]);
    free(pad_cols);
    if (st != SC_OK)
        return sc_fail(err, st, "blend: out of memory for a %dx%d picture", w, h);
    return SC_OK;
}
