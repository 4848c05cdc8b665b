/* The QC run: scan the file once, check it against the spec, run the detectors, and order the
 * findings by time (whole-file findings first). Owns the report's memory. */
#include "qc/qcint.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int64_t reel_qc_frame_at(const reel_qc_report *r, double t)
{
    if (!r->nv) return 0;
    int64_t lo = 0, hi = r->nv - 1; /* the last frame starting at or before t */
    while (lo < hi) {
        int64_t mid = (lo + hi + 1) / 2;
        if (r->v[mid].time <= t + 1e-6) lo = mid;
        else hi = mid - 1;
    }
    return lo;
}

static void timecode(const reel_qc_report *r, double t, char out[32])
{
    /* from the time, not the frame's index: frames the decoder could not produce keep their place */
    if (r->nv && r->fps.num > 0 &&
        reel_tc_to_string(r->start_frame + llround(t * r->fps.num / r->fps.den), r->fps, r->probe.tc_drop, out) == 0)
        return;
    int ms = (int)lround(t * 1000);
    snprintf(out, 32, "%02d:%02d:%02d.%03d", ms / 3600000, ms / 60000 % 60, ms / 1000 % 60, ms % 1000);
}

int reel_qc_thumb_near(const reel_qc_report *r, int64_t frame)
{
    int best = -1;
    int64_t bd = 0;
    double fps = r->fps.num > 0 ? (double)r->fps.num / r->fps.den : 25;
    for (int i = 0; i < r->n_thumbs; i++) {
        int64_t d = llabs(r->thumbs[i].frame - frame);
        if (best < 0 || d < bd) best = i, bd = d;
    }
    return best >= 0 && bd <= 2 * fps ? best : -1;
}

reel_qc_finding *reel_qc_add(reel_qc_report *r, const char *check, reel_qc_sev sev, double t0, double t1,
                             const char *fmt, ...)
{
    if (r->nf == r->cap_f) {
        int cap = r->cap_f ? 2 * r->cap_f : 32;
        reel_qc_finding *n = realloc(r->f, (size_t)cap * sizeof *n);
        if (!n) return NULL;
        r->f = n, r->cap_f = cap;
    }
    reel_qc_finding *f = &r->f[r->nf++];
    memset(f, 0, sizeof *f);
    snprintf(f->check, sizeof f->check, "%s", check);
    f->sev = sev;
    f->t0 = t0, f->t1 = t1;
    f->thumb = -1;
    if (t0 >= 0) {
        timecode(r, t0, f->tc);
        if (r->nv) f->thumb = reel_qc_thumb_near(r, reel_qc_frame_at(r, t0));
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->msg, sizeof f->msg, fmt, ap);
    va_end(ap);
    return f;
}

static int by_time(const void *a, const void *b)
{
    const reel_qc_finding *x = a, *y = b;
    if (x->t0 != y->t0) return x->t0 < y->t0 ? -1 : 1;
    if (x->sev != y->sev) return x->sev > y->sev ? -1 : 1;
    return strcmp(x->check, y->check);
}

static void start_timecode(reel_qc_report *r)
{
    const reel_probe *p = &r->probe;
    r->fps = p->fps;
    if (p->timecode[0] && r->fps.num > 0) {
        int drop = 0;
        int64_t f = reel_tc_parse(p->timecode, r->fps, &drop);
        if (f >= 0) r->start_frame = f;
    }
}

int reel_qc_run(const char *path, const reel_qc_opts *o, reel_qc_report *r, reel_err *e)
{
    memset(r, 0, sizeof *r);
    snprintf(r->path, sizeof r->path, "%s", path);
    r->spec = o->spec ? o->spec : reel_qc_spec_find("content");
    r->corr = NAN;
    r->loud.integrated = r->loud.speech_integrated = r->loud.true_peak = -HUGE_VAL;
    int rc = reel_qc_scan(path, o, r, e);
    if (rc < 0) {
        reel_qc_report_free(r);
        return rc;
    }
    start_timecode(r);
    reel_qc_check_spec(r);
    reel_qc_check_video(r);
    reel_qc_check_flash(r);
    reel_qc_check_audio(r);
    if (r->nf > 1) qsort(r->f, (size_t)r->nf, sizeof *r->f, by_time); /* (f is NULL when there are none) */
    for (int i = 0; i < r->nf; i++) {
        r->errors += r->f[i].sev == REEL_QC_ERROR;
        r->warnings += r->f[i].sev == REEL_QC_WARNING;
    }
    return 0;
}

void reel_qc_report_free(reel_qc_report *r)
{
    free(r->v);
    free(r->a);
    free(r->f);
    free(r->drops);
    for (int i = 0; i < r->n_thumbs; i++) free(r->thumbs[i].jpg);
    memset(r, 0, sizeof *r);
}
