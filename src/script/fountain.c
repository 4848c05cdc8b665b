/* The Fountain parser's second stage: each line, or paragraph of lines, given its element type by
 * the syntax guide's rules (fountain.h). */
#include "script/fountain.h"

#include "script/fountain_int.h"
#include "util/fsutil.h"
#include "util/strbuf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

typedef struct parser {
    const ftn_lines *ls;
    reel_fountain *f;
    int i;      /* the line being classified */
    int scene;  /* the current scene's index */
    int oom;
} parser;

static int blank_at(const parser *p, int i)
{
    if (i < 0 || i >= p->ls->n) return 1;
    const char *s = p->ls->l[i].s;
    if (!strcmp(s, "  ")) return 0; /* two spaces: an intended empty line inside a paragraph */
    for (; *s; s++)
        if (*s != ' ' && *s != '\t') return 0;
    return 1;
}

/* s without leading and trailing blanks: its start, and its length in *n. */
static const char *trim(const char *s, size_t *n)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t k = strlen(s);
    while (k && (s[k - 1] == ' ' || s[k - 1] == '\t')) k--;
    *n = k;
    return s;
}

static char *dup_n(parser *p, const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (!d) {
        p->oom = 1;
        return NULL;
    }
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

/* Append an element of type t whose (unstripped) text is s[0..n) and which starts on line `no`. */
static reel_ftn_elem *add(parser *p, reel_ftn_type t, const char *s, size_t n, int no)
{
    reel_fountain *f = p->f;
    if (p->oom) return NULL;
    if (f->n == f->cap) {
        int cap = f->cap ? 2 * f->cap : 64;
        reel_ftn_elem *el = realloc(f->el, (size_t)cap * sizeof *el);
        if (!el) {
            p->oom = 1;
            return NULL;
        }
        f->el = el, f->cap = cap;
    }
    reel_ftn_elem *el = &f->el[f->n];
    memset(el, 0, sizeof *el);
    if (!(el->text = ftn_plain(s, n))) {
        p->oom = 1;
        return NULL;
    }
    el->type = t, el->line = no, el->scene = p->scene;
    f->n++;
    return el;
}

/* The trimmed lines from p->i up to the next blank line joined with \n, as one element; p->i moves
 * past them. skip: bytes to drop from the first line (a forcing mark). */
static void paragraph(parser *p, reel_ftn_type t, size_t skip)
{
    reel_strbuf b;
    reel_sb_init(&b);
    int first = p->i;
    for (; !blank_at(p, p->i); p->i++) {
        size_t n;
        const char *s = trim(p->ls->l[p->i].s + (p->i == first ? skip : 0), &n);
        if (p->i > first) reel_sb_add(&b, "\n");
        reel_sb_addn(&b, s, n);
    }
    if (b.oom) p->oom = 1;
    else add(p, t, b.s ? b.s : "", b.len, p->ls->l[first].no);
    reel_sb_free(&b);
}

static int all_upper(const char *s, size_t n)
{
    int letter = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (islower(c)) return 0;
        letter |= isupper(c) || c >= 0x80;
    }
    return letter;
}

/* The length of s's scene heading prefix (INT. and the like, with its dot or space), or 0. */
static size_t scene_prefix(const char *s, size_t n)
{
    static const char *const pre[] = {"INT./EXT", "INT/EXT", "I/E", "INT", "EXT", "EST", NULL};
    for (int k = 0; pre[k]; k++) {
        size_t m = strlen(pre[k]);
        if (n > m && !strncasecmp(s, pre[k], m) && (s[m] == '.' || s[m] == ' ')) return m + 1;
    }
    return 0;
}

/* A character cue without @: the name (before any extension and ^) is in upper case. */
static int cue_like(const char *s, size_t n)
{
    const char *paren = memchr(s, '(', n);
    size_t m = paren ? (size_t)(paren - s) : n;
    while (m && (s[m - 1] == '^' || s[m - 1] == ' ' || s[m - 1] == '\t')) m--;
    return m && all_upper(s, m);
}

static void scene_heading(parser *p, const char *s, size_t n, int no)
{
    char num[32] = "";
    if (n >= 3 && s[n - 1] == '#') { /* a scene number: #1#, #1A#, #I-1-A# */
        size_t j = n - 1;
        while (j > 0 && (isalnum((unsigned char)s[j - 1]) || s[j - 1] == '-' || s[j - 1] == '.')) j--;
        if (j > 0 && s[j - 1] == '#' && j < n - 1 && n - 1 - j < sizeof num) {
            memcpy(num, s + j, n - 1 - j), num[n - 1 - j] = 0;
            n = j - 1;
            while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
        }
    }
    p->scene = p->f->scenes++;
    reel_ftn_elem *el = add(p, REEL_FTN_SCENE, s, n, no);
    if (el) memcpy(el->number, num, sizeof num);
}

