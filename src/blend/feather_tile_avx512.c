/* The feathered-weights tile compiled for AVX512 (blend/feather_tile.h). */
#if defined(__x86_64__) || defined(__i386__)
#include "blend/feather_tile.h"

#define SC_TARGET_ISA SC_TARGET_AVX512
#include "core/isa_target_begin.h"

#define FEATHER_TILE sc_feather_tile_avx512
#include "blend/feather_tile_body.h"

#include "core/isa_target_end.h"
#else
typedef int sc_feather_tile_avx512_unused; /* x86 only */
#endif
