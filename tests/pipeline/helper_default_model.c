#include <stdio.h>

#include "pipeline/default_model.h"

#define MODEL SC_SOURCE_DIR "/models/skychange-default.safetensors"

sc_model *default_model;

int load_default_model(void **state)
{
    (void)state;
    sc_error err = {0};
    if (sc_model_load(MODEL, &default_model, &err) != SC_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    return 0;
}

int free_default_model(void **state)
{
    (void)state;
    sc_model_free(default_model);
    default_model = NULL;
    return 0;
}
