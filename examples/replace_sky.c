/* Puts the sky of one photo into another with libskychange:
 *   replace_sky SCENE SKY OUTPUT   (the default model, or $SKYCHANGE_MODEL) */
#include <stdio.h>
#include <skychange.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s SCENE SKY OUTPUT\n", argv[0]);
        return 2;
    }
    char model_path[4096];
    sc_error err = {0};
    sc_model *model = NULL;
    sc_image scene = {0}, sky = {0}, out = {0};
    sc_matte scene_matte = {0}, sky_matte = {0};
    sc_options opt = sc_options_default(); /* all cores, default mode */
    sc_status s = sc_default_model_path(model_path, sizeof model_path, &err);
    if (s == SC_OK) s = sc_model_load(model_path, &model, &err);
    if (s == SC_OK) s = sc_image_read(argv[1], &scene, &err);
    if (s == SC_OK) s = sc_image_read(argv[2], &sky, &err);
    if (s == SC_OK) s = sc_matte_compute(model, &scene, &opt, &scene_matte, &err);
    if (s == SC_OK) s = sc_matte_compute(model, &sky, &opt, &sky_matte, &err);
    if (s == SC_OK) s = sc_replace_sky(&scene, &scene_matte, &sky, &sky_matte, &opt, &out, &err);
    if (s == SC_OK || s == SC_ERR_SCENE_NO_SKY) s = sc_image_write(argv[3], &out, 92, &err);
    if (s != SC_OK) fprintf(stderr, "replace_sky: %s\n", err.msg);
    sc_image_free(&out), sc_image_free(&sky), sc_image_free(&scene);
    sc_matte_free(&sky_matte), sc_matte_free(&scene_matte);
    sc_model_free(model);
    return s == SC_OK ? 0 : 1;
}
