/* Which algorithm each of the refiner's encoder layers is prepared for
 * (sc_refine_load): the first level im2col, whose pooling places the last
 * unpooling at full size; after it, layers of 64 to 128 input channels
 * Winograd on 2x2 tiles, narrower ones im2col, wider ones 4x4 tiles
 * (docs/parity.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/isa.h"
#include "nets/helper_fixtures.h"
#include "nets/refine.h"
#include "nets/weights.h"
#include "ops/conv_plan.h"
#include "ops/conv_prepare.h"
#include "ops/gemm.h"

/* Every tensor the loader asks for, of whatever shape: 0.5 everywhere (a
 * positive batch-norm variance too). */
static sc_status read_halves(void *ctx, const char *name, const int64_t *shape, int ndim,
                             float *dst, sc_error *err)
{
    (void)ctx, (void)name, (void)err;
    if (!dst)
        return SC_OK;
    size_t n = 1;
    for (int i = 0; i < ndim; i++)
        n *= (size_t)shape[i];
    for (size_t i = 0; i < n; i++)
        dst[i] = 0.5f;
    return SC_OK;
}

/* "im2col", "wino2x2" or "winograd": what the layer runs on a 64x64 input. */
static const char *algorithm_of(const sc_conv *cv)
{
    sc_conv_plan plan;
    assert_int_equal(sc_conv_plan_make(cv, 64, 64, &plan), 0);
    return sc_conv_algorithm_name(&plan);
}

static void encoder_layers_take_the_precise_algorithms(void **state)
{
    (void)state;
    /* Winograd needs filters packed for a kernel that packs (AVX2 and up). */
    if (sc_isa_allowed() < SC_ISA_AVX2 || !strcmp(sc_sgemm_kernel_name(), "cblas"))
        skip();
    /* Every branch of the rule: 40 input channels stand for the small models'
     * narrow layers, 80 for the original's 64 and 128, 160 and 200 for 256
     * and 512. */
    sc_refine_cfg cfg;
    sc_weights store;
    sc_refine_net net;
    fx_load_rule_refiner(read_halves, &net, &cfg, &store);

    static const char *const want[SC_REFINE_LEVELS][3] = {
        {"im2col", "im2col", NULL},          /* 4 -> 40 (narrow input), 40 -> 40 */
        {"im2col", "wino2x2", NULL},         /* 40 -> 80, 80 -> 80 */
        {"wino2x2", "winograd", "winograd"}, /* 80 -> 160, 160 -> 160 twice */
        {"winograd", "winograd", "winograd"},
        {"winograd", "winograd", "winograd"},
    };
    for (int l = 0; l < SC_REFINE_LEVELS; l++)
        for (int i = 0; i < net.convs[l]; i++) {
            const char *got = algorithm_of(&net.down[l][i]);
            if (strcmp(got, want[l][i]) != 0)
                fail_msg("down%d.conv%d runs %s, not %s", l + 1, i + 1, got, want[l][i]);
        }
    /* The decoder's 5x5 layers keep 4x4 tiles. */
    assert_string_equal(algorithm_of(&net.up[2]), "winograd");
    sc_weights_free(&store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(encoder_layers_take_the_precise_algorithms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
