/* .cube 3D LUT reader and writer (see cube.h). */
#include "timeline/cube.h"
#include "util/fsutil.h"
#include "util/strbuf.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct cube_parse {
    const char *name;
    int line;
    reel_lut3d *l;
    size_t data, want;       /* data lines read; n^3 */
    float dmin[3], dmax[3];
    char title[256];
    reel_err *e;
} cube_parse;

static int fail(cube_parse *p, const char *fmt, const char *what)
{
    return reel_errf(p->e, REEL_EINVAL, "%s: line %d: %s%s", p->name, p->line, fmt, what ? what : "");
}

/* Up to max numbers from s into v (the whole rest of the line); how many, or -1 when something
 * else is there, or a number is NaN, infinite or over 10^6 in size (no colour value is; a float
 * could not even hold some that parse). */
static int numbers(const char *s, float *v, int max)
{
    int k = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t') s++;
        if (!*s) return k;
        char *end;
        double d = strtod(s, &end);
        if (end == s || k == max || !(fabs(d) <= 1e6) || (*end && *end != ' ' && *end != '\t')) return -1;
        v[k++] = (float)d;
        s = end;
    }
}

static int keyword(cube_parse *p, char *s)
{
    char *arg = s;
    while (*arg && !isspace((unsigned char)*arg)) arg++;
    if (*arg) *arg++ = 0;
    float v[3];
    if (p->data) return fail(p, "keyword after the table's data: ", s);
    if (!strcmp(s, "TITLE")) {
        while (*arg == ' ' || *arg == '\t') arg++;
        size_t n = strlen(arg);
        if (n >= 2 && arg[0] == '"' && arg[n - 1] == '"') arg[n - 1] = 0, arg++;
        snprintf(p->title, sizeof p->title, "%s", arg);
        return 0;
    }
    if (!strcmp(s, "LUT_1D_SIZE") || !strcmp(s, "LUT_1D_INPUT_RANGE"))
        return fail(p, "a 1D LUT: only 3D LUTs (LUT_3D_SIZE) are read", NULL);
    if (!strcmp(s, "LUT_3D_SIZE")) {
        char *end;
        long n = strtol(arg, &end, 10);
        while (*end == ' ' || *end == '\t') end++;
        if (p->l->t) return fail(p, "LUT_3D_SIZE given twice", NULL);
        if (end == arg || *end || n < REEL_LUT3D_MIN || n > REEL_LUT3D_MAX)
            return fail(p, "LUT_3D_SIZE must be a whole number from 2 to 256, not ", arg);
        if (reel_lut3d_alloc(p->l, (int)n)) return reel_errf(p->e, REEL_ENOMEM, "out of memory");
        p->want = (size_t)n * (size_t)n * (size_t)n;
        return 0;
    }
    if (!strcmp(s, "DOMAIN_MIN") || !strcmp(s, "DOMAIN_MAX")) {
        if (numbers(arg, v, 3) != 3) return fail(p, "needs three numbers: ", s);
        memcpy(!strcmp(s, "DOMAIN_MIN") ? p->dmin : p->dmax, v, sizeof v);
        return 0;
    }
    if (!strcmp(s, "LUT_3D_INPUT_RANGE")) {
        if (numbers(arg, v, 3) != 2) return fail(p, "LUT_3D_INPUT_RANGE needs two numbers (min max)", NULL);
        for (int c = 0; c < 3; c++) p->dmin[c] = v[0], p->dmax[c] = v[1];
        return 0;
    }
    return fail(p, "unknown keyword ", s);
}

static int data_line(cube_parse *p, const char *s)
{
    float v[3];
    if (!p->l->t) return fail(p, "table data before LUT_3D_SIZE", NULL);
    if (numbers(s, v, 3) != 3) return fail(p, "a table line must be three finite numbers (r g b), each within +-10^6", NULL);
    if (p->data == p->want) return fail(p, "more table lines than LUT_3D_SIZE^3", NULL);
    memcpy(p->l->t + 3 * p->data++, v, sizeof v);
    return 0;
}

