/* Ends what core/isa_target_begin.h started. */
#if defined(__clang__)
#pragma clang attribute pop
#if SC_TARGET_ISA == SC_TARGET_AVX512
#pragma clang attribute pop
#endif
#else
#pragma GCC pop_options
#endif
#undef SC_TARGET_ISA
