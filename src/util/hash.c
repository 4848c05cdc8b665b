/* BLAKE2b-256 digests for task keys and artifact content addresses. */
#include "util/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

void reel_hash_init(reel_hasher *h)
{
    crypto_generichash_init(&h->st, NULL, 0, 32);
}

void reel_hash_update(reel_hasher *h, const void *data, size_t len)
{
    crypto_generichash_update(&h->st, data, len);
}

void reel_hash_str(reel_hasher *h, const char *s)
{
    uint64_t n = s ? strlen(s) : UINT64_MAX;
    reel_hash_update(h, &n, sizeof n);
    if (s) reel_hash_update(h, s, strlen(s));
}

void reel_hash_final(reel_hasher *h, char hex[REEL_HASH_HEX])
{
    unsigned char out[32];
    crypto_generichash_final(&h->st, out, sizeof out);
    sodium_bin2hex(hex, REEL_HASH_HEX, out, sizeof out);
}

void reel_hash_buf(const void *data, size_t len, char hex[REEL_HASH_HEX])
{
    reel_hasher h;
    reel_hash_init(&h);
    reel_hash_update(&h, data, len);
    reel_hash_final(&h, hex);
}

int reel_hash_fd(int fd, const char *path, char hex[REEL_HASH_HEX], long long *size, reel_err *e)
{
    reel_hasher h;
    reel_hash_init(&h);
    unsigned char buf[1 << 16];
    long long total = 0;
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return reel_errf(e, REEL_EIO, "%s: read: %s", path, strerror(errno));
        if (r == 0) break;
        reel_hash_update(&h, buf, (size_t)r);
        total += r;
    }
    reel_hash_final(&h, hex);
    if (size) *size = total;
    return 0;
}

int reel_hash_file(const char *path, char hex[REEL_HASH_HEX], reel_err *e)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return reel_errf(e, REEL_EIO, "%s: %s", path, strerror(errno));
    int rc = reel_hash_fd(fd, path, hex, NULL, e);
    close(fd);
    return rc;
}
