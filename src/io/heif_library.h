/* libheif, loaded on first use. Linked at build time, its codecs' libraries
 * (libde265, x265, libaom, dav1d) load and initialise in every process before
 * main, HEIF or not: 3.7 ms, paid twice by the CLI, which restarts once for
 * its OpenMP wait policy. So the library is opened with dlopen when a HEIF
 * picture is first read or written, and initialised once (heif_init, which is
 * not safe to race). Only its header is needed to build. */
#ifndef SC_IO_HEIF_LIBRARY_H
#define SC_IO_HEIF_LIBRARY_H

#include <libheif/heif.h>

/* The libheif calls made here: X(name) for heif_<name>. */
#define SC_HEIF_CALLS(X)                                                                     \
    X(init) X(have_encoder_for_format) X(context_alloc) X(context_free)                     \
    X(context_read_from_memory_without_copy) X(context_get_primary_image_handle)             \
    X(image_handle_release) X(image_handle_get_width) X(image_handle_get_height)             \
    X(image_handle_has_alpha_channel) X(image_handle_get_luma_bits_per_pixel)                \
    X(image_handle_get_list_of_metadata_block_IDs) X(image_handle_get_metadata_size)         \
    X(image_handle_get_metadata) X(image_handle_get_color_profile_type)                      \
    X(image_handle_get_raw_color_profile_size) X(image_handle_get_raw_color_profile)         \
    X(decode_image) X(image_release) X(image_get_plane_readonly) X(image_get_plane)          \
    X(image_get_width) X(image_get_height) X(image_create) X(image_add_plane)                \
    X(image_set_raw_color_profile) X(context_get_encoder_for_format)                         \
    X(encoder_set_lossy_quality) X(encoder_set_parameter_string) X(encoder_release)          \
    X(context_encode_image) X(context_add_exif_metadata) X(context_write)

typedef struct sc_heif_api {
#define SC_HEIF_MEMBER(name) __typeof__(heif_##name) *name;
    SC_HEIF_CALLS(SC_HEIF_MEMBER)
#undef SC_HEIF_MEMBER
} sc_heif_api;

/* libheif's calls, the library opened and initialised once for the process;
 * NULL when it cannot be loaded (*why, if given, then says why: dlerror's
 * text, or the missing call). */
const sc_heif_api *sc_heif(const char **why);

#endif
