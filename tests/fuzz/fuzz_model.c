/*
 * The model file: safetensors header, metadata checks, config JSON and the
 * building of both networks with every tensor's shape checked and the
 * batch-norms folded. sc_model_build would take the config and tensors from
 * memory, but it skips the safetensors parser, which is the first thing a
 * hostile file meets; the file is mmap'd, so the input goes through a memfd.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper_fuzz.h"
#include "skychange.h"

int fuzz_model_one(const uint8_t *data, size_t size)
{
    const char *path = fuzz_input_path(data, size);
    sc_model *model = (sc_model *)&model; /* must be reset on failure */
    sc_error err = {SC_OK, ""};
    sc_status s = sc_model_load(path, &model, &err);
    if (s == SC_OK) {
        /* The description is read by --version and -v. */
        if (!model || strlen(sc_model_describe(model)) == 0)
            abort();
        sc_model_free(model);
        return 0;
    }
    /* A refusal names the file and leaves nothing behind. (Names from the
     * header are quoted as stored, so the message may hold any byte.) */
    if (model != NULL || s != err.status || !strstr(err.msg, path)) {
        fprintf(stderr, "bad refusal: status %d, message '%s'\n", (int)s, err.msg);
        abort();
    }
    return 0;
}

#ifndef FUZZ_REPLAY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_model_one(data, size);
}

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

/* Where the top-level JSON object that starts at data[8] ends (one past its
 * closing brace), or 0. Braces inside strings do not count. */
static size_t json_object_end(const uint8_t *data, size_t size)
{
    if (size < 9 || data[8] != '{')
        return 0;
    int depth = 0, in_string = 0;
    for (size_t i = 8; i < size; i++) {
        uint8_t c = data[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = 0;
        } else if (c == '"') {
            in_string = 1;
        } else if (c == '{') {
            depth++;
        } else if (c == '}' && --depth == 0) {
            return i + 1;
        }
    }
    return 0;
}

/* The u64 header length in front of the JSON turns almost every mutation
 * that adds or removes a byte of the header into "length beyond the JSON",
 * so the config and the network builder behind it would rarely be reached.
 * Half of the mutants therefore get the length set to where the JSON object
 * now ends; the other half keep whatever length the mutation left, so the
 * length checks stay fuzzed too. */
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    size = LLVMFuzzerMutate(data, size, max_size);
    size_t end = json_object_end(data, size);
    if ((seed & 1) && end > 8) {
        uint64_t length = end - 8;
        for (int i = 0; i < 8; i++)
            data[i] = (uint8_t)(length >> (8 * i));
    }
    return size;
}
#endif
