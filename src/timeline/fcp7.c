/* FCP7 XML (xmeml version 5), the interchange Premiere Pro and Resolve import (nle.h).
 *
 * Written: one sequence with its rate (timebase and ntsc), its timecode (01:00:00:00, DF or NDF),
 * a video track and one audio track per channel (up to 8). Each item is a clipitem with start/end
 * (record) and in/out (source) in frames, its file (pathurl, rate, duration, timecode and media)
 * defined once and referred to by id afterwards, and links joining the picture to its sound.
 * Start and end are written as frames even next to a transition (FCP itself writes -1 there; the
 * reader takes both). A dissolve is a transitionitem centred on the cut. Black is empty track. */
#include "timeline/nle.h"
#include "util/fsutil.h"
#include "util/strbuf.h"
#include "util/xml.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_AUDIO_TRACKS 8

typedef struct fw {
    reel_strbuf b;
    const reel_nle_seq *s;
    const reel_nle_event *ev;
    int n_audio;
    char *defined;     /* per item: its file has been written out in full */
} fw;

static void rate(fw *w, const char *ind)
{
    reel_sb_printf(&w->b, "%s<rate><timebase>%d</timebase><ntsc>%s</ntsc></rate>\n", ind, reel_nle_timebase(w->s),
                   reel_nle_ntsc(w->s) ? "TRUE" : "FALSE");
}

static void timecode(fw *w, const char *ind, int64_t frame)
{
    char tc[32];
    reel_tc_to_string(frame, w->s->fps, w->s->drop, tc);
    reel_sb_printf(&w->b, "%s<timecode>\n", ind);
    rate(w, "  ");
    reel_sb_printf(&w->b, "%s  <string>%s</string><frame>%lld</frame><displayformat>%s</displayformat>\n%s</timecode>\n",
                   ind, tc, (long long)frame, w->s->drop ? "DF" : "NDF", ind);
}

static void text_el(fw *w, const char *ind, const char *tag, const char *v)
{
    reel_sb_printf(&w->b, "%s<%s>", ind, tag);
    xml_escape(&w->b, v);
    reel_sb_printf(&w->b, "</%s>\n", tag);
}

/* The first item using the same file as item i (i itself when it is the first). */
static int first_use(const reel_nle_seq *s, int i)
{
    for (int k = 0; k < i; k++)
        if (!s->tl.items[k].black && !strcmp(s->tl.items[k].path, s->tl.items[i].path)) return k;
    return i;
}

static void file_el(fw *w, int i)
{
    const reel_nle_seq *s = w->s;
    int k = first_use(s, i);
    if (w->defined[k]) {
        reel_sb_printf(&w->b, "          <file id=\"file-%d\"/>\n", k + 1);
        return;
    }
    const reel_nle_src *src = s->src ? &s->src[i] : &(reel_nle_src){.has_video = 1};
    char url[8192];
    reel_nle_url(url, sizeof url, s->tl.items[i].path);
    int64_t dur = src->duration > 0 ? llround(src->duration * s->fps.num / s->fps.den) : w->ev[i].src_out;
    w->defined[k] = 1;
    reel_sb_printf(&w->b, "          <file id=\"file-%d\">\n", k + 1);
    text_el(w, "            ", "name", reel_basename(s->tl.items[i].path));
    text_el(w, "            ", "pathurl", url);
    rate(w, "            ");
    reel_sb_printf(&w->b, "            <duration>%lld</duration>\n", (long long)dur);
    timecode(w, "            ", src->tc_frame);
    reel_sb_add(&w->b, "            <media>\n");
    if (src->has_video)
        reel_sb_printf(&w->b, "              <video><samplecharacteristics><width>%d</width><height>%d</height>"
                              "</samplecharacteristics></video>\n", src->width ? src->width : s->width,
                       src->height ? src->height : s->height);
    if (src->has_audio)
        reel_sb_printf(&w->b, "              <audio><samplecharacteristics><depth>16</depth><samplerate>%d"
                              "</samplerate></samplecharacteristics><channelcount>%d</channelcount></audio>\n",
                       src->sample_rate, src->channels);
    reel_sb_add(&w->b, "            </media>\n          </file>\n");
}

static int has_audio(const fw *w, int i)
{
    return !w->s->tl.items[i].black && (!w->s->src || w->s->src[i].has_audio);
}

