#include "io/picture_metadata.h"

#include <libexif/exif-data.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/error.h"
#include "io/byte_order.h"
#include "io/exif_tiff.h"
#include "io/image_probe.h"
#include "io/picture_codecs.h"

static const uint8_t k_exif_header[6] = {'E', 'x', 'i', 'f', 0, 0};
static const uint8_t k_icc_header[12] = {'I', 'C', 'C', '_', 'P', 'R', 'O', 'F', 'I', 'L', 'E', 0};
/* A JPEG segment's length field counts itself: 65535 - 2 - 14 bytes of
 * profile fit one APP2 after its header and chunk numbers. */
enum { ICC_CHUNK = 65519, PNG_IHDR_END = 8 + 12 + 13, JPEG_SOI_END = 2 };
/* The iCCP chunk's profile name (any name will do; readers ignore it). */
static const char k_icc_name[] = "ICC profile";

static int icc_plausible(const uint8_t *p, size_t n)
{
    return n >= 132 && n <= SC_ICC_MAX && sc_be32(p) == n && memcmp(p + 36, "acsp", 4) == 0;
}

/* ---- EXIF ---------------------------------------------------------------- */

/* Orientation 1, since the decoded pixels are already turned upright (a
 * viewer would turn them again); an orientation libexif cannot rewrite in
 * place is removed instead. */
static void reset_orientation(ExifData *exif)
{
    ExifContent *ifd0 = exif->ifd[EXIF_IFD_0];
    ExifEntry *entry = exif_content_get_entry(ifd0, EXIF_TAG_ORIENTATION);
    if (!entry)
        return;
    ExifByteOrder order = exif_data_get_byte_order(exif);
    if (entry->data && entry->format == EXIF_FORMAT_SHORT && entry->size >= 2)
        exif_set_short(entry->data, order, 1);
    else if (entry->data && entry->format == EXIF_FORMAT_LONG && entry->size >= 4)
        exif_set_long(entry->data, order, 1);
    else
        exif_content_remove_entry(ifd0, entry);
}

/* The pixel size EXIF states is the stored picture's; after a rotation the
 * picture is the other way round, so the tags take the decoded size, in the
 * format they were stored in (the tags exist only in the EXIF directory). */
static void set_pixel_size(ExifData *exif, int width, int height)
{
    ExifContent *ifd = exif->ifd[EXIF_IFD_EXIF];
    ExifByteOrder order = exif_data_get_byte_order(exif);
    const ExifTag tags[2] = {EXIF_TAG_PIXEL_X_DIMENSION, EXIF_TAG_PIXEL_Y_DIMENSION};
    const int values[2] = {width, height};
    for (int i = 0; i < 2; i++) {
        ExifEntry *entry = exif_content_get_entry(ifd, tags[i]);
        if (!entry || !entry->data || values[i] <= 0)
            continue;
        if (entry->format == EXIF_FORMAT_LONG && entry->size >= 4)
            exif_set_long(entry->data, order, (ExifLong)values[i]);
        else if (entry->format == EXIF_FORMAT_SHORT && entry->size >= 2 && values[i] <= 65535)
            exif_set_short(entry->data, order, (ExifShort)values[i]);
        else
            exif_content_remove_entry(ifd, entry); /* a size it cannot state */
    }
}

/* The thumbnail shows the scene as it was before its sky was replaced, so it
 * goes, with IFD1 that describes it. */
static void drop_thumbnail(ExifData *exif, ExifMem *mem)
{
    exif_mem_free(mem, exif->data);
    exif->data = NULL;
    exif->size = 0;
    ExifContent *ifd1 = exif->ifd[EXIF_IFD_1];
    while (ifd1->count > 0)
        exif_content_remove_entry(ifd1, ifd1->entries[0]);
}

static unsigned entry_count(const ExifData *exif)
{
    unsigned n = 0;
    for (int i = 0; i < EXIF_IFD_COUNT; i++)
        n += exif->ifd[i]->count;
    return n;
}

/* tiff (a TIFF structure) rewritten by libexif with orientation 1, the pixel
 * size width x height and no thumbnail, into *out (malloc'd). *out stays NULL
 * when there is nothing usable to keep, including when libexif itself fails
 * (it does not say why). */
