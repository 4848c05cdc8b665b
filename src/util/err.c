/* Error values: filling a reel_err and naming codes. */
#include "reel/reel.h"

#include <stdio.h>
#include <string.h>

int reel_errf(reel_err *e, int code, const char *fmt, ...)
{
    if (!e) return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->code = code;
    return code;
}

int reel_err_prefix(reel_err *e, const char *fmt, ...)
{
    if (!e) return REEL_EINVAL;
    char pre[512], old[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof pre, fmt, ap);
    va_end(ap);
    memcpy(old, e->msg, sizeof old);
    size_t n = strnlen(pre, sizeof e->msg - 3);
    memcpy(e->msg, pre, n);
    memcpy(e->msg + n, ": ", 2);
    size_t left = sizeof e->msg - n - 3;
    size_t m = strnlen(old, left);
    memcpy(e->msg + n + 2, old, m);
    e->msg[n + 2 + m] = 0;
    return e->code;
}

const char *reel_strerror(int code)
{
    switch (code) {
    case REEL_OK: return "ok";
    case REEL_EINVAL: return "invalid input";
    case REEL_EIO: return "i/o error";
    case REEL_ENOMEM: return "out of memory";
    case REEL_EMEDIA: return "media error";
    case REEL_ECONFIG: return "brief error";
    case REEL_EBUSY: return "project busy";
    case REEL_ENOTFOUND: return "not found";
    case REEL_EBUDGET: return "budget exhausted";
    case REEL_ECANCEL: return "cancelled";
    case REEL_EAGENT: return "agent failed";
    case REEL_EDB: return "state database error";
    }
    return "unknown error";
}
