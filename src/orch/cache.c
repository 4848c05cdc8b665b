/* Content-addressed object store: .reel/cache/<first two hex>/<hash><ext>. */
#include "orch/cache.h"
#include "util/fsutil.h"
#include "util/hash.h"

#include <dirent.h>
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *ext_of(const char *filename)
{
    const char *dot = strrchr(filename, '.');
    return dot && strlen(dot) <= 8 ? dot : "";
}

char *reel_cache_path(const char *root, const char *hash, const char *filename)
{
    size_t n = strlen(root) + strlen(hash) + 40;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/.reel/cache/%.2s/%s%s", root, hash, hash, ext_of(filename));
    return p;
}

/* Hash and fsync through one descriptor. */
static int hash_and_sync(const char *src, char hash[65], long long *size, reel_err *e)
{
    int fd = open(src, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return reel_errf(e, REEL_EIO, "%s: %s", src, strerror(errno));
    int rc = reel_hash_fd(fd, src, hash, size, e);
    if (!rc && fsync(fd) < 0) rc = reel_errf(e, REEL_EIO, "%s: fsync: %s", src, strerror(errno));
    close(fd);
    return rc;
}

int reel_cache_put(const char *root, const char *src, const char *filename, char hash[65],
                   long long *size, reel_err *e)
{
    int rc = hash_and_sync(src, hash, size, e);
    if (rc) return rc;
    char *dst = reel_cache_path(root, hash, filename);
    if (!dst) return reel_errf(e, REEL_ENOMEM, "out of memory");
    char *slash = strrchr(dst, '/');
    *slash = 0;
    rc = reel_mkdirs(dst, e);
    *slash = '/';
    /* The directory is not fsync'd: if a power cut loses the rename, the lookup finds the
     * object missing and the task simply runs again. The object's bytes are durable first. */
    if (!rc && reel_cache_has(root, hash, filename, *size)) unlink(src);
    else if (!rc && rename(src, dst) < 0) rc = reel_errf(e, REEL_EIO, "%s: %s", dst, strerror(errno));
    free(dst);
    return rc;
}

int reel_cache_has(const char *root, const char *hash, const char *filename, long long size)
{
    char *p = reel_cache_path(root, hash, filename);
    struct stat st;
    int ok = p && stat(p, &st) == 0 && st.st_size == size;
    free(p);
    return ok;
}

void reel_cache_usage(const char *root, int *objects, long long *bytes)
{
    *objects = 0;
    *bytes = 0;
    char *base = reel_path_join(root, ".reel/cache");
    DIR *d = base ? opendir(base) : NULL;
    struct dirent *de;
    while (d && (de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        char *sub = reel_path_join(base, de->d_name);
        DIR *sd = sub ? opendir(sub) : NULL;
        struct dirent *f;
        while (sd && (f = readdir(sd))) {
            struct stat st;
            char *fp = f->d_name[0] == '.' ? NULL : reel_path_join(sub, f->d_name);
            if (fp && stat(fp, &st) == 0) { (*objects)++; *bytes += st.st_size; }
            free(fp);
        }
        if (sd) closedir(sd);
        free(sub);
    }
    if (d) closedir(d);
    free(base);
}
