/* Content hashing (BLAKE2b-256 through libsodium) used for task keys and content-addressed
 * artifacts. Hex digests are 64 lowercase characters plus NUL. */
#ifndef REEL_HASH_H
#define REEL_HASH_H

#include "reel/reel.h"
#include <sodium.h>

#define REEL_HASH_HEX 65

typedef struct reel_hasher {
    crypto_generichash_state st;
} reel_hasher;

void reel_hash_init(reel_hasher *h);
void reel_hash_update(reel_hasher *h, const void *data, size_t len);
/* Feed a string with its length, so ("ab","c") and ("a","bc") hash differently. */
void reel_hash_str(reel_hasher *h, const char *s);
void reel_hash_final(reel_hasher *h, char hex[REEL_HASH_HEX]);
/* Hash what is left to read on fd (path only names it in messages); *size gets the byte count. */
int reel_hash_fd(int fd, const char *path, char hex[REEL_HASH_HEX], long long *size, reel_err *e);
/* Hash a whole file. */
int reel_hash_file(const char *path, char hex[REEL_HASH_HEX], reel_err *e);
void reel_hash_buf(const void *data, size_t len, char hex[REEL_HASH_HEX]);

#endif
