#include "core/error.h"
#include "skychange.h"

#include <math.h>

sc_options sc_options_default(void)
{
    sc_options opt = {0};
    opt.sky_scale = 1.f;
    return opt;
}

int sc_options_look_on(const sc_options *opt)
{
    return opt->harmonize != 0.f || opt->sky_scale != 1.f || opt->sky_offset_x != 0.f ||
           opt->sky_offset_y != 0.f || opt->flip_sky || opt->sky_plate ||
           opt->edge_shift != 0.f || opt->edge_fade != 0.f || opt->sky_brightness != 0.f ||
           opt->sky_temperature != 0.f;
}

static int outside(float v, float lo, float hi)
{
    return !isfinite(v) || v < lo || v > hi;
}

sc_status sc_options_check(const sc_options *opt, sc_error *err)
{
    static const struct {
        const char *name;
        size_t offset;
        float lo, hi;
    } ranges[] = {
        {"harmonize", offsetof(sc_options, harmonize), 0.f, 1.f},
        {"sky_scale", offsetof(sc_options, sky_scale), 1.f, 8.f},
        {"sky_offset_x", offsetof(sc_options, sky_offset_x), -1.f, 1.f},
        {"sky_offset_y", offsetof(sc_options, sky_offset_y), -1.f, 1.f},
        {"edge_shift", offsetof(sc_options, edge_shift), -500.f, 500.f},
        {"edge_fade", offsetof(sc_options, edge_fade), 0.f, 500.f},
        {"sky_brightness", offsetof(sc_options, sky_brightness), -1.f, 1.f},
        {"sky_temperature", offsetof(sc_options, sky_temperature), -3000.f, 3000.f},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof *ranges; i++) {
        float v = *(const float *)((const char *)opt + ranges[i].offset);
        if (outside(v, ranges[i].lo, ranges[i].hi))
            return sc_fail(err, SC_ERR_INVALID_ARG, "options: %s = %g is outside %g..%g",
                           ranges[i].name, (double)v, (double)ranges[i].lo,
                           (double)ranges[i].hi);
    }
    if (opt->compat && sc_options_look_on(opt))
        return sc_fail(err, SC_ERR_INVALID_ARG,
                       "options: compat reproduces the original, which has no look controls");
    return SC_OK;
}
