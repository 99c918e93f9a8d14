/* The project's default model, loaded once per test group (cmocka group setup). */
#ifndef SC_TESTS_DEFAULT_MODEL_H
#define SC_TESTS_DEFAULT_MODEL_H

#include "skychange.h"

extern sc_model *default_model;

int load_default_model(void **state);
int free_default_model(void **state);

#endif
