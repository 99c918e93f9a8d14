/*
 * Writing a file so that a reader (or a crash) sees either the old content
 * or the complete new one, never a half-written picture.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "io/image.h"

/* Splits path into its folder ("." if none) and base name; malloc'd. */
static int split_path(const char *path, char **dir, const char **base)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        *dir = strdup(".");
        *base = path;
    } else {
        size_t n = slash == path ? 1 : (size_t)(slash - path);
        *dir = strndup(path, n);
        *base = slash + 1;
    }
    return *dir ? 0 : -1;
}

/* Like mkstemp, but lets the umask apply to 0666, as fopen would, so the
 * result is readable by others as usual instead of mkstemp's 0600. */
static int create_temporary(const char *dir, const char *base, char **tmp_path)
{
    size_t n = strlen(dir) + strlen(base) + 32;
    char *name = malloc(n);
    if (!name)
        return -1;
    static _Thread_local uint64_t counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t seed = (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)&ts;
    for (int attempt = 0; attempt < 100; attempt++) {
        uint64_t r = (seed + ++counter) * 0x9e3779b97f4a7c15ULL;
        snprintf(name, n, "%s/.%.200s.%06llx.tmp", dir, base,
                 (unsigned long long)(r >> 40) & 0xffffffULL);
        int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            *tmp_path = name;
            return fd;
        }
        if (errno != EEXIST)
            break;
    }
    int e = errno;
    free(name);
    errno = e;
    return -1;
}

static void sync_folder(const char *dir)
{
    /* Makes the rename itself durable; not all file systems allow it, and
     * the file is complete either way, so failures are ignored. */
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

/* Flushes and closes f; a write error of the data or of the flush wins over SC_OK. */
static sc_status finish_stream(FILE *f, sc_status status, const char *path, int sync,
                               sc_error *err)
{
    if (status == SC_OK && (fflush(f) != 0 || ferror(f) || (sync && fsync(fileno(f)) != 0)))
        status = sc_fail(err, SC_ERR_IO, "%s: write error (%s)", path, strerror(errno));
    if (fclose(f) != 0 && status == SC_OK)
        status = sc_fail(err, SC_ERR_IO, "%s: write error (%s)", path, strerror(errno));
    return status;
}

/* A device or a pipe named as the output (a link to /dev/null, a FIFO that a
 * reader waits on) is written in place: renaming a temporary over it would
 * replace the node itself with a regular file. */
static sc_status write_in_place(const char *path, sc_write_fn write, const void *ctx,
                                sc_error *err)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return sc_fail(err, SC_ERR_IO, "%s: cannot open (%s)", path, strerror(errno));
    return finish_stream(f, write(f, ctx, err), path, 0, err);
}

sc_status sc_write_atomic(const char *path, sc_write_fn write, const void *ctx, sc_error *err)
{
    if (!path || !*path || !write)
        return sc_fail(err, SC_ERR_INVALID_ARG, "sc_write_atomic: no path or writer given");
    struct stat existing;
    if (stat(path, &existing) == 0 && (S_ISCHR(existing.st_mode) || S_ISFIFO(existing.st_mode)))
        return write_in_place(path, write, ctx, err);
    char *dir;
    const char *base;
    if (split_path(path, &dir, &base) != 0)
        return sc_fail(err, SC_ERR_NO_MEMORY, "%s: out of memory", path);
    if (!*base) {
        free(dir);
        return sc_fail(err, SC_ERR_INVALID_ARG, "%s: not a file name", path);
    }
    char *tmp = NULL;
    int fd = create_temporary(dir, base, &tmp);
    if (fd < 0) {
        int e = errno;
        sc_status s = sc_fail(err, SC_ERR_IO, "%s: cannot create a file in '%s' (%s)", path, dir,
                              strerror(e));
        free(dir);
        return s;
    }
    /* An existing target keeps its permissions. */
    struct stat target;
    if (stat(path, &target) == 0 && S_ISREG(target.st_mode))
        (void)fchmod(fd, target.st_mode & 0777);

    sc_status status = SC_OK;
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        status = sc_fail(err, SC_ERR_IO, "%s: cannot write (%s)", path, strerror(errno));
        close(fd);
    } else {
        status = finish_stream(f, write(f, ctx, err), path, 1, err);
    }
    if (status == SC_OK && rename(tmp, path) != 0)
        status = sc_fail(err, SC_ERR_IO, "%s: cannot replace (%s)", path, strerror(errno));
    if (status != SC_OK)
        unlink(tmp);
    else
        sync_folder(dir);
    free(tmp);
    free(dir);
    return status;
}
