/*
 * Threads. Our own loops split work into chunks whose boundaries never depend
 * on the thread count, and GEMM runs single-threaded inside each chunk, so
 * every output value is computed by the same instructions in the same order
 * for any --threads: results are bit-identical.
 *
 * The thread count belongs to the library call running on the calling thread,
 * never to the process: every parallel region names it in a
 * num_threads(sc_get_threads()) clause, which the thread opening the region
 * evaluates. Callers on different threads with different counts each get
 * their own, and OpenMP's process-wide default (omp_set_num_threads) is never
 * written.
 */
#ifndef SC_CORE_PARALLEL_H
#define SC_CORE_PARALLEL_H

/* Sets the calling thread's count (n <= 0: all cores) and returns the setting
 * it replaces, so that a call can put the caller's back when it ends. */
int sc_set_threads(int n);
/* The calling thread's count: its setting, or all cores when it has none. */
int sc_get_threads(void);

/* The sizes below which a parallel region runs on the calling thread alone: on
 * a busy machine, waking and joining a team can cost milliseconds, more than
 * such a loop takes. Chunking never depends on the thread count, so results
 * are the same either way. One threshold per kind of work item: */
/* output values of a light loop, a few operations each */
#define SC_PARALLEL_MIN_VALUES 65536L
/* pixels of a heavy per-pixel loop, a few hundred float operations each */
#define SC_PARALLEL_MIN_PIXELS 4096L
/* floating-point operations of one convolution */
#define SC_PARALLEL_MIN_FLOPS (32.0 * 1024 * 1024)

#endif
