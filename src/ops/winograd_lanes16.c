/*
 * The Winograd transforms on 16 lanes, for CPUs with AVX-512: the same
 * operations per lane as on 8 (ops/winograd_lanes8.c), so the same bits, in
 * half the vector instructions. Rows still move 8 tiles at a time.
 */
#if defined(__x86_64__) || defined(__i386__)
#define WINOGRAD_VECTOR_ROWS 1
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f"))), apply_to = function)
#else
#pragma GCC target("avx512f,prefer-vector-width=512")
#endif
#include <string.h>

#include "ops/winograd_rows.h"
#include "ops/winograd_lanes_entry.h"

/* clang keeps loops to 256-bit vectors unless told (after the headers, whose
 * intrinsics carry their own width). */
#if defined(__clang__)
#pragma clang attribute push(__attribute__((min_vector_width(512))), apply_to = function)
#endif

#define LANES 16
#define WINOGRAD_INPUT sc_winograd_input_lanes16
#define WINOGRAD_OUTPUT sc_winograd_output_lanes16
#include "ops/winograd_lanes.h"

#if defined(__clang__)
#pragma clang attribute pop
#pragma clang attribute pop
#endif
#else
/* Never compiled in: sc_winograd_input picks 16 lanes on x86 only. */
typedef int sc_winograd_lanes16_unused;
#endif
