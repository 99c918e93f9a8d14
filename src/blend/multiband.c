/* The multiband blender for the baseline instruction set, and the choice of
 * copy (blend/multiband_copies.h). */
#include "blend/multiband_copies.h"

#include "core/isa.h"

#define MULTIBAND sc_multiband_plain
#include "blend/multiband_body.h"

sc_status sc_multiband(const uint8_t *scene, const uint8_t *scn_w8, const uint8_t *pano,
                       const uint8_t *sky_w8, int w, int h, sc_blend_numerics num,
                       int16_t *out_s16, uint8_t *out_u8, sc_error *err)
{
    sc_multiband_fn *copy = sc_multiband_plain;
#if defined(__x86_64__) || defined(__i386__)
    const sc_isa isa = sc_isa_allowed();
    if (isa >= SC_ISA_AVX512)
        copy = sc_multiband_avx512;
    else if (isa >= SC_ISA_AVX2)
        copy = sc_multiband_avx2;
#endif
    return copy(scene, scn_w8, pano, sky_w8, w, h, num, out_s16, out_u8, err);
}
