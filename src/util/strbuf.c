/* Growable string buffer. */
#include "util/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void reel_sb_init(reel_strbuf *b)
{
    memset(b, 0, sizeof *b);
}

void reel_sb_free(reel_strbuf *b)
{
    free(b->s);
    reel_sb_init(b);
}

static int grow(reel_strbuf *b, size_t extra)
{
    if (b->oom) return -1;
    if (b->len + extra + 1 <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1) cap *= 2;
    char *s = realloc(b->s, cap);
    if (!s) { b->oom = 1; return -1; }
    b->s = s;
    b->cap = cap;
    return 0;
}

void reel_sb_addn(reel_strbuf *b, const char *s, size_t n)
{
    if (grow(b, n)) return;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

void reel_sb_add(reel_strbuf *b, const char *s)
{
    reel_sb_addn(b, s, strlen(s));
}

void reel_sb_printf(reel_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || grow(b, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}
