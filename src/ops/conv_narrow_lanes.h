/*
 * The narrow layers' row loops on vectors of NARROW_LANES outputs (internal to
 * ops/conv_narrow_avx2.c, which includes it once for AVX2+FMA on 8 lanes and
 * once for AVX-512 on 16). Each output value is one chain of fused
 * multiply-adds from its bias over the input channels and taps in order,
 * whatever the lane count, so both give the same bits. Defined before, and
 * undefined at the end: NARROW_VEC, NARROW_LANES, NARROW_TARGET (the function
 * attribute), NARROW_NAME(f) (a name per instantiation) and NARROW_OP(op) (the
 * intrinsic `op` on NARROW_VEC). Used from the includer: ACCUMULATORS,
 * narrow_input, ring_width, ring_rows, slot_floats and pack_weights.
 */

/* Input row iy of every channel into its ring slot, zero-padded; rows above
 * or below the picture read 0. Compiled per instruction set with the loops,
 * so that the unpooling's selects run on wide vectors. */
NARROW_TARGET static void NARROW_NAME(fill_slot)(const sc_conv *cv, const narrow_input *in, int iy, float *rings,
                      size_t ring_floats, size_t width)
{
    const int span = ring_rows(cv);
    const size_t slot = (size_t)(((iy % span) + span) % span) * width + (size_t)cv->pad;
    const size_t in_plane = (size_t)in->h * (size_t)in->w;
    for (int c = 0; c < cv->cin; c++) {
        float *row = rings + (size_t)c * ring_floats + slot;
        if (iy < 0 || iy >= in->h)
            memset(row, 0, (size_t)in->w * sizeof *row);
        else if (in->where)
            sc_unpool_row(in->data, in->where, c, iy, in->w, row);
        else
            memcpy(row, in->data->data + (size_t)c * in_plane + (size_t)iy * (size_t)in->w,
                   (size_t)in->w * sizeof *row);
    }
}

static inline __attribute__((always_inline)) NARROW_TARGET NARROW_VEC
NARROW_NAME(tap)(const int outs, int k, const float *row, const float *w, NARROW_VEC acc)
{
    return NARROW_OP(fmadd_ps)(NARROW_OP(loadu_ps)(row + (k / outs) * NARROW_LANES), NARROW_OP(set1_ps)(w[k % outs]),
                        acc);
}

/* act(v) into dst[0 .. n-1] (n > 0), lane by lane as the plain loops give it:
 * max(0, v) keeps a NaN, as v < 0 ? 0 : v does. */
static inline __attribute__((always_inline)) NARROW_TARGET void
NARROW_NAME(store)(float *dst, int n, NARROW_VEC v, int act)
{
    if (act == SC_ACT_RELU || act == SC_ACT_RELU6)
        v = NARROW_OP(max_ps)(NARROW_OP(set1_ps)(0.0f), v);
    if (act == SC_ACT_RELU6)
        v = NARROW_OP(min_ps)(NARROW_OP(set1_ps)(6.0f), v);
    if (n >= NARROW_LANES) {
        NARROW_OP(storeu_ps)(dst, v);
        return;
    }
    float lane[NARROW_LANES];
    NARROW_OP(storeu_ps)(lane, v);
    memcpy(dst, lane, (size_t)n * sizeof *dst);
}

/* Output row y of every output channel, (8 / outs) * lanes pixels a step.
 * ring: the input channels' rings, `ring_floats` apart, filter row i in slot
 * slots[i]. A step that reaches past the row is computed whole (the rings are
 * wide enough) and only its pixels inside the row are kept, so that a pixel's
 * value never depends on where it lies in the row. */