/* A character's cue at line p->i and the parentheticals and dialogue under it. */
static void character(parser *p, const char *s, size_t n)
{
    int no = p->ls->l[p->i].no, dual = 0;
    if (s[0] == '@') s++, n--;
    if (n && s[n - 1] == '^') {
        dual = 1, n--;
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    }
    size_t name_n = n;
    const char *paren = memchr(s, '(', n);
    if (paren) {
        name_n = (size_t)(paren - s);
        while (name_n && (s[name_n - 1] == ' ' || s[name_n - 1] == '\t')) name_n--;
    }
    reel_ftn_elem *el = add(p, REEL_FTN_CHARACTER, s, name_n, no);
    if (!el) return;
    el->dual = dual;
    el->name = dup_n(p, el->text, strlen(el->text));
    if (paren) el->ext = dup_n(p, paren, n - (size_t)(paren - s));
    const char *speaker = el->name;
    for (p->i++; !blank_at(p, p->i) && !p->oom;) {
        size_t m;
        const char *t = trim(p->ls->l[p->i].s, &m);
        reel_ftn_elem *d;
        if (m >= 2 && t[0] == '(' && t[m - 1] == ')') {
            d = add(p, REEL_FTN_PARENTHETICAL, t, m, p->ls->l[p->i].no);
            p->i++;
        } else { /* dialogue: to the next parenthetical or blank line */
            int first = p->i;
            reel_strbuf b;
            reel_sb_init(&b);
            for (; !blank_at(p, p->i); p->i++) {
                t = trim(p->ls->l[p->i].s, &m);
                if (p->i > first && m >= 2 && t[0] == '(' && t[m - 1] == ')') break;
                if (p->i > first) reel_sb_add(&b, "\n");
                reel_sb_addn(&b, t, m);
            }
            d = b.oom ? NULL : add(p, REEL_FTN_DIALOGUE, b.s ? b.s : "", b.len, p->ls->l[first].no);
            p->oom |= b.oom;
            reel_sb_free(&b);
        }
        if (d) d->dual = dual, d->name = speaker ? dup_n(p, speaker, strlen(speaker)) : NULL;
    }
}

/* The title page: known keys at the top, each value on its line or indented below it. */
static void title_page(parser *p)
{
    static const char *const keys[] = {"title", "credit", "author", "authors", "source", "draft date", "date",
                                       "contact", "copyright", "notes", "revision", NULL};
    while (!blank_at(p, p->i) && !p->oom) {
        const char *s = p->ls->l[p->i].s, *colon = strchr(s, ':');
        int known = 0;
        for (int k = 0; colon && keys[k] && !known; k++)
            known = (size_t)(colon - s) == strlen(keys[k]) && !strncasecmp(s, keys[k], strlen(keys[k]));
        if (!known) return;
        reel_strbuf b;
        reel_sb_init(&b);
        size_t n;
        const char *v = trim(colon + 1, &n);
        reel_sb_addn(&b, v, n);
        int no = p->ls->l[p->i].no;
        for (p->i++; !blank_at(p, p->i); p->i++) { /* indented lines continue the value */
            const char *c = p->ls->l[p->i].s;
            if (!(c[0] == '\t' || !strncmp(c, "   ", 3))) break;
            v = trim(c, &n);
            if (b.len) reel_sb_add(&b, "\n");
            reel_sb_addn(&b, v, n);
        }
        reel_ftn_elem *el = b.oom ? NULL : add(p, REEL_FTN_TITLE, b.s ? b.s : "", b.len, no);
        p->oom |= b.oom;
        if (el) el->name = dup_n(p, s, (size_t)(colon - s));
        reel_sb_free(&b);
    }
}

/* One-line marks at the start of a line: page break, section, synopsis, lyrics, centered and
 * forced transition. 1 when line p->i was one (and p->i moved past it). */
static int marked_line(parser *p, const char *t, size_t n, int no)
{
    size_t k = 0;
    if (n >= 3 && strspn(t, "=") >= n) {
        add(p, REEL_FTN_PAGE_BREAK, "", 0, no);
    } else if (t[0] == '#') {
        while (k < n && t[k] == '#') k++;
        size_t m;
        const char *s = trim(t + k, &m);
        reel_ftn_elem *el = add(p, REEL_FTN_SECTION, s, m, no);
        if (el) el->level = (int)k;
    } else if (t[0] == '=' && (n < 2 || t[1] != '=')) {
        size_t m;
        const char *s = trim(t + 1, &m);
        add(p, REEL_FTN_SYNOPSIS, s, m, no);
    } else if (t[0] == '~') {
        add(p, REEL_FTN_LYRICS, t + 1, n - 1, no);
    } else if (t[0] == '>') {
        int centered = n >= 2 && t[n - 1] == '<';
        const char *s = t + 1;
        size_t m = n - 1 - (size_t)centered;
        while (m && (*s == ' ' || *s == '\t')) s++, m--;
        while (m && (s[m - 1] == ' ' || s[m - 1] == '\t')) m--;
        add(p, centered ? REEL_FTN_CENTERED : REEL_FTN_TRANSITION, s, m, no);
    } else {
        return 0;
    }
    p->i++;
    return 1;
}

