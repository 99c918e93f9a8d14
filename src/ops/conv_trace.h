/*
 * Where the time of one sc_conv2d goes, for benchmarks (internal to ops): how
 * long each work item took and on which worker, so that a benchmark can show
 * each worker's busy share and replay the schedule for more cores than the
 * machine has. Costs two clock reads per item while a trace is set.
 */
#ifndef SC_OPS_CONV_TRACE_H
#define SC_OPS_CONV_TRACE_H

#define SC_CONV_TRACE_WORKERS 64

typedef struct sc_conv_trace {
    long capacity;        /* entries of item_seconds */
    double *item_seconds; /* per work item, in item order (items past capacity not kept) */
    long items;           /* work items of the last call, both phases */
    long first_phase;     /* of which the first ones, before a barrier (a shared
                             Winograd input transform), or 0 */
    int workers;          /* workers of the last call */
    double busy[SC_CONV_TRACE_WORKERS]; /* seconds each worker spent in items */
    double wall;          /* seconds of the parallel region */
    int plan_workers;     /* set by the caller: cut the layer as for this many
                             workers (sc_conv_plan_for_workers) whatever the
                             call's thread count, to replay it for them; 0: the
                             call's */
} sc_conv_trace;

/* Makes sc_conv2d calls on this thread fill *trace (NULL: stop). */
void sc_conv_trace_set(sc_conv_trace *trace);

#endif
