/*
 * Rows of 8 Winograd tiles side by side moved between memory and the lanes
 * layout through vector loads and in-register 4x4 transposes (internal to
 * ops/winograd_lanes*.c, each of which includes it after choosing its
 * instruction set: AVX2 or above). `stride` is the lane count of the layout,
 * so that 8 tiles may fill half of 16 lanes.
 */
#ifndef SC_OPS_WINOGRAD_ROWS_H
#define SC_OPS_WINOGRAD_ROWS_H

#include <immintrin.h>

/* [a | b]: two 4-float loads into one register. */
static inline __m256 load_halves(const float *a, const float *b)
{
    return _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(a)), _mm_loadu_ps(b), 1);
}

/* 4x4 transposes within each 128-bit half: out[c] holds element c of each
 * of the four rows' halves. */
static inline void transpose_halves(__m256 a, __m256 b, __m256 c, __m256 d, __m256 out[4])
{
    const __m256 t0 = _mm256_unpacklo_ps(a, b), t1 = _mm256_unpackhi_ps(a, b);
    const __m256 t2 = _mm256_unpacklo_ps(c, d), t3 = _mm256_unpackhi_ps(c, d);
    out[0] = _mm256_shuffle_ps(t0, t2, 0x44);
    out[1] = _mm256_shuffle_ps(t0, t2, 0xEE);
    out[2] = _mm256_shuffle_ps(t1, t3, 0x44);
    out[3] = _mm256_shuffle_ps(t1, t3, 0xEE);
}

/* One input row's patch values of 8 tiles side by side, tile l's starting
 * at src + side * l, into dst[c * stride + l] for c < n. Tile l's values
 * c .. c+3 start at src + side * l + c: tiles 0-3 go to the
 * low halves and 4-7 to the high ones, so that after the transpose lane l is
 * tile l. Values are read in groups of 4 (up to 3 past the n-th). */
static inline void gather_row(const float *src, int side, int n, float *dst, int stride)
{
    for (int c = 0; c < n; c += 4) {
        const float *s = src + c;
        __m256 v[4];
        transpose_halves(load_halves(s, s + 4 * side), load_halves(s + side, s + 5 * side),
                         load_halves(s + 2 * side, s + 6 * side),
                         load_halves(s + 3 * side, s + 7 * side), v);
        for (int k = 0; k < 4 && c + k < n; k++)
            _mm256_storeu_ps(dst + (c + k) * stride, v[k]);
    }
}

/* One output row of 8 tiles side by side: dst[side * l + c] = src[c * stride
 * + l] for c < side (4 or 2), side * 8 contiguous values. */
static inline void store_row(const float *src, int side, float *dst, int stride)
{
    if (side == 4) {
        __m256 t[4];
        transpose_halves(_mm256_loadu_ps(src), _mm256_loadu_ps(src + stride),
                         _mm256_loadu_ps(src + 2 * stride), _mm256_loadu_ps(src + 3 * stride), t);
        /* t[l] holds tile l's 4 values in its low half and tile l+4's in its high one. */
        _mm256_storeu_ps(dst, _mm256_permute2f128_ps(t[0], t[1], 0x20));
        _mm256_storeu_ps(dst + 8, _mm256_permute2f128_ps(t[2], t[3], 0x20));
        _mm256_storeu_ps(dst + 16, _mm256_permute2f128_ps(t[0], t[1], 0x31));
        _mm256_storeu_ps(dst + 24, _mm256_permute2f128_ps(t[2], t[3], 0x31));
    } else {
        const __m256 a = _mm256_loadu_ps(src), b = _mm256_loadu_ps(src + stride);
        const __m256 lo = _mm256_unpacklo_ps(a, b), hi = _mm256_unpackhi_ps(a, b);
        /* lo: tiles 0, 1 | 4, 5; hi: tiles 2, 3 | 6, 7. */
        _mm256_storeu_ps(dst, _mm256_permute2f128_ps(lo, hi, 0x20));
        _mm256_storeu_ps(dst + 8, _mm256_permute2f128_ps(lo, hi, 0x31));
    }
}

#endif
