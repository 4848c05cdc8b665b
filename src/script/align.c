/* Script words against heard words: normalised words, then an edit-distance alignment with
 * adjacent transpositions (the optimal string alignment distance over words), traced back into
 * steps. Words are interned to integers first, so the n x m table compares integers. */
#include "script/align.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int push(reel_words *out, const char *s, size_t n)
{
    char **w = realloc(out->w, (size_t)(out->n + 1) * sizeof *w);
    if (!w) return REEL_ENOMEM;
    out->w = w;
    if (!(w[out->n] = malloc(n + 1))) return REEL_ENOMEM;
    for (size_t i = 0; i < n; i++) w[out->n][i] = (char)tolower((unsigned char)s[i]);
    w[out->n++][n] = 0;
    return 0;
}

static int push_str(reel_words *out, const char *s) { return push(out, s, strlen(s)); }

/* A whole number 0..999 as the words a speaker says. */
static int push_number(reel_words *out, int v)
{
    static const char *const ones[] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                                       "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                                       "seventeen", "eighteen", "nineteen"};
    static const char *const tens[] = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
    int rc = 0;
    if (v >= 100) {
        rc = push_str(out, ones[v / 100]);
        if (!rc) rc = push_str(out, "hundred");
        if (rc || !(v %= 100)) return rc;
    }
    if (v < 20) return push_str(out, ones[v]);
    rc = push_str(out, tens[v / 10]);
    return rc || !(v % 10) ? rc : push_str(out, ones[v % 10]);
}

/* Spellings a recogniser and a script may disagree on, folded to one: (mr, mister), ... */
static const char *canonical(const char *s, size_t n)
{
    static const char *const pairs[][2] = {{"mister", "mr"}, {"missus", "mrs"}, {"doctor", "dr"}, {"okay", "ok"}};
    for (size_t k = 0; k < sizeof pairs / sizeof *pairs; k++)
        if (strlen(pairs[k][0]) == n && !strncasecmp(s, pairs[k][0], n)) return pairs[k][1];
    return NULL;
}

static int word_byte(unsigned char c) { return isalnum(c) || c >= 0x80; }

