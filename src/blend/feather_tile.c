/* The feathered-weights tile for the baseline instruction set, and the choice
 * of copy (blend/feather_tile.h). */
#include "blend/feather_tile.h"

#include "core/isa.h"

#define FEATHER_TILE sc_feather_tile_plain
#include "blend/feather_tile_body.h"

sc_feather_tile_fn *sc_feather_tile_for_cpu(void)
{
#if defined(__x86_64__) || defined(__i386__)
    const sc_isa isa = sc_isa_allowed();
    if (isa >= SC_ISA_AVX512)
        return sc_feather_tile_avx512;
    if (isa >= SC_ISA_AVX2)
        return sc_feather_tile_avx2;
#endif
    return sc_feather_tile_plain;
}
