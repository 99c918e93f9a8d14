/*
 * Shared by the libFuzzer harnesses (tests/fuzz/fuzz_*.c) and the replay test
 * (tests/fuzz/test_fuzz_replay.c), so that a corpus file replayed under the
 * normal build goes through exactly the calls the fuzzer made.
 */
#ifndef SC_TESTS_FUZZ_HELPER_FUZZ_H
#define SC_TESTS_FUZZ_HELPER_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Pictures stating more pixels than this are skipped by the picture and matte
 * harnesses. The library's own limit (SC_MAX_PIXELS, 100 MP) is checked by
 * tests/io; a decode that large takes seconds under the sanitizers and would
 * drown the search in timeouts that only say "big pictures are slow". */
#define FUZZ_MAX_PIXELS (1024 * 1024)

/* A path whose file holds exactly data[0..size): the bytes go into one memfd
 * per process, named through /proc/self/fd, for the parsers that take a path.
 * Nothing touches the disk and nothing is left behind when a run is killed.
 * Aborts (a harness failure, not a finding) if the memfd cannot be written. */
const char *fuzz_input_path(const uint8_t *data, size_t size);

/* 1 when the picture in data states more than FUZZ_MAX_PIXELS pixels (as far
 * as its header says; unknown formats are not skipped). */
int fuzz_picture_too_big(const uint8_t *data, size_t size);

/* The CLI's parsers report every rejected input on stderr: at thousands of
 * inputs a second that costs most of the run and buries the fuzzer's own
 * output. Between these calls stdio's stderr points to /dev/null (unless
 * FUZZ_VERBOSE is set). The sanitizers write to descriptor 2 and libFuzzer
 * to the stream it saved at start-up, so findings are still reported. */
void fuzz_quiet_begin(void);
void fuzz_quiet_end(void);

/* The entry points, one per harness. Each returns 0; a broken invariant aborts. */
int fuzz_model_one(const uint8_t *data, size_t size);
int fuzz_image_one(const uint8_t *data, size_t size);
int fuzz_matte_one(const uint8_t *data, size_t size);
int fuzz_pairs_one(const uint8_t *data, size_t size);
int fuzz_args_one(const uint8_t *data, size_t size);

#endif
