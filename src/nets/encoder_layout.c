/* The features an encoder config implies, one at a time, and the memory its
 * forward pass needs (declared in nets/config.h). */
#include "nets/config.h"

int sc_encoder_feature_count(const sc_encoder_cfg *e)
{
    int n = 1;
    for (int i = 0; i < e->row_count; i++)
        n += e->rows[i].repeats;
    return n;
}

void sc_encoder_feature_at(const sc_encoder_cfg *e, int index, sc_encoder_feature *f)
{
    sc_encoder_feature cur = {3, e->stem_channels, 0, 2, 2};
    for (int i = 0; i < e->row_count && index > 0; i++) {
        const sc_encoder_row *r = &e->rows[i];
        for (int k = 0; k < r->repeats && index > 0; k++, index--) {
            cur.cin = cur.cout;
            cur.cout = r->channels;
            cur.expand = r->expand;
            cur.stride = k == 0 ? r->stride : 1;
            /* Saturates: the taps' check refuses anything this deep anyway. */
            if (cur.stride == 2 && cur.scale < (1 << 20))
                cur.scale *= 2;
        }
    }
    *f = cur;
}

long sc_encoder_peak_width(const sc_encoder_cfg *e)
{
    /* Every map after the picture is at 1/2 resolution or less, so counting
     * each channel as a 1/2-resolution one bounds the real figure. */
    long taps = 0, peak = 0;
    for (int i = 0, k = 0; e->present && k < e->tap_count; i++) {
        sc_encoder_feature f;
        sc_encoder_feature_at(e, i, &f);
        const long in = i == 0 ? 4L * f.cin : f.cin; /* the picture: full resolution */
        const long hidden = f.expand > 1 ? (long)f.cin * f.expand : f.cin;
        const long now = taps + in + 2 * hidden + f.cout;
        if (now > peak)
            peak = now;
        if (i == e->taps[k]) {
            taps += f.cout;
            k++;
        }
    }
    return peak;
}