static sc_status clean_exif(const uint8_t *tiff, size_t size, int width, int height,
                            uint8_t **out, size_t *out_size)
{
    *out = NULL;
    *out_size = 0;
    if (size < 8 || size > SC_EXIF_MAX)
        return SC_OK;
    ExifMem *mem = exif_mem_new_default();
    ExifData *exif = mem ? sc_exif_load_tiff(tiff, size, mem) : NULL;
    if (!exif) {
        exif_mem_unref(mem);
        return SC_ERR_NO_MEMORY;
    }
    reset_orientation(exif);
    set_pixel_size(exif, width, height);
    drop_thumbnail(exif, mem);
    unsigned char *saved = NULL;
    unsigned saved_size = 0;
    if (entry_count(exif) > 0)
        exif_data_save_data(exif, &saved, &saved_size);
    exif_data_unref(exif);
    sc_status status = SC_OK;
    if (saved && saved_size > sizeof k_exif_header + 8 &&
        saved_size - sizeof k_exif_header <= SC_EXIF_MAX &&
        memcmp(saved, k_exif_header, sizeof k_exif_header) == 0) {
        *out_size = saved_size - sizeof k_exif_header;
        *out = malloc(*out_size);
        if (*out)
            memcpy(*out, saved + sizeof k_exif_header, *out_size);
        else {
            *out_size = 0;
            status = SC_ERR_NO_MEMORY;
        }
    }
    exif_mem_free(mem, saved);
    exif_mem_unref(mem);
    return status;
}

/* ---- reading ------------------------------------------------------------- */

/* The APP2 "ICC_PROFILE" chunks of a JPEG, by sequence number (1..count). */
typedef struct icc_chunks {
    const uint8_t *part[256];
    size_t part_size[256];
    int count; /* stated by every chunk; 0 before the first */
    int bad;   /* numbers out of range, repeated or disagreeing */
} icc_chunks;

static void collect_icc(void *ctx, uint8_t marker, const uint8_t *p, size_t n)
{
    icc_chunks *c = ctx;
    if (marker != 0xe2 || n < sizeof k_icc_header + 2 ||
        memcmp(p, k_icc_header, sizeof k_icc_header) != 0)
        return;
    int seq = p[12], count = p[13];
    if (seq == 0 || seq > count || (c->count && count != c->count) || c->part[seq]) {
        c->bad = 1;
        return;
    }
    c->count = count;
    c->part[seq] = p + 14;
    c->part_size[seq] = n - 14;
}

/* The profile the chunks make, when every one of them is there. */
static sc_status join_icc(const icc_chunks *c, uint8_t **icc, size_t *icc_size)
{
    if (c->bad || c->count == 0)
        return SC_OK;
    size_t total = 0;
    for (int i = 1; i <= c->count; i++) {
        if (!c->part[i])
            return SC_OK; /* a chunk is missing: a truncated profile */
        total += c->part_size[i];
    }
    if (total < 4 || sc_be32(c->part[1]) != total)
        return SC_OK;
    uint8_t *joined = malloc(total);
    if (!joined)
        return SC_ERR_NO_MEMORY;
    size_t at = 0;
    for (int i = 1; i <= c->count; i++) {
        memcpy(joined + at, c->part[i], c->part_size[i]);
        at += c->part_size[i];
    }
    if (!icc_plausible(joined, total)) {
        free(joined);
        return SC_OK;
    }
    *icc = joined;
    *icc_size = total;
    return SC_OK;
}

static sc_status read_jpeg(const uint8_t *data, size_t size, sc_image *img)
{
    icc_chunks chunks; /* 4 KiB: on the stack, so that a plain JPEG allocates nothing */
    memset(&chunks, 0, sizeof chunks);
    sc_jpeg_info info;
    sc_jpeg_walk(data, size, &info, collect_icc, &chunks);
    sc_status status = join_icc(&chunks, &img->icc, &img->icc_size);
    if (status == SC_OK && info.exif)
        status = clean_exif(info.exif + sizeof k_exif_header,
                            info.exif_size - sizeof k_exif_header, img->width, img->height,
                            &img->exif, &img->exif_size);
    return status;
}

/* An iCCP chunk's profile: name, NUL, method 0 (zlib), the compressed profile.
 * The profile's header states its size, so at most that is allocated however
 * far the stream would inflate. */
