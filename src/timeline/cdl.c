/* ASC CDL .cdl / .ccc reader and writer and the EDL comment lines (see cdl.h). The reader is a
 * small tag scanner over the bytes given, not a full XML parser: it tracks open elements (so an
 * element never closed, or closed by the wrong end tag, is caught with its line), skips comments,
 * processing instructions and DOCTYPE, and reads the few elements a CDL holds. */
#include "timeline/cdl.h"
#include "util/fsutil.h"
#include "util/strbuf.h"
#include "util/xml.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

/* ---- writing ---- */

/* %.6f, without "-0.000000" for values that round to zero */
static double tidy(double v)
{
    return fabs(v) < 5e-7 ? 0.0 : v;
}

static void add_triple(reel_strbuf *b, const char *ind, const char *tag, const double v[3])
{
    reel_sb_printf(b, "%s<%s>%.6f %.6f %.6f</%s>\n", ind, tag, tidy(v[0]), tidy(v[1]), tidy(v[2]),
                   tag);
}

/* One <ColorCorrection>, each line indented by ind. */
static void add_correction(reel_strbuf *b, const char *ind, const reel_cdl_entry *e)
{
    reel_sb_printf(b, "%s<ColorCorrection", ind);
    if (e->id[0]) {
        reel_sb_add(b, " id=\"");
        xml_escape(b, e->id);
        reel_sb_add(b, "\"");
    }
    reel_sb_printf(b, ">\n%s    <SOPNode>\n", ind);
    if (e->description[0]) {
        reel_sb_printf(b, "%s        <Description>", ind);
        xml_escape(b, e->description);
        reel_sb_add(b, "</Description>\n");
    }
    char in[64];
    snprintf(in, sizeof in, "%s        ", ind);
    add_triple(b, in, "Slope", e->cdl.slope);
    add_triple(b, in, "Offset", e->cdl.offset);
    add_triple(b, in, "Power", e->cdl.power);
    reel_sb_printf(b, "%s    </SOPNode>\n%s    <SatNode>\n", ind, ind);
    reel_sb_printf(b, "%s<Saturation>%.6f</Saturation>\n", in, tidy(e->cdl.sat));
    reel_sb_printf(b, "%s    </SatNode>\n%s</ColorCorrection>\n", ind, ind);
}

static char *finish_xml(reel_strbuf *b)
{
    if (!b->oom) return b->s;
    reel_sb_free(b);
    return NULL;
}

