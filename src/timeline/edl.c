/* CMX3600 EDL reader (edl.h). */
#include "timeline/edl.h"
#include "util/fsutil.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_EVENTS 20000

typedef struct ev {
    int num, line;
    char reel[64], chan[16], trans[8];
    int dur;                      /* dissolve / wipe frames */
    int64_t s_in, s_out, r_in, r_out;
    char clip[256];               /* FROM CLIP NAME (or TO CLIP NAME for the incoming side) */
} ev;

typedef struct parser {
    const char *name;
    reel_rational fps;
    int drop;
    ev *evs;
    int n, cap;
    reel_err *e;
} parser;

static int64_t tc(parser *p, const char *s, int line, int *bad)
{
    int drop = 0;
    int64_t f = reel_tc_parse(s, p->fps, &drop);
    if (f < 0) *bad = line;
    return f;
}

/* One event line: NNN REEL CHAN TRANS [DUR] SRC_IN SRC_OUT REC_IN REC_OUT. 1 parsed, 0 not an
 * event line, <0 malformed. */
static int event_line(parser *p, const char *s, int line, ev *o)
{
    char f[10][64];
    int n = sscanf(s, "%63s %63s %63s %63s %63s %63s %63s %63s %63s %63s", f[0], f[1], f[2], f[3], f[4], f[5], f[6],
                   f[7], f[8], f[9]);
    if (n < 8 || !isdigit((unsigned char)f[0][0])) return 0;
    memset(o, 0, sizeof *o);
    o->num = atoi(f[0]), o->line = line;
    snprintf(o->reel, sizeof o->reel, "%s", f[1]);
    snprintf(o->chan, sizeof o->chan, "%s", f[2]);
    snprintf(o->trans, sizeof o->trans, "%s", f[3]);
    int k = 4;
    if (toupper((unsigned char)f[3][0]) != 'C') {
        if (n < 9) return reel_errf(p->e, REEL_EINVAL, "%s:%d: a %s transition needs a duration", p->name, line, f[3]);
        o->dur = atoi(f[4]);
        k = 5;
    }
    if (n < k + 4) return reel_errf(p->e, REEL_EINVAL, "%s:%d: an event needs four timecodes", p->name, line);
    int bad = 0;
    o->s_in = tc(p, f[k], line, &bad), o->s_out = tc(p, f[k + 1], line, &bad);
    o->r_in = tc(p, f[k + 2], line, &bad), o->r_out = tc(p, f[k + 3], line, &bad);
    if (bad) return reel_errf(p->e, REEL_EINVAL, "%s:%d: a timecode is not HH:MM:SS:FF at %d/%d fps", p->name, line,
                              p->fps.num, p->fps.den);
    if (o->s_out < o->s_in || o->r_out < o->r_in)
        return reel_errf(p->e, REEL_EINVAL, "%s:%d: an out point before its in point", p->name, line);
    return 1;
}

static int comment(parser *p, const char *s)
{
    static const char *const keys[] = {"* FROM CLIP NAME:", "* TO CLIP NAME:"};
    for (int k = 0; k < 2; k++) {
        size_t n = strlen(keys[k]);
        if (strncasecmp(s, keys[k], n) || !p->n) continue;
        const char *v = s + n;
        while (*v == ' ' || *v == '\t') v++;
        ev *o = &p->evs[p->n - 1];
        /* TO CLIP NAME names the incoming side of a dissolve pair: the last event */
        if (k == 0 && p->n >= 2 && p->evs[p->n - 2].num == o->num && !p->evs[p->n - 2].clip[0]) o = &p->evs[p->n - 2];
        snprintf(o->clip, sizeof o->clip, "%s", v);
        size_t l = strlen(o->clip);
        while (l && (o->clip[l - 1] == '\r' || o->clip[l - 1] == ' ')) o->clip[--l] = 0;
    }
    return 0;
}

static int parse(parser *p, char *text)
{
    int line = 0;
    for (char *s = text, *nl; s && *s; s = nl) {
        nl = strchr(s, '\n');
        if (nl) *nl++ = 0;
        line++;
        if (!strncasecmp(s, "FCM:", 4)) {
            p->drop = strstr(s, "NON") == NULL && strstr(s, "DROP") != NULL;
            continue;
        }
        if (s[0] == '*') {
            comment(p, s);
            continue;
        }
        if (p->n == MAX_EVENTS) return reel_errf(p->e, REEL_EINVAL, "%s: more than %d events", p->name, MAX_EVENTS);
        if (p->n == p->cap) {
            int cap = p->cap ? 2 * p->cap : 64;
            ev *n = realloc(p->evs, (size_t)cap * sizeof *n);
            if (!n) return reel_errf(p->e, REEL_ENOMEM, "out of memory");
            p->evs = n, p->cap = cap;
        }
        int rc = event_line(p, s, line, &p->evs[p->n]);
        if (rc < 0) return rc;
        if (rc) p->n++;
    }
    return p->n ? 0 : reel_errf(p->e, REEL_EINVAL, "%s: no events (not a CMX3600 EDL?)", p->name);
}

static int is_video(const ev *v)
{
    return strchr(v->chan, 'V') || strchr(v->chan, 'v') || !strcasecmp(v->chan, "B");
}

static int is_black(const char *reel)
{
    return !strcasecmp(reel, "BL") || !strcasecmp(reel, "BLK") || !strcasecmp(reel, "BLACK");
}

