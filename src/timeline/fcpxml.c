/* FCPXML 1.9, the interchange Final Cut Pro and Resolve import (nle.h).
 *
 * Written: resources (the sequence's format with its frameDuration, one asset per source file with
 * a media-rep of the file's URL, its start timecode and length, and the Cross Dissolve effect when
 * the cut has dissolves), then library > event > project > sequence > spine. Every time is a
 * rational number of seconds on the sequence's frame grid ("1001/24000s" steps at 23.976). Items
 * are asset-clips (picture and sound together), black is a gap, a dissolve is a transition centred
 * on the cut. The sequence starts at 01:00:00:00 (tcStart) with tcFormat DF or NDF. */
#include "timeline/nle.h"
#include "util/fsutil.h"
#include "util/strbuf.h"
#include "util/xml.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DISSOLVE_UID "FxPlug:4731E73A-8DAC-4113-9A30-AE85B1761265"

/* frames at the sequence rate as FCPXML time: "N/Ds", or "Ns" when whole. */
static void ftime(const reel_nle_seq *s, int64_t f, char out[48])
{
    long long n = (long long)f * s->fps.den, d = s->fps.num;
    if (n % d == 0) snprintf(out, 48, "%llds", n / d);
    else snprintf(out, 48, "%lld/%llds", n, d);
}

static void format_name(const reel_nle_seq *s, char *out, size_t cap)
{
    static const struct { int num, den; const char *code; } r[] = {
        {24000, 1001, "2398"}, {24, 1, "24"}, {25, 1, "25"}, {30000, 1001, "2997"}, {30, 1, "30"},
        {50, 1, "50"}, {60000, 1001, "5994"}, {60, 1, "60"}};
    out[0] = 0;
    for (size_t k = 0; k < sizeof r / sizeof r[0]; k++)
        if (s->fps.num == r[k].num && s->fps.den == r[k].den && (s->height == 720 || s->height == 1080 || s->height == 2160))
            snprintf(out, cap, " name=\"FFVideoFormat%dp%s\"", s->height, r[k].code);
}

static int first_use(const reel_nle_seq *s, int i)
{
    for (int k = 0; k < i; k++)
        if (!s->tl.items[k].black && !strcmp(s->tl.items[k].path, s->tl.items[i].path)) return k;
    return i;
}

static void asset(reel_strbuf *b, const reel_nle_seq *s, const reel_nle_event *ev, int i)
{
    const reel_nle_src *src = s->src ? &s->src[i] : &(reel_nle_src){.has_video = 1};
    char url[8192], st[48], du[48];
    reel_nle_url(url, sizeof url, s->tl.items[i].path);
    ftime(s, src->tc_frame, st);
    ftime(s, src->duration > 0 ? llround(src->duration * s->fps.num / s->fps.den) : ev[i].src_out, du);
    reel_sb_printf(b, "    <asset id=\"a%d\" name=\"", i + 1);
    xml_escape(b, reel_basename(s->tl.items[i].path));
    reel_sb_printf(b, "\" start=\"%s\" duration=\"%s\" hasVideo=\"%d\" format=\"r1\"", st, du, src->has_video);
    if (src->has_audio)
        reel_sb_printf(b, " hasAudio=\"1\" audioSources=\"1\" audioChannels=\"%d\" audioRate=\"%d\"", src->channels,
                       src->sample_rate);
    reel_sb_add(b, ">\n      <media-rep kind=\"original-media\" src=\"");
    xml_escape(b, url);
    reel_sb_add(b, "\"/>\n    </asset>\n");
}

