/* Internal to script/: the Fountain parser's first stage (fountain_lines.c), the text as lines. */
#ifndef REEL_SCRIPT_FOUNTAIN_INT_H
#define REEL_SCRIPT_FOUNTAIN_INT_H

#include "reel/reel.h"
#include <stddef.h>

typedef struct ftn_line {
    const char *s; /* NUL-terminated, no line end */
    int no;        /* 1-based line of the file */
} ftn_line;

typedef struct ftn_lines {
    ftn_line *l;
    int n;
    char *buf; /* holds every line's text */
} ftn_lines;

/* Check text is UTF-8 without NULs (REEL_EINVAL naming path:LINE), then split it into lines: a
 * BOM dropped, CRLF and CR ends accepted, the boneyard and [[notes]] removed. A line left empty by
 * a removal (and not empty before) is dropped, so a note never splits a paragraph; an unclosed
 * slash-star or [[ is text. */
int ftn_lines_split(const char *path, const char *text, size_t len, ftn_lines *out, reel_err *e);
void ftn_lines_free(ftn_lines *ls);

/* s without Fountain's emphasis markers (*, **, ***, _ in pairs on one line) and with \* and \_
 * unescaped, into a new string (NULL when out of memory). */
char *ftn_plain(const char *s, size_t n);

#endif
