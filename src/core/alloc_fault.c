/*
 * The counter behind alloc_fault.h. Two ways to choose the allocation that fails:
 *   SC_FAIL_ALLOC_AT=N        the Nth allocation of the process (0: none, count only);
 *   SC_FAIL_ALLOC_SITE=S[:K]  the Kth allocation (default the first) made at the Sth
 *                             call site reached, sites numbered in the order reached.
 * With either set, one line on stderr at exit says how many allocations and sites
 * were counted and which site failed, so a test can go through every site of a run.
 */
#include "core/alloc_fault.h"

#ifdef SC_ALLOC_FAULTS

#include <cjson/cJSON.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

enum { MAX_SITES = 4096 };

typedef struct site_count {
    sc_alloc_site at;
    unsigned long hits;
} site_count;

static struct {
    int active; /* a setting is given: count */
    pthread_mutex_t lock;
    unsigned long allocations, fail_at;          /* fail_at 0: not by number */
    size_t site_count, fail_site, fail_site_hit; /* fail_site 0: not by site */
    site_count sites[MAX_SITES];
    sc_alloc_site failed;
} faults = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void report(void)
{
    fprintf(stderr, "alloc-faults: %lu allocations at %zu sites counted; failed: ",
            faults.allocations, faults.site_count);
    if (faults.failed.file)
        fprintf(stderr, "%s:%d\n", faults.failed.file, faults.failed.line);
    else
        fputs("none\n", stderr);
}

/* The site's number, from 1, in the order first reached (0 when the table is full). */
static size_t site_number(sc_alloc_site at, unsigned long *hits)
{
    for (size_t i = 0; i < faults.site_count; i++) {
        site_count *s = &faults.sites[i];
        if (s->at.line == at.line && (s->at.file == at.file || strcmp(s->at.file, at.file) == 0)) {
            *hits = ++s->hits;
            return i + 1;
        }
    }
    if (faults.site_count == MAX_SITES)
        return 0;
    faults.sites[faults.site_count] = (site_count){at, 1};
    *hits = 1;
    return ++faults.site_count;
}

/* 1 when this allocation is the one to fail (errno set as malloc would). */
static int fails_now(sc_alloc_site at)
{
    if (!faults.active)
        return 0;
    pthread_mutex_lock(&faults.lock);
    unsigned long n = ++faults.allocations, hits;
    size_t site = site_number(at, &hits);
    int fail = (faults.fail_at && n == faults.fail_at) ||
               (faults.fail_site && site == faults.fail_site && hits == faults.fail_site_hit);
    if (fail)
        faults.failed = at;
    pthread_mutex_unlock(&faults.lock);
    if (fail)
        errno = ENOMEM;
    return fail;
}

/* cJSON parses the model's header and config; its allocations are one site each
 * place inside cJSON that calls the hook, told apart by return address. */
static void *cjson_malloc(size_t size)
{
    sc_alloc_site at = {"cJSON", (int)((uintptr_t)__builtin_return_address(0) & 0x7fffffff)};
    return fails_now(at) ? NULL : malloc(size);
}

static void bad_setting(const char *name, const char *value)
{
    fprintf(stderr, "alloc-faults: %s=%s is not valid\n", name, value);
    exit(2);
}

/* Reads the settings before main(), while the process has a single thread. */
__attribute__((constructor)) static void read_settings(void)
{
    const char *at = getenv("SC_FAIL_ALLOC_AT"), *site = getenv("SC_FAIL_ALLOC_SITE");
    if ((!at || !*at) && (!site || !*site))
        return;
    char *end;
    if (at && *at) {
        faults.fail_at = strtoul(at, &end, 10);
        if (*end)
            bad_setting("SC_FAIL_ALLOC_AT", at);
    }
    if (site && *site) {
        faults.fail_site = strtoul(site, &end, 10);
        faults.fail_site_hit = *end == ':' ? strtoul(end + 1, &end, 10) : 1;
        if (*end || faults.fail_site_hit == 0)
            bad_setting("SC_FAIL_ALLOC_SITE", site);
    }
    faults.active = 1;
    atexit(report);
    cJSON_InitHooks(&(cJSON_Hooks){.malloc_fn = cjson_malloc, .free_fn = free});
}

void *sc_fault_malloc(sc_alloc_site at, size_t size)
{
    return fails_now(at) ? NULL : malloc(size);
}

void *sc_fault_calloc(sc_alloc_site at, size_t count, size_t size)
{
    return fails_now(at) ? NULL : calloc(count, size);
}

void *sc_fault_realloc(sc_alloc_site at, void *p, size_t size)
{
    return fails_now(at) ? NULL : realloc(p, size);
}

void *sc_fault_aligned_alloc(sc_alloc_site at, size_t alignment, size_t size)
{
    return fails_now(at) ? NULL : aligned_alloc(alignment, size);
}

char *sc_fault_strdup(sc_alloc_site at, const char *s)
{
    return fails_now(at) ? NULL : strdup(s);
}

char *sc_fault_strndup(sc_alloc_site at, const char *s, size_t n)
{
    return fails_now(at) ? NULL : strndup(s, n);
}

void *sc_fault_mmap(sc_alloc_site at, void *addr, size_t length, int prot, int flags, int fd,
                    off_t offset)
{
    return fails_now(at) ? MAP_FAILED : mmap(addr, length, prot, flags, fd, offset);
}

#endif