static void resources(reel_strbuf *b, const reel_nle_seq *s, const reel_nle_event *ev)
{
    char fd[48], nm[64];
    ftime(s, 1, fd);
    format_name(s, nm, sizeof nm);
    reel_sb_printf(b, "  <resources>\n    <format id=\"r1\"%s frameDuration=\"%s\" width=\"%d\" height=\"%d\" "
                      "colorSpace=\"1-1-1 (Rec. 709)\"/>\n", nm, fd, s->width, s->height);
    int dissolves = 0;
    for (int i = 0; i < s->tl.n; i++) {
        dissolves |= ev[i].dis > 0;
        if (!s->tl.items[i].black && first_use(s, i) == i) asset(b, s, ev, i);
    }
    if (dissolves) reel_sb_add(b, "    <effect id=\"r2\" name=\"Cross Dissolve\" uid=\"" DISSOLVE_UID "\"/>\n");
    reel_sb_add(b, "  </resources>\n");
}

static void spine_item(reel_strbuf *b, const reel_nle_seq *s, const reel_nle_event *ev, int i, int64_t rec0)
{
    char off[48], st[48], du[48], tr[48], td[48];
    const reel_tl_item *it = &s->tl.items[i];
    if (ev[i].dis) {
        ftime(s, rec0 + ev[i].rec_in - ev[i].dis_a, tr), ftime(s, ev[i].dis, td);
        reel_sb_printf(b, "            <transition name=\"Cross Dissolve\" offset=\"%s\" duration=\"%s\">\n"
                          "              <filter-video ref=\"r2\" name=\"Cross Dissolve\"/>\n"
                          "            </transition>\n", tr, td);
    }
    ftime(s, rec0 + ev[i].rec_in, off);
    ftime(s, ev[i].rec_out - ev[i].rec_in, du);
    if (it->black) {
        ftime(s, rec0, st);
        reel_sb_printf(b, "            <gap name=\"Gap\" offset=\"%s\" start=\"%s\" duration=\"%s\"/>\n", off, st, du);
        return;
    }
    ftime(s, (s->src ? s->src[i].tc_frame : 0) + ev[i].vis_in, st);
    reel_sb_printf(b, "            <asset-clip ref=\"a%d\" offset=\"%s\" name=\"", first_use(s, i) + 1, off);
    xml_escape(b, it->name);
    reel_sb_printf(b, "\" start=\"%s\" duration=\"%s\" format=\"r1\" tcFormat=\"%s\"/>\n", st, du, s->drop ? "DF" : "NDF");
}

/* The sequence's audioRate: one of the rates FCPXML names, the nearest at or above. */
static const char *audio_rate(int hz)
{
    static const struct { int hz; const char *name; } r[] = {{32000, "32k"}, {44100, "44.1k"}, {48000, "48k"},
                                                           {88200, "88.2k"}, {96000, "96k"}, {176400, "176.4k"}};
    for (size_t k = 0; k < sizeof r / sizeof r[0]; k++)
        if (hz <= r[k].hz) return r[k].name;
    return "192k";
}

char *reel_fcpxml_write(const reel_nle_seq *s, reel_err *e)
{
    reel_nle_event *ev;
    if (reel_nle_layout(s, &ev, e)) return NULL;
    reel_strbuf b;
    reel_sb_init(&b);
    int64_t rec0 = reel_nle_rec_start(s);
    char tc0[48], dur[48];
    ftime(s, rec0, tc0);
    ftime(s, s->tl.n ? ev[s->tl.n - 1].rec_out : 0, dur);
    reel_sb_add(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE fcpxml>\n<fcpxml version=\"1.9\">\n");
    resources(&b, s, ev);
    reel_sb_add(&b, "  <library>\n    <event name=\"reel\">\n      <project name=\"");
    xml_escape(&b, s->title[0] ? s->title : "reel cut");
    reel_sb_printf(&b, "\">\n        <sequence format=\"r1\" duration=\"%s\" tcStart=\"%s\" tcFormat=\"%s\" "
                       "audioLayout=\"%s\" audioRate=\"%s\">\n          <spine>\n", dur, tc0, s->drop ? "DF" : "NDF",
                   s->channels == 1 ? "mono" : s->channels > 2 ? "surround" : "stereo", audio_rate(s->sample_rate));
    for (int i = 0; i < s->tl.n; i++) spine_item(&b, s, ev, i, rec0);
    reel_sb_add(&b, "          </spine>\n        </sequence>\n      </project>\n    </event>\n  </library>\n</fcpxml>\n");
    free(ev);
    if (b.oom) {
        reel_sb_free(&b);
        reel_errf(e, REEL_ENOMEM, "out of memory");
        return NULL;
    }
    return b.s;
}

