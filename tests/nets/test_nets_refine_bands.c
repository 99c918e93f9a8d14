/* The refiner's levels made in bands (sc_refine_forward_bands; every level
 * whose map holds more than four bands, all its convolutions band by band):
 * the same alpha bit for bit as whole maps, for bands of 2 rows, of an odd
 * share of the map, and of one band, on every fixture model; and less
 * workspace. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/isa.h"
#include "nets/helper_fixtures.h"
#include "nets/model.h"
#include "nets/netctx.h"
#include "nets/refine.h"
#include "ops/gemm.h"

/* alpha of the model's refiner on a fixed input, made with bands of band_bytes;
 * *peak receives the arena's peak. The caller frees the result. */
static float *refine_alpha(const sc_model *m, size_t band_bytes, size_t *peak, size_t *n)
{
    const int r = m->cfg.refine_size;
    sc_arena arena;
    assert_int_equal(sc_arena_init(&arena, (size_t)1 << 30), 0);
    sc_error err = {SC_OK, ""};
    sc_net_ctx ctx = {&arena, NULL, "input", SC_OK, &err, 0};
    sc_tensor x = sc_new(&ctx, m->refine.down[0][0].cin, r, r);
    assert_non_null(x.data);
    for (int c = 0; c < x.c; c++)
        for (int y = 0; y < r; y++)
            for (int xx = 0; xx < r; xx++)
                *sc_tensor_at(&x, c, y, xx) =
                    c == x.c - 1 ? (y < r / 2 ? 1.0f : 0.0f)
                                 : (float)((xx * 7 + y * 13 + c * 31) % 97) / 48.0f - 1.0f;
    const size_t input_end = sc_arena_mark(&arena);
    sc_tensor alpha = sc_refine_forward_bands(&ctx, &m->refine, &x, band_bytes);
    if (sc_failed(&ctx))
        fail_msg("refine: %s", err.msg);
    float *copy = fx_copy_and_release(&arena, &alpha, input_end, peak, n);
    assert_non_null(copy);
    return copy;
}

static void bands_give_the_same_alpha(void **state)
{
    (void)state;
    char names[FX_MAX_VARIANTS][64];
    const int variants = fx_variants_present(names, FX_MAX_VARIANTS);
    for (int v = 0; v < variants; v++) {
        sc_model *m = fx_load_model(names[v]);
        const int r = m->cfg.refine_size;
        const size_t row = (size_t)m->refine.down[0][m->refine.convs[0] - 1].cout * (size_t)r *
                           sizeof(float);
        size_t n_whole = 0, peak_whole = 0;
        float *whole = refine_alpha(m, SIZE_MAX, &peak_whole, &n_whole);
        /* 2 rows; 6 rows (a shorter last band unless 6 divides the side); the
         * largest band the rule still splits the map into. */
        const size_t bands[] = {1, 6 * row, (size_t)r * row / 4 - 1};
        size_t peak_two_rows = 0;
        for (size_t b = 0; b < sizeof bands / sizeof bands[0]; b++) {
            size_t n = 0, peak = 0;
            float *banded = refine_alpha(m, bands[b], &peak, &n);
            assert_int_equal(n, n_whole);
            if (memcmp(banded, whole, n * sizeof *whole) != 0)
                fail_msg("%s: bands of %zu bytes change the alpha", names[v], bands[b]);
            if (b == 0 && peak >= peak_whole)
                fail_msg("%s: 2-row bands take %zu bytes of workspace, the whole map %zu",
                         names[v], peak, peak_whole);
            if (b == 0)
                peak_two_rows = peak;
            free(banded);
        }
        printf("  %-26s refine %d: workspace %zu -> %zu bytes with 2-row bands\n", names[v], r,
               peak_whole, peak_two_rows);
        free(whole);
        sc_model_free(m);
    }
}

/* Every tensor the loader asks for, of whatever shape: small values that vary
 * from one to the next (a positive batch-norm variance where it is one). */
static sc_status read_varied(void *ctx, const char *name, const int64_t *shape, int ndim,
                             float *dst, sc_error *err)
{
    (void)ctx, (void)err;
    if (!dst)
        return SC_OK;
    size_t n = 1;
    for (int i = 0; i < ndim; i++)
        n *= (size_t)shape[i];
    const int variance = strstr(name, "running_var") != NULL;
    for (size_t i = 0; i < n; i++) {
        const float v = (float)((i * 2654435761u) % 1000) / 1000.0f;
        dst[i] = variance ? 0.5f + v : (v - 0.5f) * 0.2f;
    }
    return SC_OK;
}

/* alpha of `net` on a fixed 64 x 64 input with bands of band_bytes. */
static float *net_alpha(const sc_refine_net *net, int in_channels, size_t band_bytes)
{
    sc_arena arena;
    assert_int_equal(sc_arena_init(&arena, (size_t)256 << 20), 0);
    sc_error err = {SC_OK, ""};
    sc_net_ctx ctx = {&arena, NULL, "input", SC_OK, &err, 0};
    sc_tensor x = sc_new(&ctx, in_channels, 64, 64);
    assert_non_null(x.data);
    for (size_t i = 0; i < sc_tensor_size(&x); i++)
        x.data[i] = (float)((i * 40503u) % 211) / 105.0f - 1.0f;
    sc_tensor alpha = sc_refine_forward_bands(&ctx, net, &x, band_bytes);
    if (sc_failed(&ctx))
        fail_msg("refine: %s", err.msg);
    size_t n = 0;
    float *copy = fx_copy_and_release(&arena, &alpha, 0, NULL, &n);
    assert_non_null(copy);
    assert_int_equal(n, 64 * 64);
    return copy;
}

/* Levels on Winograd tiles (2x2 and 4x4, as the original's deeper levels run)
 * made in 2-row bands: a band whose layers' tiles fell on other rows than the
 * whole map's would round differently. */
static void winograd_levels_in_bands(void **state)
{
    (void)state;
    if (sc_isa_allowed() < SC_ISA_AVX2 || !strcmp(sc_sgemm_kernel_name(), "cblas"))
        skip(); /* no Winograd without a kernel that packs */
    sc_refine_cfg cfg;
    sc_weights store;
    sc_refine_net net;
    fx_load_rule_refiner(read_varied, &net, &cfg, &store);
    float *whole = net_alpha(&net, cfg.in_channels, SIZE_MAX);
    float *banded = net_alpha(&net, cfg.in_channels, 1);
    if (memcmp(whole, banded, 64 * 64 * sizeof *whole) != 0)
        fail_msg("2-row bands change the alpha of a refiner on Winograd tiles");
    free(whole);
    free(banded);
    sc_weights_free(&store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bands_give_the_same_alpha),
        cmocka_unit_test(winograd_levels_in_bands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