static void links(fw *w, int i)
{
    if (!has_audio(w, i)) return;
    reel_sb_printf(&w->b, "          <link><linkclipref>clipitem-v%d</linkclipref><mediatype>video</mediatype>"
                          "<trackindex>1</trackindex><clipindex>%d</clipindex></link>\n", i + 1, i + 1);
    for (int a = 0; a < w->n_audio; a++)
        reel_sb_printf(&w->b, "          <link><linkclipref>clipitem-a%d-%d</linkclipref><mediatype>audio</mediatype>"
                              "<trackindex>%d</trackindex><clipindex>%d</clipindex><groupindex>1</groupindex></link>\n",
                       a + 1, i + 1, a + 1, i + 1);
}

static void clipitem(fw *w, int i, int audio_track)
{
    const reel_nle_event *e = &w->ev[i];
    const char *name = w->s->tl.items[i].name;
    if (audio_track) reel_sb_printf(&w->b, "        <clipitem id=\"clipitem-a%d-%d\">\n", audio_track, i + 1);
    else reel_sb_printf(&w->b, "        <clipitem id=\"clipitem-v%d\">\n", i + 1);
    reel_sb_printf(&w->b, "          <masterclipid>masterclip-%d</masterclipid>\n", first_use(w->s, i) + 1);
    text_el(w, "          ", "name", name);
    reel_sb_add(&w->b, "          <enabled>TRUE</enabled>\n");
    rate(w, "          ");
    reel_sb_printf(&w->b, "          <start>%lld</start><end>%lld</end><in>%lld</in><out>%lld</out>\n",
                   (long long)e->rec_in, (long long)e->rec_out, (long long)e->vis_in, (long long)e->vis_out);
    file_el(w, i);
    if (audio_track)
        reel_sb_printf(&w->b, "          <sourcetrack><mediatype>audio</mediatype><trackindex>%d</trackindex>"
                              "</sourcetrack>\n", audio_track);
    links(w, i);
    reel_sb_add(&w->b, "        </clipitem>\n");
}

static void transition(fw *w, int i, const char *media)
{
    const reel_nle_event *e = &w->ev[i];
    reel_sb_printf(&w->b, "        <transitionitem>\n          <start>%lld</start><end>%lld</end>"
                          "<alignment>center</alignment>\n", (long long)(e->rec_in - e->dis_a),
                   (long long)(e->rec_in + e->dis - e->dis_a));
    rate(w, "          ");
    reel_sb_printf(&w->b, "          <effect><name>Cross Dissolve</name><effectid>Cross Dissolve</effectid>"
                          "<effectcategory>Dissolve</effectcategory><effecttype>transition</effecttype>"
                          "<mediatype>%s</mediatype></effect>\n        </transitionitem>\n", media);
}

static void track(fw *w, int audio_track)
{
    reel_sb_add(&w->b, "      <track>\n");
    for (int i = 0; i < w->s->tl.n; i++) {
        int show = audio_track ? has_audio(w, i) : !w->s->tl.items[i].black;
        int prev = i && (audio_track ? has_audio(w, i - 1) : !w->s->tl.items[i - 1].black);
        if (w->ev[i].dis && show && prev) transition(w, i, audio_track ? "audio" : "video");
        if (show) clipitem(w, i, audio_track);
    }
    reel_sb_add(&w->b, "      </track>\n");
}

static void media(fw *w)
{
    const reel_nle_seq *s = w->s;
    reel_sb_add(&w->b, "    <media>\n      <video>\n        <format><samplecharacteristics>\n");
    rate(w, "          ");
    reel_sb_printf(&w->b, "          <width>%d</width><height>%d</height><pixelaspectratio>square</pixelaspectratio>"
                          "<fielddominance>none</fielddominance>\n        </samplecharacteristics></format>\n",
                   s->width, s->height);
    track(w, 0);
    reel_sb_printf(&w->b, "      </video>\n      <audio>\n        <numOutputChannels>%d</numOutputChannels>\n"
                          "        <format><samplecharacteristics><depth>16</depth><samplerate>%d</samplerate>"
                          "</samplecharacteristics></format>\n", w->n_audio, s->sample_rate);
    for (int a = 1; a <= w->n_audio; a++) track(w, a);
    reel_sb_add(&w->b, "      </audio>\n    </media>\n");
}

