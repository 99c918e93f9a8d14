/* The multiband blender compiled for AVX512 (blend/multiband_copies.h). */
#if defined(__x86_64__) || defined(__i386__)
#include "blend/multiband_copies.h"

#define SC_TARGET_ISA SC_TARGET_AVX512
#include "core/isa_target_begin.h"

#define MULTIBAND sc_multiband_avx512
#include "blend/multiband_body.h"

#include "core/isa_target_end.h"
#else
typedef int sc_multiband_avx512_unused; /* x86 only */
#endif
