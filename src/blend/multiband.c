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
    sc_multiband_fn *copy =
        SC_ISA_PICK(sc_multiband_plain, sc_multiband_avx2, sc_multiband_avx512);
    return copy(scene, scn_w8, pano, sky_w8, w, h, num, out_s16, out_u8, err);
}
