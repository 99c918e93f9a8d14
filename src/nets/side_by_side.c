#include "nets/side_by_side.h"

#include <omp.h>

#include "core/parallel.h"
#include "core/reproducible.h"

int sc_side_threads(int threads, int n, int index)
{
    const int share = threads / n + (index < threads % n);
    return share > 0 ? share : 1;
}

int sc_side_by_side(sc_net_ctx *ctx, int n, const size_t *bytes, sc_side_job *job, void *arg)
{
    sc_arena *a = ctx->arena;
    if (ctx->profile || sc_failed(ctx) || n < 1 || n > SC_SIDE_BY_SIDE_MAX || !a->base)
        return 0;
    size_t offset[SC_SIDE_BY_SIDE_MAX + 1];
    offset[0] = sc_arena_align_up(sc_arena_mark(a));
    for (int j = 0; j < n; j++) {
        size_t part = bytes[j];
        if (part == 0 && j == n - 1 && offset[j] < a->capacity)
            part = a->capacity - offset[j];
        part = part / SC_ARENA_ALIGN * SC_ARENA_ALIGN;
        if (part == 0 || part > a->capacity || offset[j] > a->capacity - part)
            return 0;
        offset[j + 1] = offset[j] + part;
    }
    sc_arena part[SC_SIDE_BY_SIDE_MAX];
    sc_net_ctx job_ctx[SC_SIDE_BY_SIDE_MAX];
    sc_error job_err[SC_SIDE_BY_SIDE_MAX];
    for (int j = 0; j < n; j++) {
        part[j] = (sc_arena){a->base + offset[j], offset[j + 1] - offset[j], 0, 0, 0};
        job_err[j] = (sc_error){SC_OK, ""};
        job_ctx[j] = *ctx;
        job_ctx[j].arena = &part[j];
        job_ctx[j].err = &job_err[j];
    }
    const int threads = sc_get_threads(), mode = sc_reproducible();
#pragma omp parallel num_threads(n < threads ? n : threads)
    for (int j = omp_get_thread_num(); j < n; j += omp_get_num_threads()) {
        const int share = sc_side_threads(threads, n, j);
        /* The job's own team must be allowed to open inside this one. The
         * setting belongs to this thread's task and ends with the region. */
        if (share > 1 && omp_get_max_active_levels() <= omp_get_active_level())
            omp_set_max_active_levels(omp_get_active_level() + 1);
        const int caller_threads = sc_set_threads(share);
        const int caller_mode = sc_set_reproducible(mode);
        job(&job_ctx[j], j, arg);
        sc_set_reproducible(caller_mode);
        sc_set_threads(caller_threads);
    }
    for (int j = 0; j < n; j++)
        if (job_ctx[j].status == SC_ERR_NO_MEMORY) /* its part was too small */
            return 0;
    for (int j = 0; j < n; j++)
        if (offset[j] + part[j].peak > a->peak)
            a->peak = offset[j] + part[j].peak;
    a->used = offset[n];
    for (int j = 0; j < n; j++)
        if (job_ctx[j].status != SC_OK) {
            if (ctx->err)
                *ctx->err = job_err[j];
            ctx->status = job_ctx[j].status;
            break;
        }
    return 1;
}
