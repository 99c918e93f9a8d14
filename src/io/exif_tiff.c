#include "io/exif_tiff.h"

#include <stdlib.h>
#include <string.h>

static const uint8_t k_exif_header[6] = {'E', 'x', 'i', 'f', 0, 0};

ExifData *sc_exif_load_tiff(const uint8_t *tiff, size_t size, ExifMem *mem)
{
    if (size > 0xffffffffu - sizeof k_exif_header)
        size = 0;
    uint8_t *payload = malloc(sizeof k_exif_header + size);
    ExifData *exif = payload ? exif_data_new_mem(mem) : NULL;
    if (!exif) {
        free(payload);
        return NULL;
    }
    memcpy(payload, k_exif_header, sizeof k_exif_header);
    if (size)
        memcpy(payload + sizeof k_exif_header, tiff, size);
    /* Unknown tags and maker notes are kept too. */
    exif_data_unset_option(exif, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
    exif_data_unset_option(exif, EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS);
    exif_data_set_option(exif, EXIF_DATA_OPTION_DONT_CHANGE_MAKER_NOTE);
    exif_data_load_data(exif, payload, (unsigned)(sizeof k_exif_header + size));
    free(payload);
    return exif;
}