static sc_status inflate_icc(const uint8_t *body, size_t n, uint8_t **icc, size_t *icc_size)
{
    const uint8_t *nul = memchr(body, 0, n < 80 ? n : 80);
    if (!nul || nul == body || (size_t)(nul - body) + 2 > n || nul[1] != 0)
        return SC_OK;
    const uint8_t *z = nul + 2;
    uint8_t head[128];
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit(&zs) != Z_OK)
        return SC_ERR_NO_MEMORY;
    zs.next_in = (Bytef *)z;
    zs.avail_in = (uInt)(n - (size_t)(z - body));
    zs.next_out = head;
    zs.avail_out = sizeof head;
    int ret = inflate(&zs, Z_SYNC_FLUSH);
    sc_status status = SC_OK;
    size_t stated = zs.avail_out == 0 ? sc_be32(head) : 0;
    if ((ret == Z_OK || ret == Z_STREAM_END) && stated >= sizeof head && stated <= SC_ICC_MAX) {
        uint8_t *profile = malloc(stated);
        if (!profile) {
            status = SC_ERR_NO_MEMORY;
        } else {
            memcpy(profile, head, sizeof head);
            zs.next_out = profile + sizeof head;
            zs.avail_out = (uInt)(stated - sizeof head);
            ret = ret == Z_STREAM_END ? ret : inflate(&zs, Z_FINISH);
            if (ret == Z_STREAM_END && zs.avail_out == 0 && icc_plausible(profile, stated)) {
                *icc = profile;
                *icc_size = stated;
            } else {
                free(profile);
            }
        }
    }
    inflateEnd(&zs);
    return status;
}

static sc_status read_png(const uint8_t *data, size_t size, sc_image *img)
{
    sc_status status = SC_OK;
    for (size_t pos = 8; status == SC_OK && size - pos >= 12;) {
        size_t length = sc_be32(data + pos);
        if (length > size - pos - 12)
            break;
        const uint8_t *type = data + pos + 4, *body = data + pos + 8;
        pos += 12 + length;
        if (memcmp(type, "IEND", 4) == 0)
            break;
        int exif = memcmp(type, "eXIf", 4) == 0 && !img->exif;
        int icc = memcmp(type, "iCCP", 4) == 0 && !img->icc;
        /* stb does not check CRCs; a damaged chunk of ours is simply left out. */
        if ((!exif && !icc) || crc32(0, type, (uInt)(4 + length)) != sc_be32(body + length))
            continue;
        if (exif)
            status = clean_exif(body, length, img->width, img->height, &img->exif,
                                &img->exif_size);
        else
            status = inflate_icc(body, length, &img->icc, &img->icc_size);
    }
    return status;
}

sc_status sc_picture_metadata_keep(sc_image *img, const uint8_t *exif, size_t exif_size,
                                   const uint8_t *icc, size_t icc_size)
{
    sc_status status = SC_OK;
    if (exif && !img->exif)
        status = clean_exif(exif, exif_size, img->width, img->height, &img->exif,
                            &img->exif_size);
    if (status == SC_OK && icc && !img->icc && icc_plausible(icc, icc_size)) {
        img->icc = malloc(icc_size);
        if (!img->icc)
            return SC_ERR_NO_MEMORY;
        memcpy(img->icc, icc, icc_size);
        img->icc_size = icc_size;
    }
    return status;
}

sc_status sc_picture_metadata_read(const uint8_t *data, size_t size, const char *name,
                                   sc_image *img, sc_error *err)
{
    const char *other = NULL;
    sc_picture_format format = sc_picture_sniff(data, size, &other);
    sc_status status = SC_OK;
    if (format == SC_PICTURE_JPEG)
        status = read_jpeg(data, size, img);
    else if (format == SC_PICTURE_PNG && size >= 8)
        status = read_png(data, size, img);
    else if (format == SC_PICTURE_WEBP)
        status = sc_webp_metadata(data, size, img);
    else if (format == SC_PICTURE_TIFF)
        status = sc_tiff_metadata(data, size, img);
    else if (format == SC_PICTURE_HEIF)
        status = sc_heif_metadata(data, size, img);
    if (status == SC_OK)
        return SC_OK;
    free(img->exif);
    free(img->icc);
    img->exif = img->icc = NULL;
    img->exif_size = img->icc_size = 0;
    return sc_fail(err, status, "%s: out of memory reading the picture's metadata", name);
}

/* ---- writing ------------------------------------------------------------- */

sc_status sc_picture_metadata_check(const sc_image *img, const char *name, sc_error *err)
{
    if ((img->exif_size && !img->exif) || (img->icc_size && !img->icc))
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: metadata size without its data", name);
    if (img->exif_size > SC_EXIF_MAX)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: EXIF of %zu bytes is more than %u",
                       name, img->exif_size, SC_EXIF_MAX);
    if (img->icc_size > SC_ICC_MAX)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: ICC profile of %zu bytes is more than %u",
                       name, img->icc_size, SC_ICC_MAX);
    return SC_OK;
}

