#include <stdio.h>

#include "cli/report.h"
#include "cli/run.h"

void cli_timings_add(sc_timings *sum, const sc_timings *t)
{
    sum->decode += t->decode;
    sum->coarse += t->coarse;
    sum->refine += t->refine;
    sum->matte_other += t->matte_other;
    sum->blend += t->blend;
    sum->encode += t->encode;
}

void cli_print_timings(const char *label, const sc_timings *t)
{
    double total = t->decode + t->coarse + t->refine + t->matte_other + t->blend + t->encode;
    cli_error(NULL,
              "timings%s%s: decode %.3f s, coarse %.3f s, refine %.3f s, matte other %.3f s, "
              "blend %.3f s, encode %.3f s, total %.3f s",
              label ? " " : "", label ? label : "", t->decode, t->coarse, t->refine,
              t->matte_other, t->blend, t->encode, total);
}
