/* sc_picture_check_file_head and sc_input_check_head: the header size check
 * before a file or a stream is read in full. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "io/pfm.h"
#include "io/picture_decode.h"

sc_status sc_picture_check_file_head(const char *path, sc_error *err)
{
    /* Regular files only: a FIFO's bytes (a process substitution) can be read
     * once, and opening one would wait for its writer. Errors are left to the
     * read that follows, which reports them. */
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return SC_OK;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return SC_OK;
    unsigned char *head = malloc(SC_PICTURE_HEAD_BYTES);
    if (!head) {
        close(fd);
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory reading the header", path);
    }
    ssize_t n;
    do
        n = pread(fd, head, SC_PICTURE_HEAD_BYTES, 0);
    while (n < 0 && errno == EINTR);
    close(fd);
    sc_status status = SC_OK;
    if (n > 0)
        status = sc_input_check_head(head, (size_t)n, (unsigned long long)st.st_size, path, err);
    free(head);
    return status;
}

sc_status sc_input_check_head(const void *head, size_t size, unsigned long long total,
                              const char *name, sc_error *err)
{
    /* A PFM's header states its data size, which the input's must match. */
    if (sc_pfm_detect(head, size))
        return sc_pfm_check_head(head, size, total, name, err);
    return sc_picture_check_head(head, size, name, err);
}