/* A file in dir named `name`, or whose name without extension is `name`. */
static int find_in(const char *dir, const char *name, char *out, size_t cap)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    struct dirent *de;
    int found = 0;
    size_t n = strlen(name);
    while (!found && (de = readdir(d))) {
        const char *f = de->d_name, *dot = strrchr(f, '.');
        size_t stem = dot ? (size_t)(dot - f) : strlen(f);
        if (!strcasecmp(f, name) || (stem == n && !strncasecmp(f, name, n))) {
            snprintf(out, cap, "%s/%s", dir, f);
            found = reel_file_exists(out) && !reel_is_dir(out);
        }
    }
    closedir(d);
    return found;
}

static int resolve(parser *p, const ev *v, const char *const *dirs, int nd, reel_tl_item *it)
{
    const char *want[2] = {v->clip, v->reel};
    for (int k = 0; k < 2; k++) {
        if (!want[k][0]) continue;
        char stem[256];
        snprintf(stem, sizeof stem, "%s", reel_basename(want[k]));
        for (int d = 0; d < nd; d++)
            if (find_in(dirs[d], stem, it->path, sizeof it->path)) {
                snprintf(it->name, sizeof it->name, "%s", stem);
                char *dot = strrchr(it->name, '.');
                if (dot && dot != it->name) *dot = 0;
                return 0;
            }
    }
    char where[600] = "";
    for (int d = 0; d < nd; d++) {
        strncat(where, d ? ", " : "", sizeof where - strlen(where) - 1);
        strncat(where, dirs[d], sizeof where - strlen(where) - 1);
    }
    return reel_errf(p->e, REEL_ENOTFOUND, "%s:%d: event %03d: clip '%s' (reel %s) not found in %s", p->name, v->line,
                     v->num, v->clip[0] ? v->clip : v->reel, v->reel, where);
}

/* Source timecodes count from the clip's own start timecode, when it has one. */
static void source_timecode(parser *p, reel_tl_item *it, const ev *v)
{
    reel_probe pr;
    if (reel_media_probe(it->path, &pr, NULL) || !pr.timecode[0]) return;
    int drop = 0;
    int64_t t0 = reel_tc_parse(pr.timecode, p->fps, &drop);
    if (t0 <= 0 || v->s_in < t0) return;
    double fd = (double)p->fps.den / p->fps.num;
    it->src_in -= t0 * fd, it->src_out -= t0 * fd;
}

static int build(parser *p, const char *const *dirs, int nd, reel_timeline *tl, double *start)
{
    double fd = (double)p->fps.den / p->fps.num;
    for (int i = 0; i < p->n; i++) {
        const ev *v = &p->evs[i];
        if (!is_video(v)) continue;
        /* the outgoing half of a dissolve pair: a zero-length cut with the same number */
        if (i + 1 < p->n && p->evs[i + 1].num == v->num && v->s_in == v->s_out && is_video(&p->evs[i + 1])) continue;
        reel_tl_item it = {.black = is_black(v->reel), .src_in = v->s_in * fd, .src_out = v->s_out * fd};
        if (!tl->n) *start = v->r_in * fd;
        if (!it.black) {
            int rc = resolve(p, v, dirs, nd, &it);
            if (rc) return rc;
            source_timecode(p, &it, v);
        } else {
            snprintf(it.name, sizeof it.name, "black");
        }
        if (v->dur > 0 && tl->n) { /* the outgoing clip runs on through the dissolve */
            it.dissolve = v->dur * fd;
            tl->items[tl->n - 1].src_out += it.dissolve;
        }
        if (reel_timeline_add(tl, &it)) return reel_errf(p->e, REEL_ENOMEM, "out of memory");
    }
    return tl->n ? 0 : reel_errf(p->e, REEL_EINVAL, "%s: no picture events", p->name);
}

int reel_edl_parse(const char *name, const char *text, size_t len, reel_rational fps, const char *const *dirs,
                   int n_dirs, reel_timeline *tl, reel_edl_info *info, reel_err *e)
{
    memset(tl, 0, sizeof *tl);
    if (fps.num <= 0 || fps.den <= 0) return reel_errf(e, REEL_EINVAL, "%s: no frame rate to read it at", name);
    if (memchr(text, 0, len)) return reel_errf(e, REEL_EINVAL, "%s: a NUL byte (not a text EDL)", name);
    char *copy = malloc(len + 1);
    parser p = {.name = name, .fps = fps, .e = e};
    int rc = copy ? 0 : reel_errf(e, REEL_ENOMEM, "out of memory");
    if (!rc) {
        memcpy(copy, text, len);
        copy[len] = 0;
        rc = parse(&p, copy);
    }
    double start = 0;
    if (!rc) rc = build(&p, dirs, n_dirs, tl, &start);
    if (info) info->drop = p.drop, info->record_start = start, info->events = p.n;
    if (rc) reel_timeline_free(tl);
    free(copy);
    free(p.evs);
    return rc;
}

int reel_edl_load(const char *path, reel_rational fps, const char *const *dirs, int n_dirs, reel_timeline *tl,
                  reel_edl_info *info, reel_err *e)
{
    char *text = NULL;
    size_t len = 0;
    int rc = reel_read_file(path, &text, &len, e);
    if (!rc) rc = reel_edl_parse(path, text, len, fps, dirs, n_dirs, tl, info, e);
    free(text);
    return rc;
}
