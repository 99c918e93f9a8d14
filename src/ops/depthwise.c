/* The 3x3 depthwise convolution for the baseline instruction set, the check
 * of its arguments, and the choice of copy (ops/depthwise_copies.h). */
#include "ops/depthwise_copies.h"

#include "core/isa.h"

#define DEPTHWISE sc_depthwise3x3_plain
#include "ops/depthwise_body.h"

int sc_depthwise3x3_valid(const sc_conv *cv, const sc_tensor *in, const sc_tensor *out)
{
    if (!cv || !in || !out || !cv->weight || !in->data || !out->data || in->data == out->data)
        return 0;
    if (cv->kh != 3 || cv->kw != 3 || cv->pad != 1 || cv->dilation != 1 ||
        (cv->stride != 1 && cv->stride != 2) || cv->cin != cv->cout || cv->groups != cv->cin)
        return 0;
    return in->c == cv->cin && out->c == cv->cout &&
           out->h == sc_conv_out_size(in->h, 3, cv->stride, 1, 1) &&
           out->w == sc_conv_out_size(in->w, 3, cv->stride, 1, 1) && out->h > 0 && out->w > 0;
}

int sc_depthwise3x3(const sc_conv *cv, const sc_tensor *in, sc_tensor *out, int relu6)
{
    if (!sc_depthwise3x3_valid(cv, in, out))
        return -1;
    sc_depthwise_fn *copy =
        SC_ISA_PICK(sc_depthwise3x3_plain, sc_depthwise3x3_avx2, sc_depthwise3x3_avx512);
    copy(cv, in, out, relu6);
    return 0;
}
