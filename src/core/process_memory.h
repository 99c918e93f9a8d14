/*
 * How the C library keeps memory a program has freed. By default glibc hands
 * large blocks back to the system at free(), and the next picture's buffers
 * are then new pages: each costs a fault and zeroing on first touch (on the
 * 2-core development VM about 10 % of a 2560x1600 pair processed over and
 * over, docs/speed.md). A program that processes many pictures, as the CLI
 * does over a folder, keeps them instead, and its memory stays at the peak of
 * one picture. A library must not choose this for the program that embeds it,
 * so only programs call it.
 */
#ifndef SC_CORE_PROCESS_MEMORY_H
#define SC_CORE_PROCESS_MEMORY_H

/* Asks malloc to serve blocks up to 32 MB from its heaps and to keep freed
 * memory. 0 when the C library took it, -1 when it has no such setting. */
int sc_keep_freed_memory(void);

#endif
