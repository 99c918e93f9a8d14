/*
 * Reproducible mode (sc_options.reproducible, --reproducible): the library call
 * running on the calling thread must give the same bytes on every x86-64 CPU.
 * Every code path whose arithmetic depends on the CPU honours it: the GEMM
 * kernels (one summation order, no fused multiply-add), libm's run-time
 * selected functions (core/exact_math.h instead) and any algorithm whose
 * rounding differs from im2col+GEMM (Winograd is off).
 *
 * Like the thread count (core/parallel.h), the setting belongs to the calling
 * thread: OpenMP's worker threads do not see it. Read it on the thread that
 * opens a parallel region, before the region, and hand what it decides (a
 * plan, a kernel) to the workers.
 */
#ifndef SC_CORE_REPRODUCIBLE_H
#define SC_CORE_REPRODUCIBLE_H

/* Sets the calling thread's mode (non-zero: on) and returns the setting it
 * replaces, so that a call can put the caller's back when it ends. */
int sc_set_reproducible(int on);
/* 1 when the call running on this thread is in reproducible mode. */
int sc_reproducible(void);

#endif
