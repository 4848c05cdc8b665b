/* OpenTimelineIO JSON (nle.h): a Timeline.1 holding a Stack.1 of a Video and an Audio Track.1;
 * clips are Clip.1 with an ExternalReference.1 (a file:// URL and the file's available range from
 * its start timecode), black is Gap.1, dissolves are Transition.1 (SMPTE_Dissolve) with in_offset
 * before the cut and out_offset after it. The reader takes the first video track back. */
#include "timeline/nle.h"
#include "util/fsutil.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double rate_of(const reel_nle_seq *s)
{
    return (double)s->fps.num / s->fps.den;
}

static json_t *rt(const reel_nle_seq *s, int64_t v)
{
    return json_pack("{s:s,s:f,s:f}", "OTIO_SCHEMA", "RationalTime.1", "rate", rate_of(s), "value", (double)v);
}

static json_t *range(const reel_nle_seq *s, int64_t start, int64_t dur)
{
    return json_pack("{s:s,s:o,s:o}", "OTIO_SCHEMA", "TimeRange.1", "start_time", rt(s, start), "duration",
                     rt(s, dur));
}

static json_t *clip(const reel_nle_seq *s, int i, const reel_nle_event *ev)
{
    const reel_tl_item *it = &s->tl.items[i];
    int64_t len = ev->vis_out - ev->vis_in;
    if (it->black)
        return json_pack("{s:s,s:s,s:o,s:[],s:[],s:{}}", "OTIO_SCHEMA", "Gap.1", "name", "black", "source_range",
                         range(s, 0, len), "effects", "markers", "metadata");
    char url[8192];
    reel_nle_url(url, sizeof url, it->path);
    int64_t tc0 = s->src ? s->src[i].tc_frame : 0;
    int64_t avail = s->src && s->src[i].duration > 0 ? llround(s->src[i].duration * rate_of(s)) : ev->src_out;
    json_t *ref = json_pack("{s:s,s:s,s:s,s:o,s:{}}", "OTIO_SCHEMA", "ExternalReference.1", "name",
                            reel_basename(it->path), "target_url", url, "available_range", range(s, tc0, avail),
                            "metadata");
    return json_pack("{s:s,s:s,s:o,s:o,s:[],s:[],s:{}}", "OTIO_SCHEMA", "Clip.1", "name", it->name, "source_range",
                     range(s, tc0 + ev->vis_in, len), "media_reference", ref, "effects", "markers", "metadata");
}

static json_t *track(const reel_nle_seq *s, const reel_nle_event *ev, int audio)
{
    json_t *kids = json_array();
    for (int i = 0; i < s->tl.n; i++) {
        if (ev[i].dis)
            json_array_append_new(kids, json_pack("{s:s,s:s,s:s,s:o,s:o,s:{}}", "OTIO_SCHEMA", "Transition.1", "name",
                                                  "Cross Dissolve", "transition_type", "SMPTE_Dissolve", "in_offset",
                                                  rt(s, ev[i].dis_a), "out_offset", rt(s, ev[i].dis - ev[i].dis_a),
                                                  "metadata"));
        int silent = audio && s->src && !s->src[i].has_audio;
        json_array_append_new(kids, silent ? json_pack("{s:s,s:s,s:o,s:[],s:[],s:{}}", "OTIO_SCHEMA", "Gap.1", "name",
                                                       "", "source_range", range(s, 0, ev[i].vis_out - ev[i].vis_in),
                                                       "effects", "markers", "metadata")
                                           : clip(s, i, &ev[i]));
    }
    return json_pack("{s:s,s:s,s:s,s:o,s:n,s:[],s:[],s:{}}", "OTIO_SCHEMA", "Track.1", "name", audio ? "A1" : "V1",
                     "kind", audio ? "Audio" : "Video", "children", kids, "source_range", "effects", "markers",
                     "metadata");
}

char *reel_otio_write(const reel_nle_seq *s, reel_err *e)
{
    reel_nle_event *ev;
    if (reel_nle_layout(s, &ev, e)) return NULL;
    json_t *stack = json_pack("{s:s,s:s,s:[o,o],s:n,s:[],s:[],s:{}}", "OTIO_SCHEMA", "Stack.1", "name", "tracks",
                              "children", track(s, ev, 0), track(s, ev, 1), "source_range", "effects", "markers",
                              "metadata");
    int64_t start = reel_nle_rec_start(s);
    json_t *tl = json_pack("{s:s,s:s,s:o,s:o,s:{s:{s:i,s:i,s:i,s:b}}}", "OTIO_SCHEMA", "Timeline.1", "name",
                           s->title[0] ? s->title : "reel cut", "global_start_time", rt(s, start), "tracks", stack,
                           "metadata", "reel", "width", s->width, "height", s->height, "sample_rate", s->sample_rate,
                           "drop_frame", s->drop);
    free(ev);
    char *text = tl ? json_dumps(tl, JSON_INDENT(4) | JSON_REAL_PRECISION(17)) : NULL;
    json_decref(tl);
    if (!text) reel_errf(e, REEL_ENOMEM, "out of memory");
    return text;
}

/* ---- reading ---- */

typedef struct oread {
    const char *name;
    const char *const *dirs;
    int nd;
    reel_nle_seq *s;
    reel_err *e;
    int64_t pend_dis, pend_a;     /* a transition waiting for the next clip */
} oread;

static int schema_is(json_t *o, const char *what)
{
    const char *sc = json_string_value(json_object_get(o, "OTIO_SCHEMA"));
    return sc && !strncmp(sc, what, strlen(what)) && sc[strlen(what)] == '.';
}

