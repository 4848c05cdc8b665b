/* Filesystem helpers: mkdir -p, whole-file reads, atomic writes and copies, clocks. */
#include "util/fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int reel_mkdirs(const char *path, reel_err *e)
{
    if (reel_is_dir(path)) return 0; /* the common case: one stat, no mkdir calls */
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return reel_errf(e, REEL_EINVAL, "%s: path too long", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(buf, 0777) < 0 && errno != EEXIST)
            return reel_errf(e, REEL_EIO, "%s: cannot create directory: %s", buf, strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0777) < 0 && errno != EEXIST)
        return reel_errf(e, REEL_EIO, "%s: cannot create directory: %s", buf, strerror(errno));
    if (!reel_is_dir(buf)) return reel_errf(e, REEL_EIO, "%s: exists and is not a directory", buf);
    return 0;
}

int reel_read_file(const char *path, char **out, size_t *len, reel_err *e)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return reel_errf(e, errno == ENOENT ? REEL_ENOTFOUND : REEL_EIO, "%s: %s", path,
                            strerror(errno));
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) { free(buf); buf = NULL; break; }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf) return reel_errf(e, REEL_ENOMEM, "%s: out of memory", path);
    if (bad) { free(buf); return reel_errf(e, REEL_EIO, "%s: read error", path); }
    buf[n] = 0;
    *out = buf;
    if (len) *len = n;
    return 0;
}

int reel_fsync_path(const char *path, reel_err *e)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return reel_errf(e, REEL_EIO, "%s: %s", path, strerror(errno));
    int r = fsync(fd);
    close(fd);
    if (r < 0 && errno != EINVAL) return reel_errf(e, REEL_EIO, "%s: fsync: %s", path, strerror(errno));
    return 0;
}

int reel_fsync_dir_of(const char *path, reel_err *e)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == dir) dir[1] = 0;
    else if (slash) *slash = 0;
    else snprintf(dir, sizeof dir, ".");
    return reel_fsync_path(dir, e);
}

int reel_write_atomic(const char *path, const void *data, size_t len, reel_err *e)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s.%d.partial", path, (int)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) return reel_errf(e, REEL_EIO, "%s: cannot write: %s", path, strerror(errno));
    const char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            int err = errno;
            close(fd);
            unlink(tmp);
            return reel_errf(e, REEL_EIO, "%s: write failed: %s", path, strerror(err));
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) < 0 || close(fd) < 0) {
        unlink(tmp);
        return reel_errf(e, REEL_EIO, "%s: fsync failed: %s", path, strerror(errno));
    }
    if (rename(tmp, path) < 0) {
        int err = errno;
        unlink(tmp);
        return reel_errf(e, REEL_EIO, "%s: rename failed: %s", path, strerror(err));
    }
    return reel_fsync_dir_of(path, e);
}

int reel_commit_file(const char *tmp, const char *path, reel_err *e)
{
    int rc = reel_fsync_path(tmp, e);
    if (!rc && rename(tmp, path) < 0) rc = reel_errf(e, REEL_EIO, "%s: cannot rename into place: %s", path, strerror(errno));
    if (rc) unlink(tmp);
    return rc;
}

int reel_copy_atomic(const char *src, const char *tmp, const char *dst, reel_err *e)
{
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0) return reel_errf(e, REEL_EIO, "%s: %s", src, strerror(errno));
    int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (out < 0) {
        close(in);
        return reel_errf(e, REEL_EIO, "%s: %s", tmp, strerror(errno));
    }
    char buf[1 << 16];
    int rc = 0;
    for (;;) {
        ssize_t r = read(in, buf, sizeof buf);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) { rc = reel_errf(e, REEL_EIO, "%s: read: %s", src, strerror(errno)); break; }
        if (r == 0) break;
        for (ssize_t off = 0; off < r;) {
            ssize_t w = write(out, buf + off, (size_t)(r - off));
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) { rc = reel_errf(e, REEL_EIO, "%s: write: %s", dst, strerror(errno)); break; }
            off += w;
        }
        if (rc) break;
    }
    close(in);
    if (!rc && fsync(out) < 0) rc = reel_errf(e, REEL_EIO, "%s: fsync: %s", dst, strerror(errno));
    if (close(out) < 0 && !rc) rc = reel_errf(e, REEL_EIO, "%s: close: %s", dst, strerror(errno));
    if (!rc && rename(tmp, dst) < 0) rc = reel_errf(e, REEL_EIO, "%s: rename: %s", dst, strerror(errno));
    if (rc) unlink(tmp);
    else rc = reel_fsync_dir_of(dst, e);
    return rc;
}

int reel_rmtree(const char *path, reel_err *e)
{
    struct stat st;
    if (lstat(path, &st) < 0) return 0;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (!d) return reel_errf(e, REEL_EIO, "%s: %s", path, strerror(errno));
        struct dirent *de;
        while ((de = readdir(d))) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
            char *sub = reel_path_join(path, de->d_name);
            int rc = sub ? reel_rmtree(sub, e) : REEL_ENOMEM;
            free(sub);
            if (rc) { closedir(d); return rc; }
        }
        closedir(d);
        if (rmdir(path) < 0) return reel_errf(e, REEL_EIO, "%s: %s", path, strerror(errno));
    } else if (unlink(path) < 0) {
        return reel_errf(e, REEL_EIO, "%s: %s", path, strerror(errno));
    }
    return 0;
}

int reel_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

int reel_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *reel_path_join(const char *a, const char *b)
{
    if (b[0] == '/') return strdup(b);
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 2);
    if (!s) return NULL;
    memcpy(s, a, la);
    size_t n = la;
    if (n && s[n - 1] != '/') s[n++] = '/';
    memcpy(s + n, b, lb + 1);
    return s;
}

const char *reel_basename(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

char *reel_abspath(const char *path)
{
    char *r = realpath(path, NULL);
    if (r) return r;
    if (path[0] == '/') return strdup(path);
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) return NULL;
    return reel_path_join(cwd, path);
}

double reel_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

double reel_thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

double reel_process_cpu(void)
{
    struct timespec ts; /* all threads, nanosecond resolution */
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}
