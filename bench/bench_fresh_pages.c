/*
 * What memory a process has not touched before costs on this machine: maps
 * N MB, writes one byte per 4 KiB page (each page's first touch: a fault, and
 * the kernel zeroing it, and on a virtual machine possibly the host backing
 * it again), then writes all of it once more (pages already there), and
 * prints both as seconds per GB. Run it right after a process that freed much
 * memory and after an idle pause to see how much of a benchmark's spread is
 * the machine's memory rather than the code (docs/speed.md). With --prefault
 * the pages are first mapped the way the library maps its large buffers
 * (sc_prefault: MADV_POPULATE_WRITE on the workers) and that step is timed on
 * its own, so the rest of the first touch is what the kernel's faults did
 * not cost (on a virtual machine: the host backing the pages).
 *
 *   bench_fresh_pages [--mb N] [--huge] [--prefault] [--threads T]
 *   (N default 1024; --huge: MADV_HUGEPAGE; T: the workers of --prefault, default 2)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/clock.h"
#include "core/page_hints.h"
#include "core/parallel.h"

int main(int argc, char **argv)
{
    long mb = 1024;
    int huge = 0, prefault = 0, threads = 2;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--mb") && i + 1 < argc) {
            mb = atol(argv[++i]);
        } else if (!strcmp(argv[i], "--huge")) {
            huge = 1;
        } else if (!strcmp(argv[i], "--prefault")) {
            prefault = 1;
        } else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
            threads = atoi(argv[++i]);
        } else {
            fprintf(stderr, "usage: %s [--mb N] [--huge] [--prefault] [--threads T]\n", argv[0]);
            return 2;
        }
    }
    if (threads < 1 || threads > 1024) {
        fprintf(stderr, "%s: --threads must be 1 to 1024\n", argv[0]);
        return 2;
    }
    if (mb < 1 || mb > (1L << 20)) {
        fprintf(stderr, "%s: --mb must be 1 to 1048576\n", argv[0]);
        return 2;
    }
    const size_t bytes = (size_t)mb << 20;
    unsigned char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        fprintf(stderr, "%s: cannot map %ld MB\n", argv[0], mb);
        return 1;
    }
#ifdef MADV_HUGEPAGE
    if (huge)
        (void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
    double mapped = 0.0;
    if (prefault) {
        if (!sc_prefault_wanted())
            fprintf(stderr, "%s: SKYCHANGE_PREFAULT=0, --prefault maps nothing\n", argv[0]);
        sc_set_threads(threads);
        const double t = sc_now();
        sc_prefault(p, bytes);
        mapped = sc_now() - t;
    }
    double t0 = sc_now();
    for (size_t i = 0; i < bytes; i += 4096)
        p[i] = 1;
    const double fresh = sc_now() - t0;
    t0 = sc_now();
    memset(p, 2, bytes);
    const double again = sc_now() - t0;
    const double gb = (double)bytes / 1e9;
    printf("%ld MB%s: ", mb, huge ? " with MADV_HUGEPAGE" : "");
    if (prefault)
        printf("mapped on %d workers %.3f s (%.2f s/GB), then ", threads, mapped, mapped / gb);
    printf("first touch %.3f s (%.2f s/GB), written again %.3f s (%.2f s/GB)\n", fresh,
           fresh / gb, again, again / gb);
    munmap(p, bytes);
    return 0;
}
