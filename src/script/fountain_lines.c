/* The Fountain parser's first stage: bytes checked and cut into lines, with the parts a reader
 * never sees (the boneyard, [[notes]]) taken out, and the emphasis markers stripped from text. */
#include "script/fountain_int.h"

#include <stdlib.h>
#include <string.h>

/* Length of the UTF-8 sequence at s (at most n bytes), or 0 when it is not a valid one. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    size_t k = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
    if (!k || k > n || (k == 2 && s[0] < 0xc2)) return 0;
    for (size_t i = 1; i < k; i++)
        if ((s[i] & 0xc0) != 0x80) return 0;
    if (k == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0))) return 0; /* overlong, surrogate */
    if (k == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || s[0] > 0xf4 || (s[0] == 0xf4 && s[1] >= 0x90))) return 0;
    return k;
}

static int check_text(const char *path, const char *text, size_t len, reel_err *e)
{
    int line = 1;
    for (size_t i = 0; i < len;) {
        const unsigned char *p = (const unsigned char *)text + i;
        if (!*p) return reel_errf(e, REEL_EINVAL, "%s:%d: a NUL byte: this is not a text file", path, line);
        size_t k = utf8_seq(p, len - i);
        if (!k)
            return reel_errf(e, REEL_EINVAL, "%s:%d: byte 0x%02x is not UTF-8 text (save the screenplay as UTF-8)",
                             path, line, *p);
        line += *p == '\n' || (*p == '\r' && (i + 1 == len || text[i + 1] != '\n'));
        i += k;
    }
    return 0;
}

/* Where the last occurrence of the two-byte mark m starts in text, or -1. */
static long last_mark(const char *text, size_t len, const char *m)
{
    for (size_t i = len; i >= 2; i--)
        if (text[i - 2] == m[0] && text[i - 1] == m[1]) return (long)(i - 2);
    return -1;
}

typedef struct splitter {
    ftn_lines *out;
    int cap;
    size_t at;        /* write position in out->buf */
    size_t start;     /* where the current line starts in out->buf */
    int no, removed;  /* the current line's number; whether a removal touched it */
} splitter;

static int is_space_only(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t') return 0;
    return 1;
}

static int end_line(splitter *sp)
{
    ftn_lines *o = sp->out;
    char *s = o->buf + sp->start;
    size_t n = sp->at - sp->start;
    if (sp->removed && is_space_only(s, n)) sp->at = sp->start; /* emptied by a note: not a blank line */
    else {
        if (o->n == sp->cap) {
            int cap = sp->cap ? 2 * sp->cap : 256;
            ftn_line *l = realloc(o->l, (size_t)cap * sizeof *l);
            if (!l) return -1;
            o->l = l, sp->cap = cap;
        }
        o->buf[sp->at++] = 0; /* in place of the line end: buf never outgrows the text */
        o->l[o->n++] = (ftn_line){.s = s, .no = sp->no};
    }
    sp->start = sp->at, sp->removed = 0, sp->no++;
    return 0;
}

int ftn_lines_split(const char *path, const char *text, size_t len, ftn_lines *out, reel_err *e)
{
    memset(out, 0, sizeof *out);
    int rc = check_text(path, text, len, e);
    if (rc) return rc;
    if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) text += 3, len -= 3;
    long bone_end = last_mark(text, len, "*/"), note_end = last_mark(text, len, "]]");
    splitter sp = {.out = out, .no = 1};
    if (!(out->buf = malloc(len + 2))) return reel_errf(e, REEL_ENOMEM, "out of memory");
    const char *close = NULL; /* inside a boneyard or note: its closing mark */
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < len && text[i + 1] == '\n') i++;
            if (end_line(&sp)) goto oom;
            sp.removed = close != NULL; /* a line inside a boneyard or note is not a blank line */
            continue;
        }
        if (close) {
            if (c == close[0] && i + 1 < len && text[i + 1] == close[1]) close = NULL, i++;
            continue;
        }
        if (c == '/' && i + 1 < len && text[i + 1] == '*' && bone_end > (long)i + 1) close = "*/", sp.removed = 1, i++;
        else if (c == '[' && i + 1 < len && text[i + 1] == '[' && note_end > (long)i + 1) close = "]]", sp.removed = 1, i++;
        else out->buf[sp.at++] = c;
        if (close) sp.removed = 1;
    }
    if ((sp.at > sp.start || sp.removed) && end_line(&sp)) goto oom;
    return 0;
oom:
    ftn_lines_free(out);
    return reel_errf(e, REEL_ENOMEM, "out of memory");
}

void ftn_lines_free(ftn_lines *ls)
{
    free(ls->l), free(ls->buf);
    memset(ls, 0, sizeof *ls);
}

/* Length of the run of c starting at s[i]. */
static size_t run_of(const char *s, size_t n, size_t i, char c)
{
    size_t k = 0;
    while (i + k < n && s[i + k] == c) k++;
    return k;
}

/* Mark in drop[] the emphasis markers of s: a run of 1 to 3 stars (or one underscore) closed by the
 * same run later on the line. Escaped markers (\* \_) are never markers. */
static void mark_emphasis(const char *s, size_t n, char *drop)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\') {
            i++;
            continue;
        }
        if (drop[i] || (s[i] != '*' && s[i] != '_')) continue;
        size_t k = s[i] == '_' ? 1 : run_of(s, n, i, '*');
        if (k > 3) {
            i += k - 1;
            continue;
        }
        for (size_t j = i + k; j < n; j++) {
            if (s[j] == '\\') {
                j++;
                continue;
            }
            if (s[j] == s[i] && (s[i] == '_' || run_of(s, n, j, '*') == k) && !drop[j]) {
                memset(drop + i, 1, k), memset(drop + j, 1, k);
                break;
            }
            if (s[j] == '*') j += run_of(s, n, j, '*') - 1;
        }
        i += k - 1;
    }
}

char *ftn_plain(const char *s, size_t n)
{
    char *o = malloc(n + 1), *drop = calloc(n + 1, 1);
    if (!o || !drop) {
        free(o), free(drop);
        return NULL;
    }
    size_t line = 0, w = 0;
    for (size_t i = 0; i <= n; i++)
        if (i == n || s[i] == '\n') mark_emphasis(s + line, i - line, drop + line), line = i + 1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '*' || s[i + 1] == '_')) continue; /* the escape itself */
        if (!drop[i]) o[w++] = s[i];
    }
    o[w] = 0;
    free(drop);
    return o;
}