/* A JPEG segment: marker, length, then head and body as its payload. */
static uint8_t *put_segment(uint8_t *p, uint8_t marker, const uint8_t *head, size_t head_size,
                            const uint8_t *body, size_t body_size)
{
    size_t length = 2 + head_size + body_size;
    *p++ = 0xff;
    *p++ = marker;
    *p++ = (uint8_t)(length >> 8);
    *p++ = (uint8_t)length;
    memcpy(p, head, head_size);
    if (body_size)
        memcpy(p + head_size, body, body_size);
    return p + head_size + body_size;
}

/* A PNG chunk: length, type, head and body as its data, CRC. */
static uint8_t *put_chunk(uint8_t *p, const char *type, const uint8_t *head, size_t head_size,
                          const uint8_t *body, size_t body_size)
{
    sc_put_be32(p, (uint32_t)(head_size + body_size));
    memcpy(p + 4, type, 4);
    memcpy(p + 8, head, head_size);
    if (body_size)
        memcpy(p + 8 + head_size, body, body_size);
    uLong crc = crc32(0, p + 4, (uInt)(4 + head_size + body_size));
    p += 8 + head_size + body_size;
    sc_put_be32(p, (uint32_t)crc);
    return p + 4;
}

static sc_status jpeg_block(const sc_image *img, uint8_t **block, size_t *size)
{
    size_t chunks = (img->icc_size + ICC_CHUNK - 1) / ICC_CHUNK;
    size_t total = (img->exif ? 4 + sizeof k_exif_header + img->exif_size : 0) +
                   chunks * (4 + sizeof k_icc_header + 2) + img->icc_size;
    uint8_t *p = *block = malloc(total);
    if (!p)
        return SC_ERR_NO_MEMORY;
    if (img->exif)
        p = put_segment(p, 0xe1, k_exif_header, sizeof k_exif_header, img->exif, img->exif_size);
    for (size_t i = 0; i < chunks; i++) {
        uint8_t head[sizeof k_icc_header + 2];
        memcpy(head, k_icc_header, sizeof k_icc_header);
        head[12] = (uint8_t)(i + 1);
        head[13] = (uint8_t)chunks;
        size_t at = i * ICC_CHUNK;
        size_t n = img->icc_size - at < ICC_CHUNK ? img->icc_size - at : ICC_CHUNK;
        p = put_segment(p, 0xe2, head, sizeof head, img->icc + at, n);
    }
    *size = total;
    return SC_OK;
}

static sc_status png_block(const sc_image *img, uint8_t **block, size_t *size)
{
    uLongf zsize = img->icc ? compressBound((uLong)img->icc_size) : 0;
    uint8_t *z = img->icc ? malloc(zsize) : NULL;
    if (img->icc && !z)
        return SC_ERR_NO_MEMORY;
    if (z && compress2(z, &zsize, img->icc, (uLong)img->icc_size, Z_BEST_COMPRESSION) != Z_OK) {
        free(z);
        return SC_ERR_NO_MEMORY; /* zlib fails only for want of memory here */
    }
    size_t total = (img->exif ? 12 + img->exif_size : 0) +
                   (z ? 12 + sizeof k_icc_name + 1 + zsize : 0);
    uint8_t *p = *block = malloc(total);
    if (!p) {
        free(z);
        return SC_ERR_NO_MEMORY;
    }
    if (z) {
        /* name, its NUL (in k_icc_name), compression method 0 */
        uint8_t head[sizeof k_icc_name + 1];
        memcpy(head, k_icc_name, sizeof k_icc_name);
        head[sizeof k_icc_name] = 0;
        p = put_chunk(p, "iCCP", head, sizeof head, z, zsize);
    }
    if (img->exif)
        put_chunk(p, "eXIf", img->exif, img->exif_size, NULL, 0);
    free(z);
    *size = total;
    return SC_OK;
}

sc_status sc_picture_metadata_block(const sc_image *img, sc_file_type type, const char *name,
                                    uint8_t **block, size_t *size, size_t *at, sc_error *err)
{
    *block = NULL;
    *size = *at = 0;
    if ((!img->exif && !img->icc) || (type != SC_FILE_JPEG && type != SC_FILE_PNG))
        return SC_OK;
    sc_status status = sc_picture_metadata_check(img, name, err);
    if (status != SC_OK)
        return status;
    *at = type == SC_FILE_JPEG ? JPEG_SOI_END : PNG_IHDR_END;
    status = type == SC_FILE_JPEG ? jpeg_block(img, block, size) : png_block(img, block, size);
    if (status != SC_OK)
        return sc_fail(err, status, "%s: out of memory encoding the picture's metadata", name);
    return SC_OK;
}
