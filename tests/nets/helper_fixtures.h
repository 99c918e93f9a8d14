/* Reference fixtures of the networks (tests/data/nets, made by
 * tools/reference/make_fixtures.py): per variant a tiny model
 * <variant>.safetensors and its stage tensors <variant>_io.safetensors. */
#ifndef SC_TESTS_NETS_HELPER_FIXTURES_H
#define SC_TESTS_NETS_HELPER_FIXTURES_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "io/safetensors.h"
#include "nets/refine.h"
#include "nets/weights.h"

#define FX_MAX_VARIANTS 32

/* The folder holding the fixtures (SC_NETS_FIXTURES overrides it). */
const char *fx_dir(void);
/* Variant names found in fx_dir(), sorted; returns the count. */
int fx_variants(char names[][64], int max);
void fx_model_path(const char *variant, char *path, size_t size);
void fx_io_path(const char *variant, char *path, size_t size);

/* A whole tensor as float32 (malloc'd), with its shape; NULL if absent. */
float *fx_read(const sc_safetensors *st, const char *name, int64_t *shape, int *ndim,
               size_t *count);

/* fx_read of a tensor that must hold exactly `want` values: NULL (and the
 * reason on stderr) when it is absent or of another size. */
float *fx_read_n(const sc_safetensors *st, const char *name, size_t want);

/* max |a-b| (infinite when a value is NaN). */
double fx_max_abs_error(const float *a, const float *ref, size_t n);
/* max |a-b| / max |ref|. */
double fx_max_rel_error(const float *a, const float *ref, size_t n);

/* Label pixels (one plane) that differ from the reference's, split into those
 * where the reference's two best class scores (classes planes of ref_scores)
 * are within tie_margin x their max |value| (*ties) and the others (*flips). */
void fx_label_differences(const float *label, const float *ref_label, const float *ref_scores,
                          int classes, size_t plane, double tie_margin, int *ties, int *flips);

/* Copies a safetensors file with its JSON header edited: edit() gets the parsed
 * header (cJSON *) and may return extra bytes to append after the data. */
typedef void (*fx_edit_fn)(void *header, void *user);
int fx_rewrite(const char *src, const char *dst, fx_edit_fn edit, void *user,
               const void *append, size_t append_bytes);

/* fx_variants, failing the test (abort, with the folder) when there are none. */
int fx_variants_present(char names[][64], int max);
/* The variant's model, loaded; a load error fails the test (abort). */
struct sc_model *fx_load_model(const char *variant);

/* A malloc'd copy of t's values, their count in *n; *peak (when given) the
 * arena's peak above `from`, then the arena is released. For tests that run
 * a network part in a scratch arena and compare its outputs. */
float *fx_copy_and_release(sc_arena *arena, const sc_tensor *t, size_t from, size_t *peak,
                           size_t *n);

/* A refiner whose encoder layers take every branch of the precision rule
 * (sc_refine_load): widths 40, 80, 160, 200, 200 from 4 input channels, so
 * im2col, Winograd on 2x2 tiles and on 4x4 tiles. Its weights come from
 * `read` and are prepared; *store owns them (sc_weights_free). */
void fx_load_rule_refiner(sc_tensor_read_fn read, sc_refine_net *net, sc_refine_cfg *cfg,
                          sc_weights *store);

#endif