/* Classify line p->i (not blank) and move past what it starts; after_blank: a blank line (or the
 * top of the body) comes before it. */
static void classify(parser *p, int after_blank)
{
    size_t n;
    const char *t = trim(p->ls->l[p->i].s, &n);
    int no = p->ls->l[p->i].no, before_blank = blank_at(p, p->i + 1);
    if (marked_line(p, t, n, no)) return;
    if (t[0] == '!') {
        paragraph(p, REEL_FTN_ACTION, (size_t)(t - p->ls->l[p->i].s) + 1);
        return;
    }
    if (t[0] == '.' && n > 1 && t[1] != '.') {
        size_t m;
        const char *s = trim(t + 1, &m);
        scene_heading(p, s, m, no);
        p->i++;
        return;
    }
    if (after_blank && before_blank && scene_prefix(t, n)) {
        scene_heading(p, t, n, no);
        p->i++;
        return;
    }
    if (after_blank && before_blank && all_upper(t, n) && n >= 3 && !strncmp(t + n - 3, "TO:", 3)) {
        add(p, REEL_FTN_TRANSITION, t, n, no);
        p->i++;
        return;
    }
    if (after_blank && !before_blank && (t[0] == '@' ? n > 1 : cue_like(t, n))) character(p, t, n);
    else paragraph(p, REEL_FTN_ACTION, 0);
}

int reel_fountain_parse(const char *path, const char *text, size_t len, reel_fountain *f, reel_err *e)
{
    memset(f, 0, sizeof *f);
    ftn_lines ls;
    int rc = ftn_lines_split(path, text, len, &ls, e);
    if (rc) return rc;
    parser p = {.ls = &ls, .f = f, .scene = -1};
    title_page(&p);
    int after_blank = 1;
    while (p.i < ls.n && !p.oom) {
        if (blank_at(&p, p.i)) {
            p.i++, after_blank = 1;
            continue;
        }
        int before = f->n;
        classify(&p, after_blank);
        reel_ftn_type t = f->n > before ? f->el[f->n - 1].type : REEL_FTN_ACTION;
        /* a section, synopsis or page break stands apart like a blank line */
        after_blank = t == REEL_FTN_SECTION || t == REEL_FTN_SYNOPSIS || t == REEL_FTN_PAGE_BREAK;
    }
    ftn_lines_free(&ls);
    if (p.oom) {
        reel_fountain_free(f);
        return reel_errf(e, REEL_ENOMEM, "%s: out of memory", path);
    }
    return 0;
}

int reel_fountain_load(const char *path, reel_fountain *f, reel_err *e)
{
    char *text;
    size_t len;
    struct stat st;
    memset(f, 0, sizeof *f);
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > (16 << 20))
        return reel_errf(e, REEL_EINVAL, "%s: %lld bytes: over 16 MiB, too large for a screenplay", path,
                         (long long)st.st_size);
    int rc = reel_read_file(path, &text, &len, e);
    if (rc) return rc;
    rc = reel_fountain_parse(path, text, len, f, e);
    free(text);
    return rc;
}

void reel_fountain_free(reel_fountain *f)
{
    for (int i = 0; i < f->n; i++) free(f->el[i].text), free(f->el[i].name), free(f->el[i].ext);
    free(f->el);
    memset(f, 0, sizeof *f);
}

int reel_fountain_dialogue_words(const reel_fountain *f, int scene, reel_words *out)
{
    for (int i = 0; i < f->n; i++)
        if (f->el[i].type == REEL_FTN_DIALOGUE && (scene < 0 || f->el[i].scene == scene) && reel_words_split(f->el[i].text, out))
            return REEL_ENOMEM;
    return 0;
}

const char *reel_ftn_type_name(reel_ftn_type t)
{
    static const char *const names[] = {"title", "scene", "action", "character", "parenthetical", "dialogue",
                                        "lyrics", "transition", "centered", "section", "synopsis", "page_break"};
    return (unsigned)t < sizeof names / sizeof *names ? names[t] : "unknown";
}
