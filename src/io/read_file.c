#include "io/read_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"

sc_status sc_read_file(const char *path, size_t max_size, void **data, size_t *size,
                       sc_error *err)
{
    *data = NULL;
    *size = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return sc_fail(err, SC_ERR_IO, "%s: cannot open (%s)", path, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0 || S_ISDIR(sb.st_mode)) {
        int e = S_ISDIR(sb.st_mode) ? EISDIR : errno;
        close(fd);
        return sc_fail(err, SC_ERR_IO, "%s: cannot read (%s)", path, strerror(e));
    }
    /* Pipes and other streams report no size: grow as needed. */
    size_t capacity = S_ISREG(sb.st_mode) && sb.st_size > 0 ? (size_t)sb.st_size + 1 : 65536;
    if (S_ISREG(sb.st_mode) && (unsigned long long)sb.st_size > max_size) {
        close(fd);
        return sc_fail(err, SC_ERR_IO, "%s: file too large (%lld bytes)", path,
                       (long long)sb.st_size);
    }
    unsigned char *buf = malloc(capacity);
    size_t used = 0;
    sc_status status = SC_OK;
    while (buf) {
        if (used == capacity) {
            if (capacity > max_size) {
                status = sc_fail(err, SC_ERR_IO, "%s: file too large", path);
                break;
            }
            size_t grown = capacity * 2;
            unsigned char *bigger = realloc(buf, grown);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            capacity = grown;
        }
        ssize_t n = read(fd, buf + used, capacity - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            status = sc_fail(err, SC_ERR_IO, "%s: read error (%s)", path, strerror(errno));
            break;
        }
        if (n == 0)
            break;
        used += (size_t)n;
    }
    close(fd);
    if (!buf)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory reading the file", path);
    if (status == SC_OK && used > max_size)
        status = sc_fail(err, SC_ERR_IO, "%s: file too large", path);
    if (status != SC_OK) {
        free(buf);
        return status;
    }
    *data = buf;
    *size = used;
    return SC_OK;
}
