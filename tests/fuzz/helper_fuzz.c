#include "helper_fuzz.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "io/image_probe.h"

const char *fuzz_input_path(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("fuzz-input", MFD_CLOEXEC);
        if (fd < 0) {
            perror("memfd_create");
            abort();
        }
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0) {
        perror("ftruncate");
        abort();
    }
    size_t done = 0;
    while (done < size) {
        ssize_t n = pwrite(fd, data + done, size - done, (off_t)done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            perror("pwrite");
            abort();
        }
        done += (size_t)n;
    }
    return path;
}

int fuzz_picture_too_big(const uint8_t *data, size_t size)
{
    /* The header fields the library itself checks before decoding (and
     * before stb_image sees the data: calling stb here first would walk
     * into the decoder bugs that sc_picture_decode fences off). TGA has no
     * signature; stb reads its size from the same fields. */
    const char *other;
    sc_picture_format format = sc_picture_sniff(data, size, &other);
    if (format == SC_PICTURE_UNKNOWN)
        format = SC_PICTURE_TGA;
    long long w, h;
    return sc_picture_dimensions(format, data, size, &w, &h) == 0 &&
           (w > FUZZ_MAX_PIXELS || h > FUZZ_MAX_PIXELS || w * h > FUZZ_MAX_PIXELS);
}

static FILE *saved_stderr;

void fuzz_quiet_begin(void)
{
    static FILE *null_stream;
    if (getenv("FUZZ_VERBOSE"))
        return;
    if (!null_stream) {
        null_stream = fopen("/dev/null", "w");
        if (!null_stream) {
            perror("/dev/null");
            abort();
        }
    }
    saved_stderr = stderr;
    /* glibc declares stderr as an assignable FILE *. */
    stderr = null_stream;
}

void fuzz_quiet_end(void)
{
    if (saved_stderr) {
        stderr = saved_stderr;
        saved_stderr = NULL;
    }
}
