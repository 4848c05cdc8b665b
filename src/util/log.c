/* The one logger: the library formats messages and hands them to a sink the front end installs. */
#include "reel/reel.h"

#include <pthread.h>
#include <stdio.h>

static reel_log_sink g_sink;
static void *g_opaque;
static reel_log_level g_max = REEL_LOG_INFO;
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

void reel_log_set_sink(reel_log_sink sink, void *opaque, reel_log_level max_level)
{
    pthread_mutex_lock(&g_lock);
    g_sink = sink;
    g_opaque = opaque;
    g_max = max_level;
    pthread_mutex_unlock(&g_lock);
}

void reel_log(reel_log_level level, const char *fmt, ...)
{
    if (level > g_max || !g_sink) return;
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&g_lock);
    if (g_sink) g_sink(level, buf, g_opaque);
    pthread_mutex_unlock(&g_lock);
}
