/* Project lock with flock(2): released by the kernel when the holder dies, so a kill -9 never
 * leaves a stale lock behind. */
#include "orch/lock.h"
#include "util/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

int reel_lock_acquire(const char *root, int wait, reel_err *e)
{
    char *dir = reel_path_join(root, ".reel");
    int rc = dir ? reel_mkdirs(dir, e) : REEL_ENOMEM;
    char *path = dir ? reel_path_join(dir, "lock") : NULL;
    free(dir);
    if (rc || !path) { free(path); return rc ? rc : reel_errf(e, REEL_ENOMEM, "out of memory"); }
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) {
        rc = reel_errf(e, REEL_EIO, "%s: %s", path, strerror(errno));
        free(path);
        return rc;
    }
    while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) < 0) {
        if (errno == EINTR) continue;
        char holder[32] = "";
        ssize_t n = pread(fd, holder, sizeof holder - 1, 0);
        holder[n > 0 ? n : 0] = 0;
        holder[strcspn(holder, "\n")] = 0;
        rc = errno == EWOULDBLOCK
                 ? reel_errf(e, REEL_EBUSY, "%s is busy: another reel run (pid %s) is working on it; "
                             "wait for it to finish, or pass --wait", root, holder[0] ? holder : "?")
                 : reel_errf(e, REEL_EIO, "%s: lock: %s", path, strerror(errno));
        close(fd);
        free(path);
        return rc;
    }
    char pid[32];
    int len = snprintf(pid, sizeof pid, "%d\n", (int)getpid());
    if (ftruncate(fd, 0) == 0 && pwrite(fd, pid, (size_t)len, 0) < 0) { /* informational only */ }
    free(path);
    return fd;
}

void reel_lock_release(int fd)
{
    if (fd < 0) return;
    if (ftruncate(fd, 0) < 0) { /* informational only */ }
    flock(fd, LOCK_UN);
    close(fd);
}
