/*
 * Body of one reproducible register tile (gemm_exact.c includes it once per
 * instruction set). Before including, define:
 *   EXACT_TILE    the function's name
 *   EXACT_TARGET  its target attribute (empty for the baseline)
 *   EXACT_FLOATS  floats per vector register (4 SSE2, 8 AVX2, 16 AVX-512)
 *   EXACT_MR      rows of the tile; the tile is 2 * EXACT_FLOATS columns wide
 * Every C value is the sum over the depth, in order, from zero, of products
 * each rounded on its own (a multiply, then an add): element by element the
 * same operations whatever the vector width, so every width gives the same
 * bits. The unfused multiply-add needs -ffp-contract=off (CMakeLists.txt).
 */
#define EXACT_JOIN2(a, b) a##b
#define EXACT_JOIN(a, b) EXACT_JOIN2(a, b)
#define EXACT_VEC EXACT_JOIN(EXACT_TILE, _vec)
#define EXACT_ROWS EXACT_JOIN(EXACT_TILE, _rows)

typedef float EXACT_VEC __attribute__((vector_size(EXACT_FLOATS * sizeof(float))));

static inline __attribute__((always_inline)) EXACT_TARGET void
EXACT_ROWS(const int rows, int depth, const float *a, const float *b, long b_step, float *c,
           long ldc, int accumulate)
{
    EXACT_VEC lo[EXACT_MR], hi[EXACT_MR];
#pragma GCC unroll 8
    for (int r = 0; r < rows; r++) {
        lo[r] = (EXACT_VEC){0};
        hi[r] = (EXACT_VEC){0};
    }
    for (int p = 0; p < depth; p++) {
        EXACT_VEC b_lo, b_hi;
        memcpy(&b_lo, b, sizeof b_lo);
        memcpy(&b_hi, b + EXACT_FLOATS, sizeof b_hi);
#pragma GCC unroll 8
        for (int r = 0; r < rows; r++) {
            const EXACT_VEC a_r = (EXACT_VEC){0} + a[r];
            const EXACT_VEC product_lo = a_r * b_lo, product_hi = a_r * b_hi;
            lo[r] = lo[r] + product_lo;
            hi[r] = hi[r] + product_hi;
        }
        a += EXACT_MR;
        b += b_step;
    }
#pragma GCC unroll 8
    for (int r = 0; r < rows; r++) {
        float *row = c + r * ldc;
        if (accumulate) {
            EXACT_VEC old_lo, old_hi;
            memcpy(&old_lo, row, sizeof old_lo);
            memcpy(&old_hi, row + EXACT_FLOATS, sizeof old_hi);
            lo[r] = old_lo + lo[r];
            hi[r] = old_hi + hi[r];
        }
        memcpy(row, &lo[r], sizeof lo[r]);
        memcpy(row + EXACT_FLOATS, &hi[r], sizeof hi[r]);
    }
}

_Static_assert(EXACT_MR <= 8, "EXACT_TILE unrolls up to 8 rows");
_Static_assert(EXACT_MR <= SC_SGEMM_MR_MAX && 2 * EXACT_FLOATS <= SC_SGEMM_NR_MAX,
               "edge tile buffer too small");

EXACT_TARGET static void EXACT_TILE(int rows, int depth, const float *a, const float *b,
                                    long b_step, float *c, long ldc, int accumulate)
{
    switch (rows) {
    case 8: EXACT_ROWS(EXACT_MR >= 8 ? 8 : 1, depth, a, b, b_step, c, ldc, accumulate); break;
    case 7: EXACT_ROWS(EXACT_MR >= 7 ? 7 : 1, depth, a, b, b_step, c, ldc, accumulate); break;
    case 6: EXACT_ROWS(6, depth, a, b, b_step, c, ldc, accumulate); break;
    case 5: EXACT_ROWS(5, depth, a, b, b_step, c, ldc, accumulate); break;
    case 4: EXACT_ROWS(4, depth, a, b, b_step, c, ldc, accumulate); break;
    case 3: EXACT_ROWS(3, depth, a, b, b_step, c, ldc, accumulate); break;
    case 2: EXACT_ROWS(2, depth, a, b, b_step, c, ldc, accumulate); break;
    case 1: EXACT_ROWS(1, depth, a, b, b_step, c, ldc, accumulate); break;
    default: break;
    }
}

#undef EXACT_ROWS
#undef EXACT_VEC
#undef EXACT_JOIN
#undef EXACT_JOIN2
