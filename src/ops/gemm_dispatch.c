/*
 * Which GEMM kernel runs: the CPU's best within SKYCHANGE_ISA (core/isa.h),
 * from one of two families. The default mode's kernels use fused
 * multiply-adds; reproducible mode's (gemm_exact.c) give the same bits on
 * every instruction set and never hand a product to OpenBLAS.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "core/isa.h"
#include "core/reproducible.h"
#include "ops/gemm.h"
#include "ops/gemm_kernels.h"

const sc_sgemm_kernel sc_sgemm_kernel_cblas = {"cblas", 0, 0, NULL, NULL, NULL};

typedef struct choice {
    const sc_sgemm_kernel *kernel;
    sc_isa isa; /* the level it needs */
} choice;

/* Best first. A CPU without AVX2 (or SKYCHANGE_ISA=sse2) gets OpenBLAS in the
 * default mode, whose own kernel OpenBLAS picks for the CPU. */
static const choice FAST[] = {{&sc_sgemm_kernel_avx512, SC_ISA_AVX512},
                              {&sc_sgemm_kernel_avx2, SC_ISA_AVX2},
                              {&sc_sgemm_kernel_cblas, SC_ISA_SSE2}};
static const choice EXACT[] = {{&sc_sgemm_kernel_exact_avx512, SC_ISA_AVX512},
                               {&sc_sgemm_kernel_exact_avx2, SC_ISA_AVX2},
                               {&sc_sgemm_kernel_exact_sse2, SC_ISA_SSE2}};
#define CHOICES(list) (sizeof(list) / sizeof((list)[0]))

static const sc_sgemm_kernel *g_best[2]; /* [reproducible] */
static pthread_once_t g_pick_once = PTHREAD_ONCE_INIT;
static _Atomic(const sc_sgemm_kernel *) g_forced;

static int kernel_available(const sc_sgemm_kernel *kern)
{
    return !kern->supported || kern->supported();
}

/* The first of the list the CPU and the cap allow; the last runs anywhere. */
static const sc_sgemm_kernel *best_of(const choice *list, size_t count, sc_isa allowed)
{
    for (size_t i = 0; i + 1 < count; i++)
        if (list[i].isa <= allowed && kernel_available(list[i].kernel))
            return list[i].kernel;
    return list[count - 1].kernel;
}

static void pick_best_kernels(void)
{
    const sc_isa allowed = sc_isa_allowed();
    g_best[0] = best_of(FAST, CHOICES(FAST), allowed);
    g_best[1] = best_of(EXACT, CHOICES(EXACT), allowed);
}

const sc_sgemm_kernel *sc_sgemm_pick(void)
{
    const sc_sgemm_kernel *forced = atomic_load(&g_forced);
    if (forced)
        return forced;
    const int reproducible = sc_reproducible();
    /* pthread_once fails only on an invalid argument. */
    if (pthread_once(&g_pick_once, pick_best_kernels) != 0 || !g_best[reproducible])
        return reproducible ? &sc_sgemm_kernel_exact_sse2 : &sc_sgemm_kernel_cblas;
    return g_best[reproducible];
}

int sc_sgemm_kernel_exact(const sc_sgemm_kernel *kern)
{
    for (size_t i = 0; i < CHOICES(EXACT); i++)
        if (EXACT[i].kernel == kern)
            return 1;
    return 0;
}

const char *sc_sgemm_kernel_name(void) { return sc_sgemm_pick()->name; }

static const sc_sgemm_kernel *find_kernel(const char *name)
{
    for (size_t i = 0; i < CHOICES(FAST); i++)
        if (!strcmp(FAST[i].kernel->name, name))
            return FAST[i].kernel;
    for (size_t i = 0; i < CHOICES(EXACT); i++)
        if (!strcmp(EXACT[i].kernel->name, name))
            return EXACT[i].kernel;
    return NULL;
}

int sc_sgemm_force_kernel(const char *name)
{
    if (!name)
        return -1;
    if (!strcmp(name, "auto")) {
        atomic_store(&g_forced, NULL);
        return 0;
    }
    const sc_sgemm_kernel *kern = find_kernel(name);
    if (!kern || !kernel_available(kern))
        return -1;
    atomic_store(&g_forced, kern);
    return 0;
}
