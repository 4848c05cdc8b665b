/* The XML reader (xml.h): one pass over the text with a stack of open elements. */
#include "util/xml.h"
#include "util/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define XML_MAX_DEPTH 256
#define XML_MAX_NODES 4000000

typedef struct xparse {
    const char *name, *s;
    size_t n, i;
    int line, nodes;
    xml_node *stack[XML_MAX_DEPTH + 1];
    int depth;
    xml_node *root;
    reel_err *e;
} xparse;

void xml_escape(reel_strbuf *b, const char *s)
{
    static const char *const ent[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
    for (; *s; s++) {
        const char *k = strchr("&<>\"'", *s);
        if (*s && k) reel_sb_add(b, ent[k - "&<>\"'"]);
        else reel_sb_addn(b, (unsigned char)*s < 0x20 && *s != '\t' && *s != '\n' ? " " : s, 1);
    }
}

static int fail(xparse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(xparse *p, const char *fmt, ...)
{
    char m[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    return reel_errf(p->e, REEL_EINVAL, "%s:%d: %s", p->name, p->line, m);
}

static void advance(xparse *p, size_t to)
{
    for (; p->i < to && p->i < p->n; p->i++)
        if (p->s[p->i] == '\n') p->line++;
}

static size_t find(const xparse *p, size_t from, const char *pat)
{
    size_t k = strlen(pat);
    for (size_t i = from; i + k <= p->n; i++)
        if (!memcmp(p->s + i, pat, k)) return i;
    return (size_t)-1;
}

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
static int name_char(char c)
{
    return !is_ws(c) && c && !strchr("<>/=\"'&!?", c);
}

static void utf8_put(reel_strbuf *b, unsigned long cp)
{
    char o[4];
    size_t k;
    if (cp < 0x80) o[0] = (char)cp, k = 1;
    else if (cp < 0x800) o[0] = (char)(0xC0 | cp >> 6), o[1] = (char)(0x80 | (cp & 63)), k = 2;
    else if (cp < 0x10000)
        o[0] = (char)(0xE0 | cp >> 12), o[1] = (char)(0x80 | (cp >> 6 & 63)), o[2] = (char)(0x80 | (cp & 63)), k = 3;
    else
        o[0] = (char)(0xF0 | cp >> 18), o[1] = (char)(0x80 | (cp >> 12 & 63)), o[2] = (char)(0x80 | (cp >> 6 & 63)),
        o[3] = (char)(0x80 | (cp & 63)), k = 4;
    reel_sb_addn(b, o, k);
}

/* Decode s[0..n) (text or an attribute value) into b; entity errors name the line. */
static int decode(xparse *p, const char *s, size_t n, reel_strbuf *b)
{
    static const char *const names[] = {"amp;", "lt;", "gt;", "quot;", "apos;"};
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '&') { reel_sb_addn(b, s + i, 1); continue; }
        size_t k = 0;
        for (; k < 5; k++)
            if (n - i - 1 >= strlen(names[k]) && !memcmp(s + i + 1, names[k], strlen(names[k]))) break;
        if (k < 5) {
            reel_sb_addn(b, &"&<>\"'"[k], 1);
            i += strlen(names[k]);
            continue;
        }
        char *end;
        int hex = i + 2 < n && s[i + 1] == '#' && s[i + 2] == 'x';
        unsigned long cp = i + 1 < n && s[i + 1] == '#' ? strtoul(s + i + 2 + hex, &end, hex ? 16 : 10) : 0;
        if (!cp || cp > 0x10FFFF || end >= s + n || *end != ';' || end == s + i + 2 + hex)
            return fail(p, "unknown or malformed entity '%.*s'", (int)(n - i < 12 ? n - i : 12), s + i);
        utf8_put(b, cp);
        i = (size_t)(end - s);
    }
    return b->oom ? reel_errf(p->e, REEL_ENOMEM, "out of memory") : 0;
}

static char *take(reel_strbuf *b)
{
    char *s = b->s ? b->s : strdup("");
    b->s = NULL;
    return s;
}

static int add_attr(xparse *p, xml_node *x, const char *nm, size_t nl, const char *v, size_t vl)
{
    for (int k = 0; k < x->n_attr; k++)
        if (strlen(x->attr[2 * k]) == nl && !memcmp(x->attr[2 * k], nm, nl))
            return fail(p, "attribute %.*s given twice on <%s>", (int)nl, nm, x->name);
    char **a = realloc(x->attr, (size_t)(x->n_attr + 1) * 2 * sizeof *a);
    if (!a) return reel_errf(p->e, REEL_ENOMEM, "out of memory");
    x->attr = a;
    reel_strbuf b;
    reel_sb_init(&b);
    int rc = decode(p, v, vl, &b);
    a[2 * x->n_attr] = strndup(nm, nl);
    a[2 * x->n_attr + 1] = take(&b);
    x->n_attr++;
    return rc ? rc : !a[2 * x->n_attr - 2] || !a[2 * x->n_attr - 1] ? reel_errf(p->e, REEL_ENOMEM, "out of memory") : 0;
}

/* Attributes from s[i..end) of the start tag. */
static int attrs(xparse *p, xml_node *x, size_t i, size_t end)
{
    const char *s = p->s;
    for (;;) {
        while (i < end && is_ws(s[i])) i++;
        if (i >= end) return 0;
        size_t n0 = i;
        while (i < end && name_char(s[i])) i++;
        size_t nl = i - n0;
        while (i < end && is_ws(s[i])) i++;
        if (!nl || i >= end || s[i] != '=') return fail(p, "malformed attribute in <%s>", x->name);
        for (i++; i < end && is_ws(s[i]); i++) {}
        char q = i < end ? s[i] : 0;
        const char *close = q == '"' || q == '\'' ? memchr(s + i + 1, q, end - i - 1) : NULL;
        if (!close) return fail(p, "attribute %.*s of <%s> is not quoted", (int)nl, s + n0, x->name);
        int rc = add_attr(p, x, s + n0, nl, s + i + 1, (size_t)(close - s - i - 1));
        if (rc) return rc;
        i = (size_t)(close - s) + 1;
    }
}

static int add_kid(xparse *p, xml_node *parent, xml_node *x)
{
    if (!parent) {
        if (p->root) return fail(p, "a second root element <%s>", x->name);
        p->root = x;
        return 0;
    }
    xml_node **k = realloc(parent->kid, (size_t)(parent->n_kid + 1) * sizeof *k);
    if (!k) return reel_errf(p->e, REEL_ENOMEM, "out of memory");
    parent->kid = k;
    k[parent->n_kid++] = x;
    return 0;
}

/* The end of the tag opened at p->i ('>' position), skipping quoted values. */
static size_t tag_end(const xparse *p)
{
    char q = 0;
    for (size_t i = p->i + 1; i < p->n; i++) {
        if (q) { if (p->s[i] == q) q = 0; }
        else if (p->s[i] == '"' || p->s[i] == '\'') q = p->s[i];
        else if (p->s[i] == '>') return i;
        else if (p->s[i] == '<') return (size_t)-1;
    }
    return (size_t)-1;
}

static int start_tag(xparse *p)
{
    size_t end = tag_end(p);
    if (end == (size_t)-1) return fail(p, "a tag is never closed");
    int empty = p->s[end - 1] == '/';
    size_t i = p->i + 1, n0 = i;
    while (i < end && name_char(p->s[i])) i++;
    if (i == n0) return fail(p, "a tag without a name");
    if (p->depth >= XML_MAX_DEPTH) return fail(p, "elements nested deeper than %d", XML_MAX_DEPTH);
    if (++p->nodes > XML_MAX_NODES) return fail(p, "more than %d elements", XML_MAX_NODES);
    xml_node *x = calloc(1, sizeof *x);
    if (!x || !(x->name = strndup(p->s + n0, i - n0))) {
        free(x);
        return reel_errf(p->e, REEL_ENOMEM, "out of memory");
    }
    x->line = p->line;
    int rc = add_kid(p, p->depth ? p->stack[p->depth - 1] : NULL, x);
    if (rc) { xml_free(x); return rc; }
    if ((rc = attrs(p, x, i, end - empty))) return rc;
    if (!empty) p->stack[p->depth++] = x;
    advance(p, end + 1);
    return 0;
}

static void trim(xml_node *x)
{
    if (!x->text) return;
    char *t = x->text;
    size_t a = 0, z = strlen(t);
    while (a < z && is_ws(t[a])) a++;
    while (z > a && is_ws(t[z - 1])) z--;
    memmove(t, t + a, z - a);
    t[z - a] = 0;
}

static int end_tag(xparse *p)
{
    size_t end = find(p, p->i, ">");
    if (end == (size_t)-1) return fail(p, "an end tag is never closed");
    size_t i = p->i + 2, n0 = i;
    while (i < end && name_char(p->s[i])) i++;
    const char *open = p->depth ? p->stack[p->depth - 1]->name : NULL;
    if (!open || strlen(open) != i - n0 || memcmp(open, p->s + n0, i - n0))
        return fail(p, "</%.*s> closes %s%s%s", (int)(i - n0), p->s + n0, open ? "<" : "no open element",
                    open ? open : "", open ? ">" : "");
    trim(p->stack[--p->depth]);
    advance(p, end + 1);
    return 0;
}

/* Append decoded text s[0..n) to the open element (white space outside the root is allowed). */
static int text(xparse *p, const char *s, size_t n, int raw)
{
    if (!p->depth) {
        for (size_t k = 0; k < n; k++)
            if (!is_ws(s[k])) return fail(p, "text outside the root element");
        return 0;
    }
    xml_node *x = p->stack[p->depth - 1];
    reel_strbuf b;
    reel_sb_init(&b);
    if (x->text) reel_sb_add(&b, x->text);
    int rc = raw ? (reel_sb_addn(&b, s, n), b.oom ? REEL_ENOMEM : 0) : decode(p, s, n, &b);
    free(x->text);
    x->text = take(&b);
    return rc ? rc : x->text ? 0 : reel_errf(p->e, REEL_ENOMEM, "out of memory");
}

static int skip_to(xparse *p, const char *close, const char *what)
{
    size_t k = find(p, p->i, close);
    if (k == (size_t)-1) return fail(p, "%s is never closed", what);
    advance(p, k + strlen(close));
    return 0;
}

/* <!DOCTYPE ...> with an optional [internal subset]. */
static int doctype(xparse *p)
{
    size_t k = p->i;
    int sub = 0;
    for (; k < p->n && (sub || p->s[k] != '>'); k++)
        if (p->s[k] == '[') sub = 1;
        else if (p->s[k] == ']') sub = 0;
    if (k >= p->n) return fail(p, "the DOCTYPE is never closed");
    advance(p, k + 1);
    return 0;
}

static int markup(xparse *p)
{
    const char *s = p->s + p->i;
    size_t left = p->n - p->i;
    if (left >= 4 && !memcmp(s, "<!--", 4)) return skip_to(p, "-->", "a comment");
    if (left >= 2 && s[1] == '?') return skip_to(p, "?>", "a processing instruction");
    if (left >= 9 && !memcmp(s, "<![CDATA[", 9)) {
        size_t k = find(p, p->i + 9, "]]>");
        if (k == (size_t)-1) return fail(p, "a CDATA section is never closed");
        int rc = text(p, s + 9, k - p->i - 9, 1);
        advance(p, k + 3);
        return rc;
    }
    if (left >= 9 && !memcmp(s, "<!DOCTYPE", 9)) return doctype(p);
    if (left >= 2 && s[1] == '/') return end_tag(p);
    return start_tag(p);
}

static int scan(xparse *p)
{
    if (p->n >= 3 && !memcmp(p->s, "\xEF\xBB\xBF", 3)) p->i = 3;
    if (memchr(p->s, 0, p->n)) {
        advance(p, (size_t)((const char *)memchr(p->s, 0, p->n) - p->s));
        return fail(p, "a NUL byte");
    }
    while (p->i < p->n) {
        int rc;
        if (p->s[p->i] == '<') rc = markup(p);
        else {
            size_t k = p->i;
            while (k < p->n && p->s[k] != '<') k++;
            rc = text(p, p->s + p->i, k - p->i, 0);
            advance(p, k);
        }
        if (rc) return rc;
    }
    if (p->depth) return fail(p, "<%s> is never closed", p->stack[p->depth - 1]->name);
    return p->root ? 0 : fail(p, "no root element");
}

int xml_parse(const char *name, const char *text, size_t len, xml_node **root, reel_err *e)
{
    xparse p = {.name = name, .s = text, .n = len, .line = 1, .e = e};
    int rc = scan(&p);
    if (rc) xml_free(p.root), p.root = NULL;
    *root = p.root;
    return rc;
}

void xml_free(xml_node *n)
{
    if (!n) return;
    for (int k = 0; k < n->n_kid; k++) xml_free(n->kid[k]);
    for (int k = 0; k < 2 * n->n_attr; k++) free(n->attr[k]);
    free(n->kid), free(n->attr), free(n->text), free(n->name), free(n);
}

static int name_is(const char *have, const char *want)
{
    if (!strcmp(have, want)) return 1;
    const char *c = strchr(have, ':');
    return c && !strcmp(c + 1, want);
}

const char *xml_attr(const xml_node *n, const char *name)
{
    for (int k = 0; n && k < n->n_attr; k++)
        if (name_is(n->attr[2 * k], name)) return n->attr[2 * k + 1];
    return NULL;
}

xml_node *xml_child(const xml_node *n, const char *name)
{
    for (int k = 0; n && k < n->n_kid; k++)
        if (name_is(n->kid[k]->name, name)) return n->kid[k];
    return NULL;
}

const char *xml_child_text(const xml_node *n, const char *name)
{
    xml_node *c = xml_child(n, name);
    return !c ? NULL : c->text ? c->text : "";
}
