/* A growable string buffer for building text (YAML, JSON lines, reports). */
#ifndef REEL_STRBUF_H
#define REEL_STRBUF_H

#include <stddef.h>

typedef struct reel_strbuf {
    char *s;
    size_t len, cap;
    int oom; /* set once an allocation failed; further appends are dropped */
} reel_strbuf;

void reel_sb_init(reel_strbuf *b);
void reel_sb_free(reel_strbuf *b);
void reel_sb_add(reel_strbuf *b, const char *s);
void reel_sb_addn(reel_strbuf *b, const char *s, size_t n);
void reel_sb_printf(reel_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