static int one_line(cube_parse *p, char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = 0;
    if (!*s || *s == '#') return 0;
    char *end;
    (void)strtod(s, &end); /* a number first (nan and inf too): a table line */
    return end == s && isalpha((unsigned char)*s) ? keyword(p, s) : data_line(p, s);
}

int reel_cube_parse(const char *name, const char *text, size_t len, reel_lut3d *l, reel_err *e)
{
    cube_parse p = {.name = name, .l = l, .e = e, .dmin = {0, 0, 0}, .dmax = {1, 1, 1}};
    memset(l, 0, sizeof *l);
    char *buf = malloc(4096);
    size_t cap = 4096;
    int rc = buf ? 0 : reel_errf(e, REEL_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < len;) {
        size_t j = i;
        while (j < len && text[j] != '\n') j++;
        if (j - i + 1 > cap) {
            char *b = realloc(buf, j - i + 1);
            if (!b) {
                rc = reel_errf(e, REEL_ENOMEM, "out of memory");
                break;
            }
            buf = b, cap = j - i + 1;
        }
        memcpy(buf, text + i, j - i);
        buf[j - i] = 0;
        p.line++;
        if (memchr(buf, 0, j - i)) rc = fail(&p, "a NUL byte: not a text file", NULL);
        else rc = one_line(&p, buf);
        i = j + 1;
    }
    free(buf);
    if (!rc && !l->t) rc = reel_errf(e, REEL_EINVAL, "%s: no LUT_3D_SIZE: not a 3D .cube LUT", name);
    if (!rc && p.data != p.want)
        rc = reel_errf(e, REEL_EINVAL, "%s: %zu table lines, but LUT_3D_SIZE %d needs %zu", name, p.data, l->n, p.want);
    for (int c = 0; !rc && c < 3; c++)
        if (!(p.dmin[c] < p.dmax[c]))
            rc = reel_errf(e, REEL_EINVAL, "%s: the input domain's minimum (%g) is not under its maximum (%g)", name,
                           p.dmin[c], p.dmax[c]);
    if (rc) {
        reel_lut3d_free(l);
        return rc;
    }
    memcpy(l->title, p.title, sizeof p.title);
    memcpy(l->dmin, p.dmin, sizeof p.dmin);
    memcpy(l->dmax, p.dmax, sizeof p.dmax);
    return 0;
}

int reel_cube_load(const char *path, reel_lut3d *l, reel_err *e)
{
    char *text;
    size_t len;
    memset(l, 0, sizeof *l);
    int rc = reel_read_file(path, &text, &len, e);
    if (rc) return rc;
    rc = reel_cube_parse(path, text, len, l, e);
    free(text);
    return rc;
}

int reel_cube_save(const char *path, const reel_lut3d *l, reel_err *e)
{
    reel_strbuf b;
    reel_sb_init(&b);
    char title[sizeof l->title];
    snprintf(title, sizeof title, "%s", l->title[0] ? l->title : "reel");
    for (char *q = title; *q; q++)
        if (*q == '"' || *q == '\n' || *q == '\r') *q = '\'';
    reel_sb_printf(&b, "TITLE \"%s\"\n# written by reel %s\nLUT_3D_SIZE %d\n", title, REEL_VERSION, l->n);
    reel_sb_printf(&b, "DOMAIN_MIN %.6f %.6f %.6f\nDOMAIN_MAX %.6f %.6f %.6f\n", l->dmin[0], l->dmin[1], l->dmin[2],
                   l->dmax[0], l->dmax[1], l->dmax[2]);
    size_t n3 = (size_t)l->n * (size_t)l->n * (size_t)l->n;
    for (size_t i = 0; i < n3; i++) reel_sb_printf(&b, "%.6f %.6f %.6f\n", l->t[3 * i], l->t[3 * i + 1], l->t[3 * i + 2]);
    int rc = b.oom ? reel_errf(e, REEL_ENOMEM, "out of memory") : reel_write_atomic(path, b.s, b.len, e);
    reel_sb_free(&b);
    return rc;
}
