/* The cut on a frame grid, and what the format files share (nle.h). */
#include "timeline/nle.h"
#include "timeline/edl.h"
#include "util/fsutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

reel_nle_format reel_nle_format_of(const char *path)
{
    static const char *const ext[] = {".otio", ".edl", ".xml", ".fcpxml"};
    const char *dot = strrchr(reel_basename(path), '.');
    for (int k = 0; dot && k < 4; k++)
        if (!strcasecmp(dot, ext[k])) return (reel_nle_format)k;
    return REEL_NLE_UNKNOWN;
}

const char *reel_nle_format_name(reel_nle_format f)
{
    static const char *const n[] = {"OTIO", "CMX3600 EDL", "FCP7 XML", "FCPXML", "unknown"};
    return n[f < REEL_NLE_UNKNOWN ? f : REEL_NLE_UNKNOWN];
}

int reel_nle_timebase(const reel_nle_seq *s)
{
    return reel_tc_base(s->fps);
}

int reel_nle_ntsc(const reel_nle_seq *s)
{
    return s->fps.den == 1001;
}

double reel_nle_seconds(const reel_nle_seq *s, int64_t frames)
{
    return (double)frames * s->fps.den / s->fps.num;
}

int64_t reel_nle_rec_start(const reel_nle_seq *s)
{
    return reel_tc_parse(s->drop ? "01:00:00;00" : "01:00:00:00", s->fps, NULL);
}

static int64_t frames_of(const reel_nle_seq *s, double sec)
{
    return llround(sec * s->fps.num / s->fps.den);
}

static void fill_src(reel_nle_seq *s, const reel_probe *pr, reel_nle_src *o)
{
    *o = (reel_nle_src){.duration = pr->duration, .has_video = pr->has_video, .has_audio = pr->has_audio,
                        .channels = pr->channels, .sample_rate = pr->sample_rate, .width = pr->width,
                        .height = pr->height};
    if (!s->fps.num && pr->has_video && pr->fps.num > 0) {
        s->fps = pr->fps;
        int b = reel_tc_base(pr->fps);
        s->drop = s->fps.den == 1001 && (b == 30 || b == 60) && (!pr->timecode[0] || pr->tc_drop);
    }
    if (!s->width && pr->has_video) s->width = pr->width, s->height = pr->height;
    if (!s->sample_rate && pr->has_audio) s->sample_rate = pr->sample_rate, s->channels = pr->channels;
    if (pr->timecode[0] && s->fps.num) {
        int64_t t = reel_tc_parse(pr->timecode, s->fps, NULL);
        o->tc_frame = t > 0 ? t : 0;
    }
}

int reel_nle_probe(reel_nle_seq *s, reel_err *e)
{
    free(s->src);
    s->src = calloc((size_t)(s->tl.n ? s->tl.n : 1), sizeof *s->src);
    if (!s->src) return reel_errf(e, REEL_ENOMEM, "out of memory");
    for (int i = 0; i < s->tl.n; i++) {
        const reel_tl_item *it = &s->tl.items[i];
        reel_probe pr;
        if (it->black) continue;
        if (reel_media_probe(it->path, &pr, e)) return e ? e->code : REEL_EMEDIA;
        fill_src(s, &pr, &s->src[i]);
    }
    if (!s->fps.num) s->fps = (reel_rational){25, 1};
    if (!s->width) s->width = 1920, s->height = 1080;
    if (!s->sample_rate) s->sample_rate = 48000, s->channels = 2;
    return 0;
}

void reel_nle_free(reel_nle_seq *s)
{
    reel_timeline_free(&s->tl);
    free(s->src);
    s->src = NULL;
}

int reel_nle_layout(const reel_nle_seq *s, reel_nle_event **out, reel_err *e)
{
    reel_nle_event *ev = calloc((size_t)(s->tl.n ? s->tl.n : 1), sizeof *ev);
    if (!ev) return reel_errf(e, REEL_ENOMEM, "out of memory");
    for (int i = 0; i < s->tl.n; i++) {
        const reel_tl_item *it = &s->tl.items[i];
        double end = it->src_out >= 0 ? it->src_out : s->src && s->src[i].duration > 0 ? s->src[i].duration : -1;
        if (end < 0) {
            free(ev);
            return reel_errf(e, REEL_EINVAL, "item %d (%s): its end is not known", i + 1, it->name);
        }
        ev[i].src_in = frames_of(s, it->src_in), ev[i].src_out = frames_of(s, end);
        ev[i].dis = i ? frames_of(s, it->dissolve) : 0;
        ev[i].dis_a = ev[i].dis / 2;
    }
    for (int i = 0; i < s->tl.n; i++) {
        ev[i].vis_in = ev[i].src_in + ev[i].dis_a;
        ev[i].vis_out = ev[i].src_out - (i + 1 < s->tl.n ? ev[i + 1].dis - ev[i + 1].dis_a : 0);
        ev[i].rec_in = i ? ev[i - 1].rec_out : 0;
        ev[i].rec_out = ev[i].rec_in + ev[i].vis_out - ev[i].vis_in;
        if (ev[i].vis_out <= ev[i].vis_in) {
            int rc = reel_errf(e, REEL_EINVAL, "item %d (%s) is shorter than its dissolves", i + 1, s->tl.items[i].name);
            free(ev);
            return rc;
        }
    }
    *out = ev;
    return 0;
}