/* A RationalTime as frames at the sequence rate; -1 when malformed. */
static int64_t frames(oread *r, json_t *t)
{
    double v = json_number_value(json_object_get(t, "value")), rate = json_number_value(json_object_get(t, "rate"));
    if (!schema_is(t, "RationalTime") || !(rate > 0) || !isfinite(v) || fabs(v) > 1e12) return -1;
    if (!r->s->fps.num) r->s->fps = fabs(rate - llround(rate)) < 1e-6 ? (reel_rational){(int)llround(rate), 1}
                                                                      : (reel_rational){(int)llround(rate * 1001), 1001};
    return llround(v / rate * rate_of(r->s));
}

static int bad(oread *r, int idx, const char *what)
{
    return reel_errf(r->e, REEL_EINVAL, "%s: track item %d: %s", r->name, idx + 1, what);
}

static int take_clip(oread *r, json_t *c, int idx)
{
    json_t *sr = json_object_get(c, "source_range"), *ref = json_object_get(c, "media_reference");
    int64_t st = frames(r, json_object_get(sr, "start_time")), du = frames(r, json_object_get(sr, "duration"));
    if (st < 0 || du <= 0) return bad(r, idx, "no source_range with a start and a positive duration");
    reel_tl_item it = {0};
    reel_nle_src src = {.has_video = 1};
    int gap = schema_is(c, "Gap");
    const char *nm = json_string_value(json_object_get(c, "name"));
    snprintf(it.name, sizeof it.name, "%s", gap ? "black" : nm ? nm : "");
    if (gap) it.black = 1;
    else {
        const char *url = json_string_value(json_object_get(ref, "target_url"));
        if (!schema_is(ref, "ExternalReference") || !url)
            return bad(r, idx, "the clip has no ExternalReference with a target_url (media offline)");
        int rc = reel_nle_resolve(r->name, url, r->dirs, r->nd, it.path, sizeof it.path, r->e);
        if (rc) return rc;
        int64_t a0 = frames(r, json_object_get(json_object_get(ref, "available_range"), "start_time"));
        src.tc_frame = a0 > 0 ? a0 : 0;
    }
    reel_nle_event ev = {.vis_in = st - src.tc_frame, .vis_out = st - src.tc_frame + du, .dis = r->pend_dis,
                         .dis_a = r->pend_a};
    if (ev.vis_in - ev.dis_a < 0) return bad(r, idx, "the dissolve before it starts before the clip's first frame");
    r->pend_dis = r->pend_a = 0;
    return reel_nle_add_event(r->s, &it, &ev, &src) ? reel_errf(r->e, REEL_ENOMEM, "out of memory") : 0;
}

static int take_track(oread *r, json_t *tr)
{
    json_t *kids = json_object_get(tr, "children");
    if (!json_is_array(kids) || !json_array_size(kids)) return reel_errf(r->e, REEL_EINVAL, "%s: the video track is empty", r->name);
    for (size_t k = 0; k < json_array_size(kids); k++) {
        json_t *c = json_array_get(kids, k);
        if (schema_is(c, "Transition")) {
            int64_t a = frames(r, json_object_get(c, "in_offset")), b = frames(r, json_object_get(c, "out_offset"));
            if (a < 0 || b < 0 || !r->s->tl.n) return bad(r, (int)k, "a transition without offsets, or before any clip");
            r->pend_dis = a + b, r->pend_a = a;
        } else if (schema_is(c, "Clip") || schema_is(c, "Gap")) {
            int rc = take_clip(r, c, (int)k);
            if (rc) return rc;
        } else {
            return bad(r, (int)k, "not a Clip, Gap or Transition (nested stacks are not read)");
        }
    }
    return r->pend_dis ? reel_errf(r->e, REEL_EINVAL, "%s: the track ends in a transition", r->name) : 0;
}

static json_t *video_track(json_t *tl)
{
    json_t *kids = json_object_get(json_object_get(tl, "tracks"), "children");
    for (size_t k = 0; k < json_array_size(kids); k++) {
        const char *kind = json_string_value(json_object_get(json_array_get(kids, k), "kind"));
        if (kind && !strcmp(kind, "Video")) return json_array_get(kids, k);
    }
    return json_array_get(kids, 0);
}

int reel_otio_parse(const char *name, const char *text, size_t len, const char *const *dirs, int nd,
                    reel_nle_seq *s, reel_err *e)
{
    json_error_t je;
    json_t *tl = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!tl) return reel_errf(e, REEL_EINVAL, "%s:%d: not JSON: %s", name, je.line, je.text);
    oread r = {.name = name, .dirs = dirs, .nd = nd, .s = s, .e = e};
    int rc = 0;
    json_t *tr = video_track(tl);
    if (!schema_is(tl, "Timeline")) rc = reel_errf(e, REEL_EINVAL, "%s: not an OTIO Timeline (no OTIO_SCHEMA Timeline.1)", name);
    else if (!schema_is(tr, "Track")) rc = reel_errf(e, REEL_EINVAL, "%s: the timeline has no tracks", name);
    else rc = take_track(&r, tr);
    const char *t = json_string_value(json_object_get(tl, "name"));
    snprintf(s->title, sizeof s->title, "%s", t ? t : "");
    json_t *m = json_object_get(json_object_get(tl, "metadata"), "reel");
    s->width = (int)json_integer_value(json_object_get(m, "width"));
    s->height = (int)json_integer_value(json_object_get(m, "height"));
    s->sample_rate = (int)json_integer_value(json_object_get(m, "sample_rate"));
    s->drop = json_is_true(json_object_get(m, "drop_frame"));
    json_decref(tl);
    return rc;
}