static inline __attribute__((always_inline)) NARROW_TARGET void
NARROW_NAME(output_row)(const int outs, const sc_conv *cv, const float *rings, size_t ring_floats,
           const size_t *slots, const float *packed, int first, sc_tensor *out, int y, int act)
{
    const size_t out_plane = (size_t)out->h * (size_t)out->w;
    const int step = ACCUMULATORS / outs * NARROW_LANES;
    const int dil = cv->dilation;
    float *row0 = out->data + (size_t)y * (size_t)out->w;
    for (int x = 0; x < out->w; x += step) {
        NARROW_VEC bias[SC_CONV_NARROW_GROUP];
        for (int o = 0; o < outs; o++)
            bias[o] = NARROW_OP(set1_ps)(first + o < cv->cout && cv->bias ? cv->bias[first + o] : 0.0f);
        NARROW_VEC a0 = bias[0], a1 = bias[1 % outs], a2 = bias[2 % outs], a3 = bias[3 % outs];
        NARROW_VEC a4 = bias[4 % outs], a5 = bias[5 % outs], a6 = bias[6 % outs],
               a7 = bias[7 % outs];
        const float *w = packed;
        for (int c = 0; c < cv->cin; c++) {
            const float *ring = rings + (size_t)c * ring_floats + x;
            for (int i = 0; i < cv->kh; i++) {
                const float *row = ring + slots[i];
                for (int j = 0; j < cv->kw; j++, row += dil, w += outs) {
                    a0 = NARROW_NAME(tap)(outs, 0, row, w, a0);
                    a1 = NARROW_NAME(tap)(outs, 1, row, w, a1);
                    a2 = NARROW_NAME(tap)(outs, 2, row, w, a2);
                    a3 = NARROW_NAME(tap)(outs, 3, row, w, a3);
                    a4 = NARROW_NAME(tap)(outs, 4, row, w, a4);
                    a5 = NARROW_NAME(tap)(outs, 5, row, w, a5);
                    a6 = NARROW_NAME(tap)(outs, 6, row, w, a6);
                    a7 = NARROW_NAME(tap)(outs, 7, row, w, a7);
                }
            }
        }
        const NARROW_VEC sums[ACCUMULATORS] = {a0, a1, a2, a3, a4, a5, a6, a7};
        for (int k = 0; k < ACCUMULATORS; k++) {
            const int o = first + k % outs, x0 = x + k / outs * NARROW_LANES;
            if (o < cv->cout && x0 < out->w)
                NARROW_NAME(store)(row0 + (size_t)o * out_plane + x0, out->w - x0, sums[k], act);
        }
    }
}

/* Each input row is copied once per band into a ring of the rows the filter
 * spans, rather than once per filter row that reads it. */
NARROW_TARGET static void NARROW_NAME(rows_for)(const int channels, const sc_conv *cv, const narrow_input *in, sc_tensor *out,
                          int y0, int y1, int act, float *scratch)
{
    /* Output channels a pass over the ring computes; more are done in groups. */
    const int outs = channels < SC_CONV_NARROW_GROUP ? channels : SC_CONV_NARROW_GROUP;
    const size_t group_floats = (size_t)cv->cin * (size_t)(cv->kh * cv->kw) * (size_t)outs;
    const size_t width = ring_width(cv, in->w);
    const int span = ring_rows(cv);
    const size_t ring_floats = (size_t)span * width;
    size_t *slots = (size_t *)scratch;
    float *packed = scratch + slot_floats(cv);
    float *rings = packed + sc_conv_narrow_avx2_weight_floats(cv);
    pack_weights(cv, channels, outs, packed);
    /* The padding around each row reads 0; only the rows themselves are copied in. */
    memset(rings, 0, (size_t)cv->cin * ring_floats * sizeof *rings);
    for (int r = 0; r + 1 < span; r++)
        NARROW_NAME(fill_slot)(cv, in, y0 - cv->pad + r, rings, ring_floats, width);
    for (int y = y0; y < y1; y++) {
        const int top = y - cv->pad;
        NARROW_NAME(fill_slot)(cv, in, top + span - 1, rings, ring_floats, width);
        for (int i = 0; i < cv->kh; i++) {
            const int iy = top + i * cv->dilation;
            slots[i] = (size_t)(((iy % span) + span) % span) * width;
        }
        for (int first = 0; first < channels; first += outs) {
            const float *w = packed + (size_t)(first / outs) * group_floats;
            switch (outs) {
            case 1: NARROW_NAME(output_row)(1, cv, rings, ring_floats, slots, w, first, out, y, act); break;
            case 2: NARROW_NAME(output_row)(2, cv, rings, ring_floats, slots, w, first, out, y, act); break;
            case 4: NARROW_NAME(output_row)(4, cv, rings, ring_floats, slots, w, first, out, y, act); break;
            default:
                NARROW_NAME(output_row)(SC_CONV_NARROW_GROUP, cv, rings, ring_floats, slots, w, first,
                                        out, y, act);
                break;
            }
        }
    }
}

#undef NARROW_VEC
#undef NARROW_LANES
#undef NARROW_TARGET
#undef NARROW_NAME
#undef NARROW_OP