/* ---- reading ---- */

typedef struct xr {
    const char *name;
    const char *const *dirs;
    int nd;
    reel_nle_seq *s;
    const xml_node *res;
    reel_err *e;
} xr;

/* "N/Ds" or "Ns" (N may have a decimal part) as frames at the sequence rate; -1 when malformed. */
static int64_t xtime(const reel_nle_seq *s, const char *t)
{
    char *end;
    if (!t) return -1;
    double n = strtod(t, &end), d = 1;
    if (*end == '/') d = strtod(end + 1, &end);
    if (strcmp(end, "s") || !(d > 0) || !isfinite(n) || fabs(n / d) > 1e9) return -1;
    return llround(n / d * s->fps.num / s->fps.den);
}

static const xml_node *by_id(const xml_node *res, const char *id)
{
    for (int k = 0; id && k < res->n_kid; k++)
        if (xml_attr(res->kid[k], "id") && !strcmp(xml_attr(res->kid[k], "id"), id)) return res->kid[k];
    return NULL;
}

static int read_rate(xr *r, const xml_node *seq)
{
    const xml_node *f = by_id(r->res, xml_attr(seq, "format"));
    const char *fd = xml_attr(f, "frameDuration");
    long long n = 0, d = 0;
    if (!fd || sscanf(fd, "%lld/%llds", &n, &d) != 2 || n <= 0 || d <= 0 || d > 10000000 || n > d)
        return reel_errf(r->e, REEL_EINVAL, "%s:%d: the sequence's format has no frameDuration N/Ds", r->name, seq->line);
    r->s->fps = (reel_rational){(int)d, (int)n};
    if (n == 1001) r->s->fps = (reel_rational){(int)d, 1001};
    else if (d % n == 0) r->s->fps = (reel_rational){(int)(d / n), 1};
    const char *tf = xml_attr(seq, "tcFormat");
    r->s->drop = tf && !strcmp(tf, "DF");
    r->s->width = atoi(xml_attr(f, "width") ? xml_attr(f, "width") : "0");
    r->s->height = atoi(xml_attr(f, "height") ? xml_attr(f, "height") : "0");
    return 0;
}

static int clip(xr *r, const xml_node *c, const int64_t tr[2])
{
    reel_nle_seq *s = r->s;
    reel_tl_item it = {0};
    reel_nle_src src = {.has_video = 1};
    int64_t off = xtime(s, xml_attr(c, "offset")), st = xtime(s, xml_attr(c, "start")), du = xtime(s, xml_attr(c, "duration"));
    if (!xml_attr(c, "start")) st = 0;
    if (off < 0 || st < 0 || du <= 0)
        return reel_errf(r->e, REEL_EINVAL, "%s:%d: <%s> needs an offset and a positive duration", r->name, c->line, c->name);
    if (!strcmp(c->name, "gap")) {
        it.black = 1, st = 0;
        snprintf(it.name, sizeof it.name, "black");
    } else {
        const xml_node *a = by_id(r->res, xml_attr(c, "ref"));
        const char *url = xml_attr(xml_child(a, "media-rep"), "src");
        if (!url) url = xml_attr(a, "src"); /* FCPXML before 1.9 */
        if (!url) return reel_errf(r->e, REEL_EINVAL, "%s:%d: the asset-clip's ref names no asset with a media-rep", r->name, c->line);
        int rc = reel_nle_resolve(r->name, url, r->dirs, r->nd, it.path, sizeof it.path, r->e);
        if (rc) return rc;
        int64_t a0 = xtime(s, xml_attr(a, "start"));
        src.tc_frame = a0 > 0 ? a0 : 0;
        src.has_audio = xml_attr(a, "hasAudio") && atoi(xml_attr(a, "hasAudio"));
        snprintf(it.name, sizeof it.name, "%s", xml_attr(c, "name") ? xml_attr(c, "name") : reel_basename(it.path));
    }
    reel_nle_event ev = {.vis_in = st - src.tc_frame, .vis_out = st - src.tc_frame + du};
    if (tr[1] > 0) ev.dis = tr[1], ev.dis_a = off - tr[0];
    if (ev.vis_in < 0 || (ev.dis && (ev.dis_a < 0 || ev.dis_a > ev.dis || ev.vis_in - ev.dis_a < 0)))
        return reel_errf(r->e, REEL_EINVAL, "%s:%d: the clip starts before its media, or its transition misses the cut", r->name, c->line);
    return reel_nle_add_event(s, &it, &ev, &src) ? reel_errf(r->e, REEL_ENOMEM, "out of memory") : 0;
}

