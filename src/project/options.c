/* Typed option tables: checking values against a table, canonical text, typed accessors. */
#include "project/options.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int reel_opt_count(const reel_option *table)
{
    int n = 0;
    while (table && table[n].name) n++;
    return n;
}

const reel_option *reel_opt_find(const reel_option *table, const char *name)
{
    for (int i = 0; table && table[i].name; i++)
        if (!strcmp(table[i].name, name)) return &table[i];
    return NULL;
}

static int parse_bool(const char *t, int *out)
{
    static const char *yes[] = {"true", "yes", "on", "1"}, *no[] = {"false", "no", "off", "0"};
    for (int i = 0; i < 4; i++) {
        if (!strcasecmp(t, yes[i])) { *out = 1; return 0; }
        if (!strcasecmp(t, no[i])) { *out = 0; return 0; }
    }
    return -1;
}

static int parse_ll(const char *t, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(t, &end, 10);
    if (errno || end == t || *end) return -1;
    *out = v;
    return 0;
}

static int parse_double(const char *t, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(t, &end);
    if (errno || end == t || *end || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

int reel_parse_rational(const char *text, int *num, int *den)
{
    long long a, b;
    const char *slash = strchr(text, '/');
    if (slash) {
        char left[64];
        size_t n = (size_t)(slash - text);
        if (n == 0 || n >= sizeof left) return REEL_EINVAL;
        memcpy(left, text, n);
        left[n] = 0;
        if (parse_ll(left, &a) || parse_ll(slash + 1, &b) || a <= 0 || b <= 0 || a > 1000000 ||
            b > 1000000)
            return REEL_EINVAL;
        *num = (int)a;
        *den = (int)b;
        return 0;
    }
    double d;
    if (parse_double(text, &d) || d <= 0 || d > 1000) return REEL_EINVAL;
    /* The NTSC family is written as decimals by people: map them to their exact rationals. */
    static const struct { double v; int n, d; } ntsc[] = {
        {23.976, 24000, 1001}, {23.98, 24000, 1001}, {29.97, 30000, 1001},
        {47.952, 48000, 1001}, {59.94, 60000, 1001}, {119.88, 120000, 1001}};
    for (size_t i = 0; i < sizeof ntsc / sizeof ntsc[0]; i++)
        if (fabs(d - ntsc[i].v) < 0.006) { *num = ntsc[i].n; *den = ntsc[i].d; return 0; }
    if (fabs(d - round(d)) < 1e-9) { *num = (int)round(d); *den = 1; return 0; }
    *num = (int)round(d * 1000);
    *den = 1000;
    return 0;
}

void reel_opt_describe_type(const reel_option *o, char *buf, size_t len)
{
    switch (o->type) {
    case REEL_OPT_BOOL: snprintf(buf, len, "bool"); break;
    case REEL_OPT_INT: snprintf(buf, len, "int %.0f..%.0f", o->min, o->max); break;
    case REEL_OPT_FLOAT: snprintf(buf, len, "number %g..%g", o->min, o->max); break;
    case REEL_OPT_STRING: snprintf(buf, len, "text"); break;
    case REEL_OPT_RATIONAL: snprintf(buf, len, "rate (e.g. 25, 24000/1001, 29.97)"); break;
    case REEL_OPT_ENUM: {
        size_t n = (size_t)snprintf(buf, len, "one of: ");
        for (int i = 0; o->choices[i] && n < len; i++)
            n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "", o->choices[i]);
        break;
    }
    }
}

static int check_enum(const reel_option *o, const char *text, char **canon)
{
    for (int i = 0; o->choices[i]; i++)
        if (!strcmp(o->choices[i], text)) { *canon = strdup(text); return 0; }
    return -1;
}

int reel_opt_check(const reel_option *o, const char *text, char **canon, char *why, size_t whylen)
{
    char desc[512], buf[64];
    reel_opt_describe_type(o, desc, sizeof desc);
    *canon = NULL;
    long long iv;
    double dv;
    int bv, n, d;
    switch (o->type) {
    case REEL_OPT_BOOL:
        if (parse_bool(text, &bv)) break;
        *canon = strdup(bv ? "true" : "false");
        return *canon ? 0 : REEL_ENOMEM;
    case REEL_OPT_INT:
        if (parse_ll(text, &iv) || iv < o->min || iv > o->max) break;
        snprintf(buf, sizeof buf, "%lld", iv);
        *canon = strdup(buf);
        return *canon ? 0 : REEL_ENOMEM;
    case REEL_OPT_FLOAT:
        if (parse_double(text, &dv) || dv < o->min || dv > o->max) break;
        snprintf(buf, sizeof buf, "%.17g", dv);
        *canon = strdup(buf);
        return *canon ? 0 : REEL_ENOMEM;
    case REEL_OPT_STRING:
        *canon = strdup(text);
        return *canon ? 0 : REEL_ENOMEM;
    case REEL_OPT_RATIONAL:
        if (reel_parse_rational(text, &n, &d)) break;
        snprintf(buf, sizeof buf, "%d/%d", n, d);
        *canon = strdup(buf);
        return *canon ? 0 : REEL_ENOMEM;
    case REEL_OPT_ENUM:
        if (check_enum(o, text, canon)) break;
        return *canon ? 0 : REEL_ENOMEM;
    }
    snprintf(why, whylen, "'%s' is not valid for %s: expected %s", text, o->name, desc);
    return REEL_EINVAL;
}

int reel_opts_init(reel_opts *opts, const reel_option *table)
{
    opts->table = table;
    opts->n = reel_opt_count(table);
    opts->vals = calloc((size_t)opts->n + 1, sizeof *opts->vals);
    if (!opts->vals) return REEL_ENOMEM;
    for (int i = 0; i < opts->n; i++) {
        if (!table[i].def) continue;
        char why[256];
        if (reel_opt_check(&table[i], table[i].def, &opts->vals[i], why, sizeof why)) {
            reel_opts_free(opts);
            return REEL_EINVAL; /* a bad default is a programming error caught by the tests */
        }
    }
    return 0;
}

int reel_opts_set(reel_opts *opts, const char *name, const char *text, reel_err *e)
{
    const reel_option *o = reel_opt_find(opts->table, name);
    if (!o) return reel_errf(e, REEL_EINVAL, "unknown option '%s'", name);
    char why[768], *canon;
    int rc = reel_opt_check(o, text, &canon, why, sizeof why);
    if (rc == REEL_ENOMEM) return reel_errf(e, rc, "out of memory");
    if (rc) return reel_errf(e, REEL_EINVAL, "%s", why);
    int i = (int)(o - opts->table);
    free(opts->vals[i]);
    opts->vals[i] = canon;
    return 0;
}

void reel_opts_free(reel_opts *opts)
{
    if (!opts || !opts->vals) return;
    for (int i = 0; i < opts->n; i++) free(opts->vals[i]);
    free(opts->vals);
    opts->vals = NULL;
}

int reel_opts_copy(reel_opts *dst, const reel_opts *src)
{
    dst->table = src->table;
    dst->n = src->n;
    dst->vals = calloc((size_t)src->n + 1, sizeof *dst->vals);
    if (!dst->vals) return REEL_ENOMEM;
    for (int i = 0; i < src->n; i++)
        if (src->vals[i] && !(dst->vals[i] = strdup(src->vals[i]))) {
            reel_opts_free(dst);
            return REEL_ENOMEM;
        }
    return 0;
}

const char *reel_opts_str(const reel_opts *opts, const char *name)
{
    const reel_option *o = reel_opt_find(opts->table, name);
    return o ? opts->vals[o - opts->table] : NULL;
}

long long reel_opts_int(const reel_opts *opts, const char *name)
{
    const char *s = reel_opts_str(opts, name);
    return s ? strtoll(s, NULL, 10) : 0;
}

double reel_opts_float(const reel_opts *opts, const char *name)
{
    const char *s = reel_opts_str(opts, name);
    return s ? strtod(s, NULL) : 0.0;
}

int reel_opts_bool(const reel_opts *opts, const char *name)
{
    const char *s = reel_opts_str(opts, name);
    return s && !strcmp(s, "true");
}

char *reel_opts_canonical(const reel_opts *opts)
{
    size_t len = 1;
    for (int i = 0; i < opts->n; i++)
        len += strlen(opts->table[i].name) + (opts->vals[i] ? strlen(opts->vals[i]) : 6) + 2;
    char *s = malloc(len), *p = s;
    if (!s) return NULL;
    for (int i = 0; i < opts->n; i++)
        p += sprintf(p, "%s=%s\n", opts->table[i].name, opts->vals[i] ? opts->vals[i] : "(none)");
    *p = 0;
    return s;
}
