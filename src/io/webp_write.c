/* WebP results through libwebp (lossy, or lossless at quality 100), with the
 * picture's EXIF and ICC profile added as chunks by libwebpmux. */
#include <errno.h>
#include <string.h>
#include <webp/encode.h>
#include <webp/mux.h>

#include "core/error.h"
#include "io/picture_codecs.h"

static sc_status encode_failure(WebPEncodingError code, const char *name, sc_error *err)
{
    if (code == VP8_ENC_ERROR_OUT_OF_MEMORY || code == VP8_ENC_ERROR_BITSTREAM_OUT_OF_MEMORY)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: cannot encode WebP (out of memory)", name);
    return sc_fail(err, SC_ERR_INVALID_ARG, "%s: cannot encode WebP (libwebp error %d)", name,
                   (int)code);
}

/* The bare VP8/VP8L file into *encoded. */
static sc_status encode_pixels(const sc_image *img, int quality, const char *name,
                               WebPMemoryWriter *encoded, sc_error *err)
{
    WebPConfig config;
    WebPPicture picture;
    if (!WebPConfigInit(&config) || !WebPPictureInit(&picture))
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: libwebp version mismatch", name);
    config.lossless = quality >= 100;
    /* Lossless: quality is effort; 70 is cwebp's default, much faster than 100
     * for files a few percent larger. */
    config.quality = config.lossless ? 70.0f : (float)quality;
    picture.use_argb = config.lossless;
    picture.width = img->width;
    picture.height = img->height;
    WebPMemoryWriterInit(encoded);
    picture.writer = WebPMemoryWrite;
    picture.custom_ptr = encoded;
    sc_status status = SC_OK;
    if (!WebPPictureImportRGB(&picture, img->rgb, img->width * 3))
        status = sc_fail(err, SC_ERR_NO_MEMORY, "%s: cannot encode WebP (out of memory)", name);
    else if (!WebPEncode(&config, &picture))
        status = encode_failure(picture.error_code, name, err);
    WebPPictureFree(&picture);
    if (status != SC_OK)
        WebPMemoryWriterClear(encoded);
    return status;
}

/* The encoded picture with the metadata chunks into *assembled. */
static sc_status add_metadata(const sc_image *img, const WebPMemoryWriter *encoded,
                              const char *name, WebPData *assembled, sc_error *err)
{
    WebPMux *mux = WebPMuxNew();
    if (!mux)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory adding WebP metadata", name);
    WebPData image = {encoded->mem, encoded->size};
    WebPData exif = {img->exif, img->exif_size};
    WebPData icc = {img->icc, img->icc_size};
    WebPMuxError e = WebPMuxSetImage(mux, &image, 0);
    if (e == WEBP_MUX_OK && img->exif)
        e = WebPMuxSetChunk(mux, "EXIF", &exif, 0);
    if (e == WEBP_MUX_OK && img->icc)
        e = WebPMuxSetChunk(mux, "ICCP", &icc, 0);
    if (e == WEBP_MUX_OK)
        e = WebPMuxAssemble(mux, assembled);
    WebPMuxDelete(mux);
    if (e == WEBP_MUX_MEMORY_ERROR)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory adding WebP metadata", name);
    if (e != WEBP_MUX_OK)
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: cannot add WebP metadata (libwebpmux "
                       "error %d)", name, (int)e);
    return SC_OK;
}

sc_status sc_encode_webp(FILE *f, const sc_image *img, int quality, const char *name,
                         sc_error *err)
{
    WebPMemoryWriter encoded;
    sc_status status = encode_pixels(img, quality, name, &encoded, err);
    if (status != SC_OK)
        return status;
    WebPData file = {encoded.mem, encoded.size};
    WebPData assembled = {NULL, 0};
    if (img->exif || img->icc) {
        status = add_metadata(img, &encoded, name, &assembled, err);
        file = assembled;
    }
    errno = 0;
    if (status == SC_OK && fwrite(file.bytes, 1, file.size, f) != file.size)
        status = sc_fail(err, SC_ERR_IO, "%s: write error (%s)", name,
                         strerror(errno ? errno : EIO));
    WebPDataClear(&assembled);
    WebPMemoryWriterClear(&encoded);
    return status;
}
