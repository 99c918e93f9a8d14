/* The feathered-weights tile for the baseline instruction set, and the choice
 * of copy (blend/feather_tile.h). */
#include "blend/feather_tile.h"

#include "core/isa.h"

#define FEATHER_TILE sc_feather_tile_plain
#include "blend/feather_tile_body.h"

sc_feather_tile_fn *sc_feather_tile_for_cpu(void)
{
    return SC_ISA_PICK(sc_feather_tile_plain, sc_feather_tile_avx2, sc_feather_tile_avx512);
}