char *reel_fcp7_write(const reel_nle_seq *s, reel_err *e)
{
    fw w = {.s = s};
    reel_nle_event *ev;
    if (reel_nle_layout(s, &ev, e)) return NULL;
    w.ev = ev;
    w.defined = calloc((size_t)s->tl.n + 1, 1);
    if (!w.defined) {
        free(ev);
        reel_errf(e, REEL_ENOMEM, "out of memory");
        return NULL;
    }
    w.n_audio = s->channels < 1 ? 1 : s->channels > MAX_AUDIO_TRACKS ? MAX_AUDIO_TRACKS : s->channels;
    reel_sb_init(&w.b);
    reel_sb_add(&w.b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE xmeml>\n<xmeml version=\"5\">\n"
                      "  <sequence id=\"sequence-1\">\n");
    text_el(&w, "    ", "name", s->title[0] ? s->title : "reel cut");
    reel_sb_printf(&w.b, "    <duration>%lld</duration>\n", (long long)(s->tl.n ? ev[s->tl.n - 1].rec_out : 0));
    rate(&w, "    ");
    timecode(&w, "    ", reel_nle_rec_start(s));
    media(&w);
    reel_sb_add(&w.b, "  </sequence>\n</xmeml>\n");
    free(ev);
    free(w.defined);
    if (w.b.oom) {
        reel_sb_free(&w.b);
        reel_errf(e, REEL_ENOMEM, "out of memory");
        return NULL;
    }
    return w.b.s;
}

/* ---- reading ---- */

typedef struct fr {
    const char *name;
    const char *const *dirs;
    int nd;
    reel_nle_seq *s;
    xml_node *root;
    reel_err *e;
} fr;

static int64_t num(const xml_node *n, const char *tag, int64_t dflt)
{
    const char *t = xml_child_text(n, tag);
    char *end;
    long long v = t && *t ? strtoll(t, &end, 10) : 0;
    return t && *t && !*end && v >= -1000000000000LL && v <= 1000000000000LL ? v : dflt;
}

/* The <file> with this id that has its definition (a pathurl), anywhere in the document. */
static const xml_node *file_def(const xml_node *n, const char *id)
{
    if (!strcmp(n->name, "file") && xml_attr(n, "id") && !strcmp(xml_attr(n, "id"), id) && xml_child(n, "pathurl"))
        return n;
    for (int k = 0; k < n->n_kid; k++) {
        const xml_node *f = file_def(n->kid[k], id);
        if (f) return f;
    }
    return NULL;
}

static int read_rate(fr *r, const xml_node *seq)
{
    const xml_node *rt = xml_child(seq, "rate");
    int64_t tb = num(rt, "timebase", 0);
    const char *ntsc = xml_child_text(rt, "ntsc");
    if (tb <= 0 || tb > 1000) return reel_errf(r->e, REEL_EINVAL, "%s:%d: the sequence has no <rate><timebase>", r->name, seq->line);
    int nt = ntsc && !strcasecmp(ntsc, "TRUE");
    r->s->fps = nt ? (reel_rational){(int)tb * 1000, 1001} : (reel_rational){(int)tb, 1};
    const char *df = xml_child_text(xml_child(seq, "timecode"), "displayformat");
    r->s->drop = df && !strcmp(df, "DF");
    return 0;
}