static const char xml_head[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- written by reel " REEL_VERSION " -->\n";

char *reel_cdl_to_xml(const reel_cdl_entry *e)
{
    reel_strbuf b;
    reel_sb_init(&b);
    reel_sb_add(&b, xml_head);
    reel_sb_add(&b, "<ColorDecisionList xmlns=\"urn:ASC:CDL:v1.2\">\n    <ColorDecision>\n");
    add_correction(&b, "        ", e);
    reel_sb_add(&b, "    </ColorDecision>\n</ColorDecisionList>\n");
    return finish_xml(&b);
}

char *reel_ccc_to_xml(const reel_cdl_entry *e, int n)
{
    reel_strbuf b;
    reel_sb_init(&b);
    reel_sb_add(&b, xml_head);
    reel_sb_add(&b, "<ColorCorrectionCollection xmlns=\"urn:ASC:CDL:v1.2\">\n");
    for (int i = 0; i < n; i++)
        add_correction(&b, "    ", e + i);
    reel_sb_add(&b, "</ColorCorrectionCollection>\n");
    return finish_xml(&b);
}

static int save_text(const char *path, char *xml, reel_err *err)
{
    int rc = xml ? reel_write_atomic(path, xml, strlen(xml), err)
                 : reel_errf(err, REEL_ENOMEM, "%s: out of memory", path);
    free(xml);
    return rc;
}

int reel_cdl_save(const char *path, const reel_cdl_entry *e, reel_err *err)
{
    return save_text(path, reel_cdl_to_xml(e), err);
}

int reel_ccc_save(const char *path, const reel_cdl_entry *e, int n, reel_err *err)
{
    if (n < 1) return reel_errf(err, REEL_EINVAL, "%s: no colour corrections to write", path);
    return save_text(path, reel_ccc_to_xml(e, n), err);
}

int reel_cdl_edl_comments(const reel_cdl *c, char *buf, size_t cap)
{
    size_t at = buf && cap ? strnlen(buf, cap) : 0;
    if (!buf || at == cap) buf = NULL, at = cap = 0; /* no room (or no terminator): only count */
    return snprintf(buf ? buf + at : NULL, cap - at,
                    "*ASC_SOP (%.6f %.6f %.6f)(%.6f %.6f %.6f)(%.6f %.6f %.6f)\n*ASC_SAT %.6f\n",
                    tidy(c->slope[0]), tidy(c->slope[1]), tidy(c->slope[2]), tidy(c->offset[0]),
                    tidy(c->offset[1]), tidy(c->offset[2]), tidy(c->power[0]), tidy(c->power[1]),
                    tidy(c->power[2]), tidy(c->sat));
}

/* ---- reading ---- */

typedef struct xml_open {
    const char *name; /* into the text; n bytes, namespace prefix included */
    size_t n, body;   /* body: where the element's content starts */
    int line;
} xml_open;

typedef struct cdl_parse {
    const char *name, *s;
    size_t len, i; /* the text; the scan position */
    int line;
    xml_open open[MAX_DEPTH];
    int depth;
    int cc;        /* index in open[] of the ColorCorrection being read, or -1 */
    int have_desc; /* its description was taken */
    reel_cdl_entry *v;
    int n, cap;
    reel_err *e;
} cdl_parse;

static int fail(cdl_parse *p, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(cdl_parse *p, int line, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return reel_errf(p->e, REEL_EINVAL, "%s:%d: %s", p->name, line, what);
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Move the scan position to `to`, counting lines. */
static void advance(cdl_parse *p, size_t to)
{
    const char *q = p->s + p->i, *end = p->s + to;
    while ((q = memchr(q, '\n', (size_t)(end - q))))
        p->line++, q++;
    p->i = to;
}

/* Where pat next occurs at or after from, or len. */
static size_t find(const cdl_parse *p, size_t from, const char *pat)
{
    size_t m = strlen(pat);
    for (size_t k = from; k + m <= p->len; k++)
        if (p->s[k] == pat[0] && !memcmp(p->s + k, pat, m)) return k;
    return p->len;
}

static int starts(const cdl_parse *p, const char *pat)
{
    size_t m = strlen(pat);
    return p->len - p->i >= m && !memcmp(p->s + p->i, pat, m);
}

/* Length of the XML name at s (n bytes available), 0 when none starts there. */
static size_t name_len(const char *s, size_t n)
{
    size_t k = 0;
    while (k < n) {
        unsigned char c = (unsigned char)s[k];
        int start =
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':' || c >= 0x80;
        if (!start && !(k && ((c >= '0' && c <= '9') || c == '-' || c == '.'))) break;
        k++;
    }
    return k;
}

/* The name without its namespace prefix ("a:Slope" -> "Slope"); *n its length. */
static const char *local_name(const char *name, size_t *n)
{
    const char *colon = memrchr(name, ':', *n);
    if (colon) *n -= (size_t)(colon + 1 - name), name = colon + 1;
    return name;
}

static int is_local(const char *name, size_t n, const char *lit)
{
    name = local_name(name, &n);
    return n == strlen(lit) && !memcmp(name, lit, n);
}

static int open_is(const cdl_parse *p, int k, const char *lit)
{
    return k >= 0 && is_local(p->open[k].name, p->open[k].n, lit);
}

/* Cut a UTF-8 string of n bytes (in a buffer that overflowed) back to a whole character. */
static size_t utf8_cut(const char *s, size_t n)
{
    size_t k = n;
    while (k && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
        k--;
    if (!k) return n;
    unsigned char lead = (unsigned char)s[k - 1];
    size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return n - (k - 1) < want ? k - 1 : n;
}

/* Code point cp as UTF-8 into out (up to 4 bytes); how many bytes. */
static size_t utf8_put(unsigned long cp, char *out)
{
    size_t n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    static const unsigned char lead[5] = {0, 0, 0xC0, 0xE0, 0xF0};
    for (size_t k = n - 1; k > 0; k--, cp >>= 6)
        out[k] = (char)(0x80 | (cp & 0x3F));
    out[0] = (char)(lead[n] | cp);
    return n;
}

static int digit(char c, int hex)
{
    int l = c | 0x20;
    return c >= '0' && c <= '9' ? c - '0' : hex && l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
}

/* &name; or &#N; / &#xN; at s (n bytes): the bytes it stands for into out (up to 4, *olen of
 * them); how many input bytes it took, 0 when it is not a reference we know (the & stays). */
static size_t entity(const char *s, size_t n, char *out, size_t *olen)
{
    static const char *const named[][2] = {
        {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}};
    for (size_t k = 0; k < sizeof named / sizeof *named; k++) {
        size_t m = strlen(named[k][0]);
        if (n >= m && !memcmp(s, named[k][0], m)) {
            out[0] = named[k][1][0], *olen = 1;
            return m;
        }
    }
    if (n < 3 || s[1] != '#') return 0;
    int hex = s[2] == 'x' || s[2] == 'X';
    size_t first = hex ? 3 : 2, k = first;
    unsigned long cp = 0;
    for (; k < n && k < 12 && digit(s[k], hex) >= 0; k++)
        cp = cp * (hex ? 16 : 10) + (unsigned long)digit(s[k], hex);
    if (k == first || k == n || s[k] != ';' || cp == 0 || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    *olen = utf8_put(cp, out);
    return k + 1;
}

/* XML text s[0..n) into out (cap bytes, NUL-terminated): references decoded, CRLF as LF,
 * surrounding white space dropped, cut at a character when too long. */
static void text_value(const char *s, size_t n, char *out, size_t cap)
{
    while (n && is_ws(*s))
        s++, n--;
    while (n && is_ws(s[n - 1]))
        n--;
    size_t o = 0, k = 0;
    int cut = 0;
    while (k < n && !cut) {
        char ch[4] = {s[k]};
        size_t m = 1, took = s[k] == '&' ? entity(s + k, n - k, ch, &m) : 0;
        if (s[k] == '\r' && k + 1 < n && s[k + 1] == '\n') m = 0;
        cut = o + m >= cap;
        if (!cut) memcpy(out + o, ch, m), o += m;
        k += took ? took : 1;
    }
    o = cut ? utf8_cut(out, o) : o;
    out[o] = 0;
}

/* Index of the end of the tag whose name ends at `from` ('>' outside quotes), or len. */
static size_t tag_end(const cdl_parse *p, size_t from)
{
    char quote = 0;
    for (size_t k = from; k < p->len; k++) {
        char c = p->s[k];
        if (quote)
            quote = c == quote ? 0 : quote;
        else if (c == '"' || c == '\'')
            quote = c;
        else if (c == '>')
            return k;
    }
    return p->len;
}

static size_t skip_ws(const char *a, size_t i, size_t n)
{
    while (i < n && is_ws(a[i]))
        i++;
    return i;
}

/* The attributes a[0..n) of a ColorCorrection tag: its id into the entry. */
static int read_id(cdl_parse *p, const char *a, size_t n, reel_cdl_entry *e, int line)
{
    for (size_t i = 0;;) {
        i = skip_ws(a, i, n);
        if (i == n) return 0;
        size_t k = name_len(a + i, n - i);
        const char *an = a + i;
        i = skip_ws(a, i + k, n);
        if (!k || i == n || a[i] != '=') break;
        i = skip_ws(a, i + 1, n);
        if (i == n || (a[i] != '"' && a[i] != '\'')) break;
        const char *val = a + i + 1, *q = memchr(val, a[i], n - i - 1);
        if (!q) break;
        if (k == 2 && !memcmp(an, "id", 2)) text_value(val, (size_t)(q - val), e->id, sizeof e->id);
        i = (size_t)(q - a) + 1;
    }
    return fail(p, line, "malformed attributes in <ColorCorrection> (want name=\"value\" pairs)");
}

/* Where the next number in s[i..end) starts (white space and comments skipped), or end. */
static size_t next_token(const cdl_parse *p, size_t i, size_t end)
{
    for (;;) {
        while (i < end && is_ws(p->s[i]))
            i++;
        if (end - i < 4 || memcmp(p->s + i, "<!--", 4)) return i;
        size_t k = find(p, i + 4, "-->");
        if (k + 3 > end) return i; /* not closed in here: not a number either */
        i = k + 3;
    }
}

/* The numbers in the body of open element o, up to s[end]: exactly want of them into v. */
static int numbers(cdl_parse *p, const xml_open *o, size_t end, double *v, int want)
{
    size_t wn = o->n;
    const char *what = local_name(o->name, &wn);
    int k = 0, w = (int)wn;
    for (size_t i = next_token(p, o->body, end); i < end; i = next_token(p, i, end), k++) {
        size_t j = i;
        while (j < end && !is_ws(p->s[j]))
            j++;
        char tok[48], *stop = NULL;
        snprintf(tok, sizeof tok, "%.*s", (int)(j - i < 40 ? j - i : 40), p->s + i);
        double d = j - i < 40 ? strtod(tok, &stop) : 0;
        if (!stop || *stop || stop == tok)
            return fail(p, o->line, "%.*s: \"%s\" is not a number", w, what, tok);
        if (!(fabs(d) <= 1e6))
            return fail(p, o->line, "%.*s: %s is not a finite number within +-10^6", w, what, tok);
        if (d < 0 && !is_local(o->name, o->n, "Offset"))
            return fail(p, o->line, "%.*s: %s is negative (only an offset may be)", w, what, tok);
        if (k < want) v[k] = d;
        i = j;
    }
    if (k != want)
        return fail(p, o->line, "%.*s needs exactly %d number%s, found %d", w, what, want,
                    want > 1 ? "s" : "", k);
    return 0;
}

/* The element on top of the stack ends; its content is s[body..end). */
static int close_el(cdl_parse *p, size_t end)
{
    int t = p->depth - 1;
    xml_open *o = &p->open[t];
    reel_cdl *c = p->cc >= 0 ? &p->v[p->n - 1].cdl : NULL;
    int in_sop = c && p->cc == t - 2 && open_is(p, t - 1, "SOPNode");
    int in_sat =
        c && p->cc == t - 2 && (open_is(p, t - 1, "SatNode") || open_is(p, t - 1, "SATNode"));
    int rc = 0;
    p->depth--;
    if (t == p->cc)
        p->cc = -1;
    else if (in_sop && open_is(p, t, "Slope"))
        rc = numbers(p, o, end, c->slope, 3);
    else if (in_sop && open_is(p, t, "Offset"))
        rc = numbers(p, o, end, c->offset, 3);
    else if (in_sop && open_is(p, t, "Power"))
        rc = numbers(p, o, end, c->power, 3);
    else if (in_sat && open_is(p, t, "Saturation"))
        rc = numbers(p, o, end, &c->sat, 1);
    else if (c && !p->have_desc && open_is(p, t, "Description") && (p->cc == t - 1 || in_sop)) {
        text_value(p->s + o->body, end - o->body, p->v[p->n - 1].description,
                   sizeof p->v->description);
        p->have_desc = 1;
    }
    return rc;
}

/* A ColorCorrection starts: a new entry, identity values, its id from the attributes a[0..n). */
static int new_entry(cdl_parse *p, const char *a, size_t n, int line)
{
    if (p->cc >= 0)
        return fail(p, line, "a ColorCorrection inside another (opened on line %d)",
                    p->open[p->cc].line);
    if (p->n == REEL_CDL_MAX_ENTRIES)
        return fail(p, line, "more than %d ColorCorrection elements", REEL_CDL_MAX_ENTRIES);
    if (p->n == p->cap) {
        int cap = p->cap ? 2 * p->cap : 8;
        reel_cdl_entry *v = realloc(p->v, (size_t)cap * sizeof *v);
        if (!v) return reel_errf(p->e, REEL_ENOMEM, "%s: out of memory", p->name);
        p->v = v, p->cap = cap;
    }
    reel_cdl_entry *e = &p->v[p->n++];
    memset(e, 0, sizeof *e);
    e->cdl = reel_cdl_identity;
    p->cc = p->depth, p->have_desc = 0;
    return read_id(p, a, n, e, line);
}

/* <name attributes> or <name attributes/> at the scan position. */
static int start_tag(cdl_parse *p)
{
    const char *s = p->s;
    size_t at = p->i + 1, nl = name_len(s + at, p->len - at);
    if (!nl) return fail(p, p->line, "a '<' that starts no tag (write &lt; for a literal <)");
    size_t gt = tag_end(p, at + nl);
    int line = p->line, w = (int)(nl < 64 ? nl : 64);
    if (gt == p->len) return fail(p, line, "the tag <%.*s is never closed with '>'", w, s + at);
    if (p->depth == MAX_DEPTH) return fail(p, line, "elements nested more than %d deep", MAX_DEPTH);
    int empty = s[gt - 1] == '/' && gt - 1 >= at + nl;
    int rc = is_local(s + at, nl, "ColorCorrection")
                 ? new_entry(p, s + at + nl, gt - empty - at - nl, line)
                 : 0;
    advance(p, gt + 1);
    p->open[p->depth++] = (xml_open){.name = s + at, .n = nl, .body = gt + 1, .line = line};
    return rc ? rc : empty ? close_el(p, gt + 1) : 0;
}

/* </name> at the scan position. */
static int end_tag(cdl_parse *p)
{
    const char *s = p->s;
    size_t at = p->i + 2, nl = name_len(s + at, p->len - at), k = at + nl, end = p->i;
    int w = (int)(nl < 64 ? nl : 64), line = p->line;
    while (k < p->len && is_ws(s[k]))
        k++;
    if (k == p->len) return fail(p, line, "the end tag </%.*s is never closed with '>'", w, s + at);
    if (!nl || s[k] != '>') return fail(p, line, "a malformed end tag </%.*s", w, s + at);
    if (!p->depth) return fail(p, line, "</%.*s> closes no open element", w, s + at);
    const xml_open *o = &p->open[p->depth - 1];
    if (o->n != nl || memcmp(o->name, s + at, nl))
        return fail(p, line, "</%.*s> closes <%.*s> (opened on line %d)", w, s + at,
                    (int)(o->n < 64 ? o->n : 64), o->name, o->line);
    advance(p, k + 1);
    return close_el(p, end);
}

/* Something that is skipped: from the scan position to the end of close; never closed: refused. */
static int skip(cdl_parse *p, size_t from, const char *close, const char *what)
{
    size_t k = find(p, from, close);
    if (k == p->len) return fail(p, p->line, "%s is never closed with %s", what, close);
    advance(p, k + strlen(close));
    return 0;
}

/* The markup that starts with '<' at the scan position. */
static int markup(cdl_parse *p)
{
    if (starts(p, "<!--")) return skip(p, p->i + 4, "-->", "a comment <!--");
    if (starts(p, "<?")) return skip(p, p->i + 2, "?>", "a processing instruction <?");
    if (starts(p, "<![CDATA[")) return skip(p, p->i + 9, "]]>", "a CDATA section");
    if (starts(p, "<!")) return skip(p, p->i + 2, ">", "a declaration <!");
    if (starts(p, "</")) return end_tag(p);
    return start_tag(p);
}

static int scan(cdl_parse *p)
{
    const char *z = p->len ? memchr(p->s, 0, p->len) : NULL;
    if (z) {
        advance(p, (size_t)(z - p->s));
        return fail(p, p->line, "a NUL byte: not a text file");
    }
    if (starts(p, "\xEF\xBB\xBF")) p->i = 3;
    for (int rc; p->i < p->len;) {
        const char *lt = memchr(p->s + p->i, '<', p->len - p->i);
        advance(p, lt ? (size_t)(lt - p->s) : p->len);
        if (lt && (rc = markup(p))) return rc;
    }
    if (p->depth) {
        const xml_open *o = &p->open[p->depth - 1];
        return fail(p, o->line, "<%.*s> is never closed", (int)(o->n < 64 ? o->n : 64), o->name);
    }
    if (!p->n)
        return fail(p, 1, "no ColorCorrection element anywhere: not an ASC CDL file (.cdl, .ccc)");
    return 0;
}

int reel_cdl_parse(const char *name, const char *text, size_t len, reel_cdl_entry **out, int *n,
                   reel_err *err)
{
    cdl_parse p = {.name = name, .s = text, .len = text ? len : 0, .line = 1, .cc = -1, .e = err};
    int rc = scan(&p);
    if (rc) {
        free(p.v);
        p.v = NULL, p.n = 0;
    }
    *out = p.v, *n = p.n;
    return rc;
}

int reel_cdl_load(const char *path, reel_cdl_entry **out, int *n, reel_err *err)
{
    char *text;
    size_t len;
    *out = NULL, *n = 0;
    int rc = reel_read_file(path, &text, &len, err);
    if (rc) return rc;
    rc = reel_cdl_parse(path, text, len, out, n, err);
    free(text);
    return rc;
}
