/* The OCR head's per-pixel half (sc_ocr_forward_bands).
 * - Made in bands of pixels: the same g bit for bit as one band over the whole
 *   map, for bands of one pixel, of 7 pixels (a shorter last band) and of 100,
 *   on every fixture model (pooled queries, scale 2, included); and less
 *   workspace than one band, which holds the concat of context and features
 *   whole.
 * - The factored context (two classes, unpooled queries: ocr.c) against the
 *   direct path (f_up over every pixel's context, then the whole fusing layer):
 *   the same g within float rounding; and reproducible mode takes the direct
 *   path, bit for bit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "nets/helper_fixtures.h"
#include "nets/model.h"
#include "nets/netctx.h"
#include "core/reproducible.h"
#include "nets/ocr.h"

/* A map of 24 x 28: not square, and a multiple of the pooled queries' scale. */
#define MAP_H 24
#define MAP_W 28

/* g of the model's OCR head on a fixed input, made with bands of band_bytes;
 * *peak receives the arena's peak above the input. The caller frees it. */
static float *ocr_output(const sc_ocr *o, size_t band_bytes, size_t *peak, size_t *n)
{
    sc_arena arena;
    assert_int_equal(sc_arena_init(&arena, (size_t)256 << 20), 0);
    sc_error err = {SC_OK, ""};
    sc_net_ctx ctx = {&arena, NULL, "input", SC_OK, &err, 0};
    sc_tensor x = sc_new(&ctx, o->conv3x3.cin, MAP_H, MAP_W);
    assert_non_null(x.data);
    for (int c = 0; c < x.c; c++)
        for (int y = 0; y < x.h; y++)
            for (int xx = 0; xx < x.w; xx++)
                *sc_tensor_at(&x, c, y, xx) =
                    (float)((xx * 11 + y * 17 + c * 29) % 89) / 44.0f - 1.0f;
    const size_t input_end = sc_arena_mark(&arena);
    sc_tensor g = sc_ocr_forward_bands(&ctx, o, &x, band_bytes);
    if (sc_failed(&ctx))
        fail_msg("ocr: %s", err.msg);
    assert_int_equal(g.c, o->mid);
    assert_int_equal(g.h, MAP_H);
    assert_int_equal(g.w, MAP_W);
    float *copy = fx_copy_and_release(&arena, &g, input_end, peak, n);
    assert_non_null(copy);
    return copy;
}

static void bands_give_the_same_output(void **state)
{
    (void)state;
    char names[FX_MAX_VARIANTS][64];
    const int variants = fx_variants_present(names, FX_MAX_VARIANTS);
    int pooled_queries = 0;
    for (int v = 0; v < variants; v++) {
        sc_model *m = fx_load_model(names[v]);
        const sc_ocr *o = &m->coarse.ocr;
        pooled_queries += o->scale > 1;
        /* What the head books for one pixel of a band (sc_ocr_forward_bands). */
        const size_t pixel =
            (2 * (size_t)o->mid + 3 * (size_t)o->key + (size_t)o->classes) * sizeof(float);
        size_t n_whole = 0, peak_whole = 0;
        float *whole = ocr_output(o, SIZE_MAX, &peak_whole, &n_whole);
        const size_t bands[] = {1, 7 * pixel, 100 * pixel};
        size_t peak_one_pixel = 0;
        for (size_t b = 0; b < sizeof bands / sizeof bands[0]; b++) {
            size_t n = 0, peak = 0;
            float *banded = ocr_output(o, bands[b], &peak, &n);
            assert_int_equal(n, n_whole);
            if (memcmp(banded, whole, n * sizeof *whole) != 0)
                fail_msg("%s: bands of %zu bytes change the OCR head's output", names[v],
                         bands[b]);
            if (b == 0 && peak >= peak_whole)
                fail_msg("%s: one-pixel bands take %zu bytes of workspace, one band %zu",
                         names[v], peak, peak_whole);
            if (b == 0)
                peak_one_pixel = peak;
            free(banded);
        }
        printf("  %-36s OCR scale %d: workspace %zu -> %zu bytes with one-pixel bands\n",
               names[v], o->scale, peak_whole, peak_one_pixel);
        free(whole);
        sc_model_free(m);
    }
    assert_true(pooled_queries > 0); /* the scale > 1 path was run too */
}

/* Largest |g| of the direct path: the scale the factored path's rounding is
 * measured against, as in the parity limits. */
static double largest_magnitude(const float *g, size_t n)
{
    double top = 0;
    for (size_t i = 0; i < n; i++)
        top = fabs(g[i]) > top ? fabs(g[i]) : top;
    return top;
}

static void factored_context_matches_the_direct_path(void **state)
{
    (void)state;
    char names[FX_MAX_VARIANTS][64];
    const int variants = fx_variants_present(names, FX_MAX_VARIANTS);
    int factored_models = 0;
    for (int v = 0; v < variants; v++) {
        sc_model *m = fx_load_model(names[v]);
        const sc_ocr *o = &m->coarse.ocr;
        assert_int_equal(o->factored, o->classes == 2 && o->scale == 1);
        if (!o->factored) {
            sc_model_free(m);
            continue;
        }
        factored_models++;
        sc_ocr direct = *o;
        direct.factored = 0;
        size_t n = 0, n_direct = 0, peak = 0;
        float *want = ocr_output(&direct, 100 * 1024, &peak, &n_direct);
        float *got = ocr_output(o, 100 * 1024, &peak, &n);
        assert_int_equal(n, n_direct);
        const double scale = largest_magnitude(want, n);
        const double err = fx_max_abs_error(got, want, n) / (scale > 0 ? scale : 1);
        printf("  %-36s factored context: largest difference %.2e of max |g| %.3g\n", names[v],
               err, scale);
        if (!(err <= 1e-5))
            fail_msg("%s: the factored context differs from the direct path by %.2e", names[v],
                     err);
        free(got);
        free(want);
        /* Reproducible mode keeps one summation order: the direct one. */
        sc_set_reproducible(1);
        got = ocr_output(o, 100 * 1024, &peak, &n);
        want = ocr_output(&direct, 100 * 1024, &peak, &n_direct);
        sc_set_reproducible(0);
        if (memcmp(got, want, n * sizeof *got) != 0)
            fail_msg("%s: reproducible mode does not take the direct path", names[v]);
        free(got);
        free(want);
        sc_model_free(m);
    }
    assert_true(factored_models > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bands_give_the_same_output),
        cmocka_unit_test(factored_context_matches_the_direct_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
