/* Every instruction set's copy of the multiband blender against the baseline
 * one, bit for bit, in both numerics, on sizes that pad to the pyramid's unit
 * and weights with hard and soft edges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "blend/hash32.h"
#include "blend/multiband_copies.h"
#include "core/isa.h"

static void fill(uint8_t *rgb, uint8_t *scn_w, uint8_t *sky_w, int w, int h, uint32_t seed)
{
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            const size_t i = (size_t)y * w + x;
            for (int c = 0; c < 3; c++)
                rgb[3 * i + c] = (uint8_t)(hash32(seed + (uint32_t)(3 * i + c)) >> 24);
            /* sky at the top with a soft, noisy edge around a third of the height */
            int edge = h / 3 + (int)(hash32(seed ^ (uint32_t)x) % 5) - 2;
            int sky = y < edge ? 255 : y < edge + 6 ? 255 - 42 * (y - edge) : 0;
            sky_w[i] = (uint8_t)sky;
            scn_w[i] = (uint8_t)(255 - sky);
        }
}

static void copies_give_the_baseline_bits(void **state)
{
    (void)state;
    sc_multiband_fn *copies[2] = {SC_ISA_WIDE_COPY(SC_ISA_AVX2, sc_multiband_avx2),
                                  SC_ISA_WIDE_COPY(SC_ISA_AVX512, sc_multiband_avx512)};
    static const int sizes[][2] = {{97, 61}, {256, 128}, {300, 41}};
    int compared = 0;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        const int w = sizes[s][0], h = sizes[s][1];
        const size_t n = (size_t)w * h;
        uint8_t *scene = malloc(3 * n), *pano = malloc(3 * n), *scn_w = malloc(n);
        uint8_t *sky_w = malloc(n), *unused = malloc(n);
        int16_t *want16 = malloc(sizeof *want16 * 3 * n), *got16 = malloc(sizeof *got16 * 3 * n);
        uint8_t *want8 = malloc(3 * n), *got8 = malloc(3 * n);
        assert_true(scene && pano && scn_w && sky_w && unused && want16 && got16 && want8 &&
                    got8);
        fill(scene, scn_w, sky_w, w, h, 11u * (uint32_t)s);
        fill(pano, unused, unused, w, h, 7u + 13u * (uint32_t)s);
        for (int num = 0; num < 2; num++) {
            const sc_blend_numerics numerics = num ? SC_NUMERICS_EXACT : SC_NUMERICS_ORIGINAL;
            sc_error err;
            assert_int_equal(sc_multiband_plain(scene, scn_w, pano, sky_w, w, h, numerics,
                                                want16, want8, &err),
                             SC_OK);
            for (int c = 0; c < 2; c++) {
                if (!copies[c])
                    continue;
                assert_int_equal(copies[c](scene, scn_w, pano, sky_w, w, h, numerics, got16,
                                           got8, &err),
                                 SC_OK);
                if (memcmp(want16, got16, sizeof *got16 * 3 * n) || memcmp(want8, got8, 3 * n))
                    fail_msg("%s copy, %dx%d, numerics %d: differs from the baseline",
                             c ? "AVX-512" : "AVX2", w, h, num);
                compared++;
            }
        }
        free(scene), free(pano), free(scn_w), free(sky_w), free(unused);
        free(want16), free(got16), free(want8), free(got8);
    }
    if (!compared)
        printf("  no AVX2 on this CPU (or SKYCHANGE_ISA=sse2): nothing to compare\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(copies_give_the_baseline_bits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
