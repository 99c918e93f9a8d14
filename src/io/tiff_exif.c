#include "io/tiff_exif.h"

#include <stdlib.h>
#include <string.h>

#include "io/exif_tiff.h"

/* The text fields of IFD0 that TIFF and EXIF share, by the same tag numbers. */
static const ExifTag k_text_tags[] = {
    EXIF_TAG_IMAGE_DESCRIPTION, EXIF_TAG_MAKE,   EXIF_TAG_MODEL,     EXIF_TAG_SOFTWARE,
    EXIF_TAG_DATE_TIME,         EXIF_TAG_ARTIST, EXIF_TAG_COPYRIGHT,
};
enum { TEXT_TAG_COUNT = sizeof k_text_tags / sizeof *k_text_tags };

/* An ASCII entry holding text, added to ifd; 0 when out of memory. */
static int add_text(ExifContent *ifd, ExifMem *mem, ExifTag tag, const char *text)
{
    size_t n = strlen(text) + 1;
    ExifEntry *entry = exif_entry_new_mem(mem);
    unsigned char *data = entry ? exif_mem_alloc(mem, (ExifLong)n) : NULL;
    if (!data) {
        if (entry)
            exif_entry_unref(entry);
        return 0;
    }
    memcpy(data, text, n);
    entry->tag = tag;
    entry->format = EXIF_FORMAT_ASCII;
    entry->components = n;
    entry->size = (unsigned)n;
    entry->data = data;
    exif_content_add_entry(ifd, entry);
    exif_entry_unref(entry);
    return 1;
}

/* The block libexif saves, without its "Exif\0\0"; NULL when empty. */
static sc_status save_block(ExifData *exif, ExifMem *mem, uint8_t **out, size_t *out_size)
{
    unsigned char *saved = NULL;
    unsigned saved_size = 0;
    exif_data_save_data(exif, &saved, &saved_size);
    sc_status status = SC_OK;
    if (!saved) {
        status = SC_ERR_NO_MEMORY;
    } else if (saved_size > 6) {
        *out = malloc(saved_size - 6);
        if (*out) {
            memcpy(*out, saved + 6, saved_size - 6);
            *out_size = saved_size - 6;
        } else {
            status = SC_ERR_NO_MEMORY;
        }
    }
    exif_mem_free(mem, saved);
    return status;
}

sc_status sc_tiff_exif_read(TIFF *tif, uint8_t **out, size_t *out_size)
{
    *out = NULL;
    *out_size = 0;
    ExifMem *mem = exif_mem_new_default();
    ExifData *exif = mem ? exif_data_new_mem(mem) : NULL;
    if (!exif) {
        exif_mem_unref(mem);
        return SC_ERR_NO_MEMORY;
    }
    exif_data_unset_option(exif, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
    exif_data_set_byte_order(exif, TIFFIsBigEndian(tif) ? EXIF_BYTE_ORDER_MOTOROLA
                                                        : EXIF_BYTE_ORDER_INTEL);
    sc_status status = SC_OK;
    int added = 0;
    for (int i = 0; i < TEXT_TAG_COUNT && status == SC_OK; i++) {
        const char *text = NULL;
        if (TIFFGetField(tif, (uint32_t)k_text_tags[i], &text) != 1 || !text || !*text)
            continue;
        if (!add_text(exif->ifd[EXIF_IFD_0], mem, k_text_tags[i], text))
            status = SC_ERR_NO_MEMORY;
        added++;
    }
    if (status == SC_OK && added)
        status = save_block(exif, mem, out, out_size);
    exif_data_unref(exif);
    exif_mem_unref(mem);
    return status;
}

sc_status sc_tiff_exif_write(TIFF *tif, const uint8_t *block, size_t size)
{
    ExifMem *mem = exif_mem_new_default();
    ExifData *exif = mem ? sc_exif_load_tiff(block, size, mem) : NULL;
    if (!exif) {
        exif_mem_unref(mem);
        return SC_ERR_NO_MEMORY;
    }
    sc_status status = SC_OK;
    for (int i = 0; i < TEXT_TAG_COUNT && status == SC_OK; i++) {
        ExifEntry *entry = exif_content_get_entry(exif->ifd[EXIF_IFD_0], k_text_tags[i]);
        if (!entry || entry->format != EXIF_FORMAT_ASCII || !entry->data || !entry->size)
            continue;
        /* The stored text need not end in its NUL. */
        char *text = malloc(entry->size + 1);
        if (!text) {
            status = SC_ERR_NO_MEMORY;
            break;
        }
        memcpy(text, entry->data, entry->size);
        text[entry->size] = '\0';
        if (*text)
            TIFFSetField(tif, (uint32_t)k_text_tags[i], text);
        free(text);
    }
    exif_data_unref(exif);
    exif_mem_unref(mem);
    return status;
}