static int clip(fr *r, const xml_node *c, int64_t *last_end, const int64_t tr[2])
{
    reel_tl_item it = {0};
    int64_t st = num(c, "start", -1), en = num(c, "end", -1), in = num(c, "in", -1), out = num(c, "out", -1);
    const char *id = xml_attr(xml_child(c, "file"), "id"), *nm = xml_child_text(c, "name");
    const xml_node *f = id ? file_def(r->root, id) : NULL;
    if (in < 0 || out <= in || !f)
        return reel_errf(r->e, REEL_EINVAL, "%s:%d: a clipitem needs in, out and a file with a pathurl", r->name, c->line);
    if (st < 0) st = tr[1] >= 0 ? (tr[0] + tr[1]) / 2 : *last_end; /* FCP writes -1 next to a transition */
    if (en < 0) en = st + out - in;
    if (st > *last_end) { /* an empty stretch of track: black */
        reel_tl_item bl = {.black = 1, .name = "black"};
        reel_nle_event be = {.vis_in = 0, .vis_out = st - *last_end};
        if (reel_nle_add_event(r->s, &bl, &be, NULL)) return reel_errf(r->e, REEL_ENOMEM, "out of memory");
    }
    int rc = reel_nle_resolve(r->name, xml_child_text(f, "pathurl"), r->dirs, r->nd, it.path, sizeof it.path, r->e);
    if (rc) return rc;
    snprintf(it.name, sizeof it.name, "%s", nm ? nm : reel_basename(it.path));
    reel_nle_src src = {.has_video = 1, .tc_frame = num(xml_child(f, "timecode"), "frame", 0)};
    reel_nle_event ev = {.vis_in = in, .vis_out = out, .dis = tr[1] >= 0 ? tr[1] - tr[0] : 0,
                         .dis_a = tr[1] >= 0 ? st - tr[0] : 0};
    if (ev.dis && (ev.dis_a < 0 || ev.dis_a > ev.dis || in - ev.dis_a < 0))
        return reel_errf(r->e, REEL_EINVAL, "%s:%d: the transition before this clip does not meet its cut", r->name, c->line);
    *last_end = en;
    return reel_nle_add_event(r->s, &it, &ev, &src) ? reel_errf(r->e, REEL_ENOMEM, "out of memory") : 0;
}

static int read_track(fr *r, const xml_node *track)
{
    int64_t last_end = 0, tr[2] = {-1, -1};
    for (int k = 0; k < track->n_kid; k++) {
        const xml_node *c = track->kid[k];
        if (!strcmp(c->name, "transitionitem")) {
            tr[0] = num(c, "start", -1), tr[1] = num(c, "end", -1);
            if (tr[0] < 0 || tr[1] <= tr[0])
                return reel_errf(r->e, REEL_EINVAL, "%s:%d: a transitionitem needs a start and a later end", r->name, c->line);
        } else if (!strcmp(c->name, "clipitem")) {
            int rc = clip(r, c, &last_end, tr);
            if (rc) return rc;
            tr[0] = tr[1] = -1;
        }
    }
    return r->s->tl.n ? 0 : reel_errf(r->e, REEL_EINVAL, "%s:%d: the first video track has no clips", r->name, track->line);
}

static const xml_node *find_seq(const xml_node *n)
{
    if (!strcmp(n->name, "sequence")) return n;
    for (int k = 0; k < n->n_kid; k++) {
        const xml_node *s = find_seq(n->kid[k]);
        if (s) return s;
    }
    return NULL;
}

int reel_fcp7_parse(const char *name, const char *text, size_t len, const char *const *dirs, int nd,
                    reel_nle_seq *s, reel_err *e)
{
    fr r = {.name = name, .dirs = dirs, .nd = nd, .s = s, .e = e};
    int rc = xml_parse(name, text, len, &r.root, e);
    if (rc) return rc;
    const xml_node *seq = strcmp(r.root->name, "xmeml") ? NULL : find_seq(r.root);
    const xml_node *video = xml_child(xml_child(seq, "media"), "video"), *track = xml_child(video, "track");
    if (!seq) rc = reel_errf(e, REEL_EINVAL, "%s: not an FCP7 XML sequence (no <xmeml> with a <sequence>)", name);
    else if (!track) rc = reel_errf(e, REEL_EINVAL, "%s:%d: the sequence has no video track", name, seq->line);
    if (!rc) rc = read_rate(&r, seq);
    if (!rc) rc = read_track(&r, track);
    if (!rc) {
        const char *t = xml_child_text(seq, "name");
        const xml_node *sc = xml_child(xml_child(video, "format"), "samplecharacteristics");
        snprintf(s->title, sizeof s->title, "%s", t ? t : "");
        s->width = (int)num(sc, "width", 0), s->height = (int)num(sc, "height", 0);
        const xml_node *af = xml_child(xml_child(xml_child(xml_child(seq, "media"), "audio"), "format"), "samplecharacteristics");
        s->sample_rate = (int)num(af, "samplerate", 0);
        s->channels = (int)num(xml_child(xml_child(seq, "media"), "audio"), "numOutputChannels", 0);
    }
    xml_free(r.root);
    return rc;
}
