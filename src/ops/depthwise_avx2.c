/* The 3x3 depthwise convolution compiled for AVX2 (ops/depthwise_copies.h). */
#if defined(__x86_64__) || defined(__i386__)
#include "ops/depthwise_copies.h"

#define SC_TARGET_ISA SC_TARGET_AVX2
#include "core/isa_target_begin.h"

#define DEPTHWISE sc_depthwise3x3_avx2
#include "ops/depthwise_body.h"

#include "core/isa_target_end.h"
#else
typedef int sc_depthwise3x3_avx2_unused; /* x86 only */
#endif
