#include "ops/conv_prepare.h"

#include <stdlib.h>
#include <string.h>

#include "core/huge_pages.h"
#include "ops/conv_plan.h"

size_t sc_conv_prepared_floats(const sc_conv *cv, int algorithm, int side)
{
    if (!cv || cv->groups != 1)
        return 0;
    if (algorithm == SC_CONV_WINOGRAD)
        return (size_t)sc_winograd_points(side, cv->kh) *
               sc_sgemm_packed_floats(cv->cout, cv->cin);
    return sc_sgemm_packed_floats(cv->cout, cv->cin * cv->kh * cv->kw);
}

static int prepare_winograd(const sc_conv *cv, int side, float *storage, sc_conv_prepared *out)
{
    const size_t plane = (size_t)cv->cout * (size_t)cv->cin;
    const int points = sc_winograd_points(side, cv->kh);
    float *u = SC_MALLOC_LARGE((size_t)points * plane * sizeof *u);
    if (!u)
        return -1;
    const size_t per_point = sc_sgemm_packed_floats(cv->cout, cv->cin);
    int rc = sc_winograd_filters(cv->weight, cv->cout, cv->cin, cv->kh, side, u);
    for (int p = 0; p < points && rc == 0; p++)
        rc = sc_sgemm_pack(cv->cout, cv->cin, u + (size_t)p * plane, cv->cin,
                           storage + (size_t)p * per_point, &out->points[p]);
    free(u);
    return rc;
}

int sc_conv_prepare(const sc_conv *cv, int algorithm, int side, float *storage,
                    sc_conv_prepared *out)
{
    memset(out, 0, sizeof *out);
    if (algorithm == SC_CONV_WINOGRAD &&
        (cv->kh != cv->kw || !sc_winograd_supports(side, cv->kh)))
        return -1;
    if (!storage || sc_conv_prepared_floats(cv, algorithm, side) == 0)
        return -1;
    if (algorithm == SC_CONV_WINOGRAD) {
        if (prepare_winograd(cv, side, storage, out) != 0)
            return -1;
        out->algorithm = SC_CONV_WINOGRAD;
        out->side = side;
        return 0;
    }
    const int depth = cv->cin * cv->kh * cv->kw;
    if (sc_sgemm_pack(cv->cout, depth, cv->weight, depth, storage, &out->gemm) != 0)
        return -1;
    out->algorithm = SC_CONV_IM2COL;
    return 0;
}
