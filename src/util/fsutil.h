/* Filesystem helpers shared by every module: directories, whole-file reads, and the atomic write
 * protocol (temp file in the same directory or a given temp dir + fsync + rename + fsync(dir)). */
#ifndef REEL_FSUTIL_H
#define REEL_FSUTIL_H

#include "reel/reel.h"
#include <stdint.h>
#include <sys/types.h>

/* mkdir -p; 0 or REEL_EIO with the path named in e. */
int reel_mkdirs(const char *path, reel_err *e);
/* Read a whole file into a NUL-terminated malloc'd buffer (*out, *len); caller frees. */
int reel_read_file(const char *path, char **out, size_t *len, reel_err *e);
/* Write data to path atomically: a sibling temp file is written, fsync'd and renamed over path. */
int reel_write_atomic(const char *path, const void *data, size_t len, reel_err *e);
/* fsync a file by path, and the directory that holds a path. */
int reel_fsync_path(const char *path, reel_err *e);
int reel_fsync_dir_of(const char *path, reel_err *e);
/* Put a finished temp file in place: fsync tmp, rename it over path; tmp is removed on failure.
 * The directory is not fsync'd (callers finishing many files do it once, reel_fsync_dir_of). */
int reel_commit_file(const char *tmp, const char *path, reel_err *e);
/* Copy src to dst atomically through tmp (a path on dst's filesystem): copy, fsync, rename. */
int reel_copy_atomic(const char *src, const char *tmp, const char *dst, reel_err *e);
/* Remove a directory tree (no error if missing). */
int reel_rmtree(const char *path, reel_err *e);
int reel_file_exists(const char *path);
int reel_is_dir(const char *path);
/* Join a and b with one '/', into a malloc'd string. */
char *reel_path_join(const char *a, const char *b);
/* The last path component (pointer into path). */
const char *reel_basename(const char *path);
/* Absolute, normalised path (realpath when it exists, else cwd-joined); malloc'd or NULL. */
char *reel_abspath(const char *path);
/* Monotonic wall clock and CPU clocks, seconds. */
double reel_now(void);
double reel_thread_cpu(void);
double reel_process_cpu(void);

#endif
