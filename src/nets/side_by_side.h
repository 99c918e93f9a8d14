/*
 * Parts of a forward pass that do not depend on each other, run at once: the
 * coarse net's plain and mirrored views, an HRNet module's branches. Their
 * layers are small (maps of 8 to 160 px): one team of all the threads spends
 * much of each layer waking and joining, and on many cores a layer has too
 * little work to share that widely, while separate teams, each on a part of
 * the threads and of the arena, keep every core busy.
 */
#ifndef SC_NETS_SIDE_BY_SIDE_H
#define SC_NETS_SIDE_BY_SIDE_H

#include <stddef.h>

#include "nets/netctx.h"

#define SC_SIDE_BY_SIDE_MAX 4

/* One job: runs on ctx (its own arena part and error) and reads only what
 * every job may read. */
typedef void sc_side_job(sc_net_ctx *ctx, int index, void *arg);

/* Threads job `index` of n gets out of the caller's `threads`: an even share,
 * the first jobs taking the odd ones; at least 1. */
int sc_side_threads(int threads, int n, int index);

/*
 * Runs job(ctx_j, j, arg) for j < n (at most SC_SIDE_BY_SIDE_MAX) at once, job
 * j on sc_side_threads(threads, n, j) threads and in an arena part of bytes[j]
 * from ctx's first free block on (the last job, where its bytes are 0: all the
 * arena above the others). A job's values must depend neither on its thread
 * count nor on where its memory lies, so the results are the bits the jobs
 * give one after the other.
 * Returns 1 when they ran: the parts are then allocated in ctx's arena (what
 * the jobs made stays valid until the caller resets it below them), and ctx's
 * status is the first failed job's. Returns 0, with the arena as it was, when
 * they did not: a profile is being taken, the arena lacks room for the parts,
 * or a job ran out of memory in its part; the caller then runs them in turn.
 */
int sc_side_by_side(sc_net_ctx *ctx, int n, const size_t *bytes, sc_side_job *job, void *arg);

#endif