int reel_nle_add_event(reel_nle_seq *s, reel_tl_item *it, const reel_nle_event *ev, const reel_nle_src *src)
{
    reel_nle_src *ns = realloc(s->src, (size_t)(s->tl.n + 1) * sizeof *ns);
    if (!ns) return REEL_ENOMEM;
    s->src = ns;
    ns[s->tl.n] = src ? *src : (reel_nle_src){0};
    int64_t dis = s->tl.n ? ev->dis : 0;
    it->src_in = reel_nle_seconds(s, ev->vis_in - (dis ? ev->dis_a : 0));
    it->src_out = reel_nle_seconds(s, ev->vis_out);
    it->dissolve = reel_nle_seconds(s, dis);
    if (dis) s->tl.items[s->tl.n - 1].src_out += reel_nle_seconds(s, dis - ev->dis_a);
    return reel_timeline_add(&s->tl, it);
}

void reel_nle_url(char *out, size_t cap, const char *path)
{
    char *abs = reel_abspath(path);
    const char *p = abs ? abs : path;
    size_t o = (size_t)snprintf(out, cap, "file://");
    for (; *p && o + 4 < cap; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~/", c))
            out[o++] = (char)c;
        else
            o += (size_t)snprintf(out + o, cap - o, "%%%02X", c);
    }
    out[o < cap ? o : cap - 1] = 0;
    free(abs);
}

/* file:// URL (with or without a host) to a path, %XX decoded. */
static void url_path(const char *url, char *out, size_t cap)
{
    const char *p = url;
    if (!strncasecmp(p, "file://", 7)) {
        p += 7;
        if (*p != '/') p = strchr(p, '/') ? strchr(p, '/') : p + strlen(p); /* file://localhost/... */
    }
    size_t o = 0;
    for (; *p && o + 1 < cap; p++) {
        unsigned v;
        if (*p == '%' && sscanf(p + 1, "%2x", &v) == 1 && p[1] && p[2]) out[o++] = (char)v, p += 2;
        else out[o++] = *p;
    }
    out[o] = 0;
}

int reel_nle_resolve(const char *name, const char *url, const char *const *dirs, int nd, char *out, size_t cap,
                     reel_err *e)
{
    url_path(url, out, cap);
    if (out[0] && reel_file_exists(out) && !reel_is_dir(out)) return 0;
    char want[4096];
    snprintf(want, sizeof want, "%s", out);
    for (int d = 0; d < nd && want[0]; d++) {
        char *p = reel_path_join(dirs[d], reel_basename(want));
        int ok = p && reel_file_exists(p) && !reel_is_dir(p);
        if (ok) snprintf(out, cap, "%s", p);
        free(p);
        if (ok) return 0;
    }
    return reel_errf(e, REEL_ENOTFOUND, "%s: source clip '%s' not found (%s)", name, reel_basename(want),
                     want[0] ? want : "no path given");
}

int reel_nle_save(const char *path, const reel_nle_seq *s, reel_err *e)
{
    reel_nle_format f = reel_nle_format_of(path);
    char *text = f == REEL_NLE_OTIO ? reel_otio_write(s, e)
               : f == REEL_NLE_EDL ? reel_edl_write(s, e)
               : f == REEL_NLE_FCP7 ? reel_fcp7_write(s, e)
               : f == REEL_NLE_FCPXML ? reel_fcpxml_write(s, e) : NULL;
    if (f == REEL_NLE_UNKNOWN)
        return reel_errf(e, REEL_EINVAL, "%s: unknown cut format (use .otio, .edl, .xml or .fcpxml)", path);
    if (!text) return e ? e->code : REEL_ENOMEM;
    int rc = reel_write_atomic(path, text, strlen(text), e);
    free(text);
    return rc;
}

static int from_edl(const char *path, const char *text, size_t len, const char *const *dirs, int nd,
                    reel_nle_seq *s, reel_err *e)
{
    reel_edl_info info;
    int rc = reel_edl_parse(path, text, len, s->fps, dirs, nd, &s->tl, &info, e);
    if (rc) return rc;
    s->drop = info.drop;
    snprintf(s->title, sizeof s->title, "%s", reel_basename(path));
    reel_rational fps = s->fps;
    int drop = s->drop;
    rc = reel_nle_probe(s, e);
    s->fps = fps, s->drop = drop;
    return rc;
}

int reel_nle_load(const char *path, reel_rational fps, const char *const *dirs, int nd, reel_nle_seq *s,
                  reel_err *e)
{
    memset(s, 0, sizeof *s);
    reel_nle_format f = reel_nle_format_of(path);
    if (f == REEL_NLE_EDL) s->fps = fps;
    if (f == REEL_NLE_UNKNOWN)
        return reel_errf(e, REEL_EINVAL, "%s: unknown cut format (use .otio, .edl, .xml or .fcpxml)", path);
    char *text = NULL;
    size_t len = 0;
    int rc = reel_read_file(path, &text, &len, e);
    if (!rc) {
        rc = f == REEL_NLE_OTIO ? reel_otio_parse(path, text, len, dirs, nd, s, e)
           : f == REEL_NLE_EDL ? from_edl(path, text, len, dirs, nd, s, e)
           : f == REEL_NLE_FCP7 ? reel_fcp7_parse(path, text, len, dirs, nd, s, e)
           : reel_fcpxml_parse(path, text, len, dirs, nd, s, e);
    }
    free(text);
    if (rc) reel_nle_free(s);
    return rc;
}
