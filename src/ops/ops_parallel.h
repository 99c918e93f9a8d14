/* Shared threshold for the OpenMP loops of the light ops (internal to ops). */
#ifndef SC_OPS_OPS_PARALLEL_H
#define SC_OPS_OPS_PARALLEL_H

/* Below this many values a loop runs on one thread: waking a team costs more
 * than it saves. Each value is computed alone, so the split never changes a
 * result. */
#define SC_OPS_PARALLEL_MIN 65536L

#endif
