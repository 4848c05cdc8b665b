/* The content-addressed artifact store under .reel/cache: objects named by the BLAKE2b hash of
 * their bytes (plus the original extension so tools can read them), written by rename only. */
#ifndef REEL_CACHE_H
#define REEL_CACHE_H

#include "reel/reel.h"

/* Path of the object for hash with filename's extension (malloc'd). */
char *reel_cache_path(const char *root, const char *hash, const char *filename);
/* Move the finished file src (in .reel/tmp) into the store: hash it, fsync it, rename it into
 * place (or drop it when the object already exists). Fills hash and *size. */
int reel_cache_put(const char *root, const char *src, const char *filename, char hash[65],
                   long long *size, reel_err *e);
/* 1 when the object exists with the expected size. */
int reel_cache_has(const char *root, const char *hash, const char *filename, long long size);
/* Count objects and bytes in the store. */
void reel_cache_usage(const char *root, int *objects, long long *bytes);

#endif
