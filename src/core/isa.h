/*
 * Which instruction sets the CPU-specific kernels may use: what the CPU has,
 * capped by the environment variable SKYCHANGE_ISA (avx512, avx2 or sse2).
 * The cap lets one machine run the kernels an older CPU would run, e.g. to
 * check that reproducible mode gives the same bytes on every path.
 */
#ifndef SC_CORE_ISA_H
#define SC_CORE_ISA_H

#include "skychange.h"

/* Ordered: a level includes the ones below it. */
typedef enum sc_isa {
    SC_ISA_SSE2,   /* baseline x86-64 (and any other CPU) */
    SC_ISA_AVX2,   /* AVX2 with FMA */
    SC_ISA_AVX512  /* AVX-512F */
} sc_isa;

/* The highest level kernels may use: the CPU's, capped by SKYCHANGE_ISA.
 * The variable is read once per process; an invalid value caps nothing (the
 * library's calls refuse it first, see sc_isa_check). */
sc_isa sc_isa_allowed(void);
/* SC_OK, or SC_ERR_INVALID_ARG when SKYCHANGE_ISA holds something other than
 * avx512, avx2 or sse2 (an empty variable counts as unset). */
sc_status sc_isa_check(sc_error *err);
/* For code kept in a baseline, an AVX2 and an AVX-512 copy (built only on
 * x86, core/isa_target_begin.h): the copy the allowed instruction sets may run.
 * Elsewhere the wide names are never evaluated. */
#if defined(__x86_64__) || defined(__i386__)
#define SC_ISA_PICK(plain, avx2, avx512)                          \
    (sc_isa_allowed() >= SC_ISA_AVX512 ? (avx512)                 \
     : sc_isa_allowed() >= SC_ISA_AVX2 ? (avx2) : (plain))
/* One wide copy where the instruction sets allow it, else NULL: what a test
 * compares with the baseline copy. */
#define SC_ISA_WIDE_COPY(level, copy) (sc_isa_allowed() >= (level) ? (copy) : NULL)
#else
#define SC_ISA_PICK(plain, avx2, avx512) (plain)
#define SC_ISA_WIDE_COPY(level, copy) NULL
#endif

/* "avx512", "avx2", "sse2". */
const char *sc_isa_name(sc_isa isa);
/* 0 and *out set for avx512, avx2 or sse2 (exact, lower case); -1 otherwise. */
int sc_isa_parse(const char *text, sc_isa *out);

#endif
