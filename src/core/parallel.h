/*
 * Threads. Our own loops split work into chunks whose boundaries never depend
 * on the thread count, and OpenBLAS runs single-threaded inside each chunk, so
 * every output value is computed by the same instructions in the same order
 * for any --threads: results are bit-identical.
 */
#ifndef SC_CORE_PARALLEL_H
#define SC_CORE_PARALLEL_H

/* n <= 0: all cores. Also pins OpenBLAS to one thread per caller. */
void sc_set_threads(int n);
int sc_get_threads(void);

#endif