static int read_spine(xr *r, const xml_node *spine)
{
    int64_t tr[2] = {-1, -1}; /* pending transition: offset, duration */
    for (int k = 0; k < spine->n_kid; k++) {
        const xml_node *c = spine->kid[k];
        int rc = 0;
        if (!strcmp(c->name, "transition")) {
            tr[0] = xtime(r->s, xml_attr(c, "offset")), tr[1] = xtime(r->s, xml_attr(c, "duration"));
            if (tr[0] < 0 || tr[1] <= 0) rc = reel_errf(r->e, REEL_EINVAL, "%s:%d: a transition needs an offset and a duration", r->name, c->line);
            if (!r->s->tl.n) tr[0] = tr[1] = -1; /* a fade in from nothing */
        } else if (!strcmp(c->name, "asset-clip") || !strcmp(c->name, "gap")) {
            rc = clip(r, c, tr);
            tr[0] = tr[1] = -1;
        } else {
            rc = reel_errf(r->e, REEL_EINVAL, "%s:%d: <%s> in the spine is not read (asset-clip, gap and transition are)",
                           r->name, c->line, c->name);
        }
        if (rc) return rc;
    }
    return r->s->tl.n ? 0 : reel_errf(r->e, REEL_EINVAL, "%s:%d: the spine has no clips", r->name, spine->line);
}

static const xml_node *find_el(const xml_node *n, const char *name)
{
    if (!strcmp(n->name, name)) return n;
    for (int k = 0; k < n->n_kid; k++) {
        const xml_node *s = find_el(n->kid[k], name);
        if (s) return s;
    }
    return NULL;
}

int reel_fcpxml_parse(const char *name, const char *text, size_t len, const char *const *dirs, int nd,
                      reel_nle_seq *s, reel_err *e)
{
    xml_node *root;
    int rc = xml_parse(name, text, len, &root, e);
    if (rc) return rc;
    xr r = {.name = name, .dirs = dirs, .nd = nd, .s = s, .e = e, .res = xml_child(root, "resources")};
    const xml_node *seq = strcmp(root->name, "fcpxml") ? NULL : find_el(root, "sequence");
    const xml_node *spine = xml_child(seq, "spine");
    if (!seq || !r.res || !spine)
        rc = reel_errf(e, REEL_EINVAL, "%s: not an FCPXML project (no <fcpxml> with resources and a sequence spine)", name);
    if (!rc) rc = read_rate(&r, seq);
    if (!rc) rc = read_spine(&r, spine);
    if (!rc) {
        const xml_node *p = find_el(root, "project");
        const char *ar = xml_attr(seq, "audioRate"), *al = xml_attr(seq, "audioLayout");
        snprintf(s->title, sizeof s->title, "%s", p && xml_attr(p, "name") ? xml_attr(p, "name") : "");
        s->sample_rate = ar ? (int)lround(atof(ar) * 1000) : 0;
        s->channels = al && !strcmp(al, "mono") ? 1 : al && !strcmp(al, "surround") ? 6 : 2;
    }
    xml_free(root);
    return rc;
}
