/*
 * The 3x3 depthwise convolution's copies (internal to ops/depthwise*.c): one
 * body, ops/depthwise_body.h, compiled for the baseline, AVX2 and AVX-512
 * (plain C loops the compiler vectorises; with -ffp-contract=off each value is
 * rounded as on the baseline, so every copy gives the same bits).
 * sc_depthwise3x3 checks its arguments and picks one by the instruction sets
 * allowed (core/isa.h).
 */
#ifndef SC_OPS_DEPTHWISE_COPIES_H
#define SC_OPS_DEPTHWISE_COPIES_H

#include "core/parallel.h"
#include "ops/ops.h"

/* out = depthwise 3x3 conv(in) (+ReLU6), arguments already checked. */
typedef void sc_depthwise_fn(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int relu6);

sc_depthwise_fn sc_depthwise3x3_plain;
#if defined(__x86_64__) || defined(__i386__)
sc_depthwise_fn sc_depthwise3x3_avx2;
sc_depthwise_fn sc_depthwise3x3_avx512;
#endif

#endif
