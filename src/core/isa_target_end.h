/* Ends what core/isa_target_begin.h started. */
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
#undef SC_TARGET_ISA
