#include "ops/conv_prepare.h"

#include <stdlib.h>
#include <string.h>

#include "core/page_hints.h"
#include "ops/conv_plan.h"
#include "ops/gemm.h"

size_t sc_conv_prepared_floats(const sc_conv *cv, int algorithm, int side)
{
    if (!cv || cv->groups != 1)
        return 0;
    if (algorithm == SC_CONV_WINOGRAD)
        return (size_t)sc_winograd_points(side, cv->kh) *
               sc_sgemm_packed_floats(cv->cout, cv->cin);
    return sc_sgemm_packed_floats(cv->cout, cv->cin * cv->kh * cv->kw);
}

/* Output channels transformed at a time: the transformed filters of a chunk
 * (up to 64 points x 48 x cin floats, 6 MB at 512 inputs) are packed into
 * place before the next chunk, so that a layer's transform never takes a
 * second buffer the size of its packed filters (up to 67 MB, fresh pages each). */
#define PREPARE_ROWS (2 * SC_SGEMM_ROWS_ALIGN)

static int prepare_winograd(const sc_conv *cv, int side, float *storage, sc_conv_prepared *out)
{
    const int points = sc_winograd_points(side, cv->kh);
    const int chunk = cv->cout < PREPARE_ROWS ? cv->cout : PREPARE_ROWS;
    const size_t taps = (size_t)cv->cin * (size_t)cv->kh * (size_t)cv->kw;
    float *u = SC_MALLOC_LARGE((size_t)points * (size_t)chunk * (size_t)cv->cin * sizeof *u);
    if (!u)
        return -1;
    const size_t per_point = sc_sgemm_packed_floats(cv->cout, cv->cin);
    int rc = 0;
    for (int o0 = 0; o0 < cv->cout && rc == 0; o0 += chunk) {
        const int rows = cv->cout - o0 < chunk ? cv->cout - o0 : chunk;
        const size_t plane = (size_t)rows * (size_t)cv->cin;
        rc = sc_winograd_filters(cv->weight + (size_t)o0 * taps, rows, cv->cin, cv->kh, side, u);
        for (int p = 0; p < points && rc == 0; p++)
            rc = sc_sgemm_pack_rows(cv->cout, cv->cin, o0, rows, u + (size_t)p * plane, cv->cin,
                                    storage + (size_t)p * per_point, &out->points[p]);
    }
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
