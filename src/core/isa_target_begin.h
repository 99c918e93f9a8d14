/*
 * Compiles the functions that follow, up to core/isa_target_end.h, for one
 * instruction set: define SC_TARGET_ISA as SC_TARGET_AVX2 or SC_TARGET_AVX512
 * first. For plain C loops the compiler vectorises: with -ffp-contract=off
 * (CMakeLists.txt) no multiply and add are fused, so every value is rounded as
 * on the baseline build and the results are the same bits, in wider vectors.
 * Include on x86 only; callers pick such a copy with SC_ISA_PICK (core/isa.h).
 */
#define SC_TARGET_AVX2 2
#define SC_TARGET_AVX512 3

#if !defined(__x86_64__) && !defined(__i386__)
#error "core/isa_target_begin.h: x86 only"
#endif

#if SC_TARGET_ISA == SC_TARGET_AVX2
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2")
#endif
#elif SC_TARGET_ISA == SC_TARGET_AVX512
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f"))), apply_to = function)
/* clang keeps loops to 256-bit vectors unless told */
#pragma clang attribute push(__attribute__((min_vector_width(512))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,prefer-vector-width=512")
#endif
#else
#error "core/isa_target_begin.h: define SC_TARGET_ISA as SC_TARGET_AVX2 or SC_TARGET_AVX512"
#endif
