/* The project lock: one run at a time per project (flock on .reel/lock, holder pid inside). */
#ifndef REEL_LOCK_H
#define REEL_LOCK_H

#include "reel/reel.h"

/* Take the lock; wait = 0 refuses at once with REEL_EBUSY naming the holder. Returns fd >= 0. */
int reel_lock_acquire(const char *root, int wait, reel_err *e);
void reel_lock_release(int fd);

#endif
