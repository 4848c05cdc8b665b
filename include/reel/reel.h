/* reel: an agentic post-production pipeline.
 *
 * Public entry point of libreel. It owns the error and logging conventions that every module
 * follows: functions return 0 (or a positive count) on success and a negative REEL_E* code on
 * failure, with a human message written into the caller's reel_err. The library never prints;
 * it logs through reel_log(), whose sink the front end installs. */
#ifndef REEL_REEL_H
#define REEL_REEL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define REEL_VERSION "0.1.0"

enum {
    REEL_OK = 0,
    REEL_EINVAL = -1,   /* bad argument or bad input data */
    REEL_EIO = -2,      /* filesystem or OS failure */
    REEL_ENOMEM = -3,   /* allocation failed */
    REEL_EMEDIA = -4,   /* media cannot be opened or decoded */
    REEL_ECONFIG = -5,  /* reel.yaml (the brief) is wrong */
    REEL_EBUSY = -6,    /* another run holds the project */
    REEL_ENOTFOUND = -7,/* a named thing does not exist */
    REEL_EBUDGET = -8,  /* the compute budget is spent */
    REEL_ECANCEL = -9,  /* interrupted */
    REEL_EAGENT = -10,  /* an agent failed */
    REEL_EDB = -11,     /* the state database failed */
};

/* An error carried back to the caller: the code and a message naming the file and the problem. */
typedef struct reel_err {
    int code;
    char msg[1024];
} reel_err;

/* Set e (may be NULL) to code and a printf-style message; returns code, so `return reel_errf(...)`. */
int reel_errf(reel_err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Prefix the message already in e with "prefix: " (printf-style); returns e->code. */
int reel_err_prefix(reel_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Short name of an error code ("io error", "media error", ...). */
const char *reel_strerror(int code);

/* Process-wide set-up: call once at start, before any other reel function (reproducible encodes
 * depend on it; see src/reel.c). */
void reel_init(void);

typedef enum { REEL_LOG_ERROR = 0, REEL_LOG_WARN, REEL_LOG_INFO, REEL_LOG_DEBUG } reel_log_level;
typedef void (*reel_log_sink)(reel_log_level level, const char *msg, void *opaque);

/* Install the process-wide log sink (NULL: drop everything) and the most verbose level kept. */
void reel_log_set_sink(reel_log_sink sink, void *opaque, reel_log_level max_level);
void reel_log(reel_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