int reel_words_split(const char *text, reel_words *out)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; s[i];) {
        if (!word_byte(s[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (word_byte(s[j]) || (s[j] == '\'' && word_byte(s[j + 1]))) j++; /* don't, rock'n'roll */
        size_t n = j - i;
        int digits = n <= 3 && (n == 1 || s[i] != '0');
        for (size_t k = i; digits && k < j; k++) digits = isdigit(s[k]);
        const char *c = canonical((const char *)s + i, n);
        int rc = digits ? push_number(out, atoi((const char *)s + i)) : c ? push_str(out, c) : push(out, (const char *)s + i, n);
        if (rc) return rc;
        i = j;
    }
    return 0;
}

void reel_words_free(reel_words *w)
{
    for (int i = 0; i < w->n; i++) free(w->w[i]);
    free(w->w);
    w->w = NULL, w->n = 0;
}

typedef struct ref {
    const char *w;
    int *slot;
} ref;

static int by_word(const void *a, const void *b) { return strcmp(((const ref *)a)->w, ((const ref *)b)->w); }

/* Equal words get equal ids: ids[0..n) for a, then ids[n..n+m) for b. */
static int intern(const reel_words *a, const reel_words *b, int *ids)
{
    size_t n = (size_t)a->n + (size_t)b->n;
    ref *r = malloc((n ? n : 1) * sizeof *r);
    if (!r) return REEL_ENOMEM;
    for (int i = 0; i < a->n; i++) r[i] = (ref){a->w[i], &ids[i]};
    for (int j = 0; j < b->n; j++) r[a->n + j] = (ref){b->w[j], &ids[a->n + j]};
    qsort(r, n, sizeof *r, by_word);
    for (size_t k = 0, id = 0; k < n; k++) {
        if (k && strcmp(r[k].w, r[k - 1].w)) id++;
        *r[k].slot = (int)id;
    }
    free(r);
    return 0;
}

typedef struct table {
    const int *s, *h; /* word ids */
    int n, m;
    uint8_t *op;      /* (n+1) x (m+1) back-pointers */
    int64_t w;        /* the cost of one edit: n + 1, so fewer edits always win, then more words said */
    int64_t *row[3];  /* costs of rows i-2, i-1, i: edits * w - script words said */
} table;

/* Fill row i of the table (costs and back-pointers). Among alignments with the fewest edits the
 * one with the most script words said wins; ties left: match, swap, substitution, miss, extra. */
static void fill_row(table *t, int i)
{
    int64_t *c = t->row[2], *up = t->row[1], *up2 = t->row[0], w = t->w;
    uint8_t *op = t->op + (size_t)i * (size_t)(t->m + 1);
    c[0] = i * w, op[0] = REEL_ALN_MISS;
    for (int j = 1; j <= t->m; j++) {
        int same = t->s[i - 1] == t->h[j - 1];
        int64_t best = up[j - 1] + (same ? -1 : w);
        uint8_t how = same ? REEL_ALN_MATCH : REEL_ALN_SUB;
        if (i >= 2 && j >= 2 && !same && t->s[i - 1] == t->h[j - 2] && t->s[i - 2] == t->h[j - 1] &&
            up2[j - 2] + w - 2 < best)
            best = up2[j - 2] + w - 2, how = REEL_ALN_SWAP;
        if (up[j] + w < best) best = up[j] + w, how = REEL_ALN_MISS;
        if (c[j - 1] + w < best) best = c[j - 1] + w, how = REEL_ALN_EXTRA;
        c[j] = best, op[j] = how;
    }
}

/* Walk the back-pointers from (n, m) to (0, 0) into a->steps, in order. */
static int trace(const table *t, reel_alignment *a)
{
    a->steps = malloc((size_t)(t->n + t->m + 1) * sizeof *a->steps);
    if (!a->steps) return REEL_ENOMEM;
    int i = t->n, j = t->m, k = 0;
    while (i > 0 || j > 0) {
        uint8_t how = i == 0 ? REEL_ALN_EXTRA : t->op[(size_t)i * (size_t)(t->m + 1) + (size_t)j];
        reel_aln_step st = {how, -1, -1};
        if (how == REEL_ALN_SWAP) st.s = i - 2, st.h = j - 2, i -= 2, j -= 2, a->swap++;
        else if (how == REEL_ALN_MATCH || how == REEL_ALN_SUB) st.s = --i, st.h = --j, how == REEL_ALN_MATCH ? a->match++ : a->sub++;
        else if (how == REEL_ALN_MISS) st.s = --i, a->miss++;
        else st.h = --j, a->extra++;
        a->steps[k++] = st;
    }
    for (int x = 0; x < k / 2; x++) {
        reel_aln_step tmp = a->steps[x];
        a->steps[x] = a->steps[k - 1 - x], a->steps[k - 1 - x] = tmp;
    }
    a->n = k;
    return 0;
}

int reel_align_words(const reel_words *script, const reel_words *heard, reel_alignment *a, reel_err *e)
{
    memset(a, 0, sizeof *a);
    int n = script->n, m = heard->n;
    if ((double)n * m > 64e6)
        return reel_errf(e, REEL_EINVAL, "%d script words against %d heard: too long to align at once (align "
                         "scene by scene)", n, m);
    table t = {.n = n, .m = m, .w = (int64_t)n + 1};
    int *ids = malloc(((size_t)n + (size_t)m + 1) * sizeof *ids);
    t.op = malloc(((size_t)n + 1) * ((size_t)m + 1));
    for (int r = 0; r < 3; r++) t.row[r] = malloc(((size_t)m + 1) * sizeof(int64_t));
    int rc = ids && t.op && t.row[0] && t.row[1] && t.row[2] ? intern(script, heard, ids) : REEL_ENOMEM;
    if (!rc) {
        t.s = ids, t.h = ids + n;
        for (int j = 0; j <= m; j++) t.row[2][j] = j * t.w, t.op[j] = REEL_ALN_EXTRA;
        for (int i = 1; i <= n; i++) {
            int64_t *old = t.row[0];
            t.row[0] = t.row[1], t.row[1] = t.row[2], t.row[2] = old;
            fill_row(&t, i);
        }
        rc = trace(&t, a);
    }
    free(ids), free(t.op);
    for (int r = 0; r < 3; r++) free(t.row[r]);
    if (rc) {
        reel_alignment_free(a);
        return reel_errf(e, rc, "out of memory aligning %d words against %d", n, m);
    }
    a->accuracy = n ? (double)(a->match + 2 * a->swap) / n : m ? 0 : 1;
    return 0;
}

void reel_alignment_free(reel_alignment *a)
{
    free(a->steps);
    memset(a, 0, sizeof *a);
}
