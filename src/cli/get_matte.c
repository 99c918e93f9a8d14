#include <stdio.h>

#include "cli/report.h"
#include "cli/run.h"

sc_status cli_get_matte(cli_context *ctx, const char *picture, const sc_image *img,
                        const char *matte_path, sc_matte *out, int *model_error, sc_error *err)
{
    *model_error = 0;
    if (matte_path) {
        sc_status s = sc_matte_read(matte_path, out, err);
        if (s != SC_OK)
            return s;
        if (out->width != img->width || out->height != img->height) {
            int mw = out->width, mh = out->height;
            sc_matte_free(out);
            return sc_error_set(err, SC_ERR_INVALID_ARG, "%s: the matte is %dx%d but %s is %dx%d",
                                matte_path, mw, mh, picture, img->width, img->height);
        }
        return SC_OK;
    }
    sc_model *model = cli_context_model(ctx);
    if (!model) {
        *model_error = 1;
        return sc_error_set(err, SC_ERR_MODEL, "%s", ctx->model_path);
    }
    sc_status s = sc_matte_compute(model, img, &ctx->options, out, err);
    if (s == SC_ERR_MODEL)
        *model_error = 1;
    return s;
}
