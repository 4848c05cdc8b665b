/* report.json: the verdict, what the file is, its loudness, counts of what the frame measures
 * show, every finding with its timecode, and per-second curves (loudness, true peak, luma levels)
 * for dashboards and plots; and the per-frame measures as CSV. */
#include "qc/qcint.h"
#include "util/fsutil.h"
#include "util/strbuf.h"

#include <math.h>
#include <stdio.h>

static json_t *num(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static json_t *probe_json(const reel_qc_report *r)
{
    const reel_probe *p = &r->probe;
    json_t *o = json_pack("{s:s,s:o}", "container", p->format, "duration", num(p->duration));
    if (p->has_video) {
        char fps[32];
        snprintf(fps, sizeof fps, p->fps.den == 1 ? "%d" : "%d/%d", p->fps.num, p->fps.den);
        json_object_set_new(o, "video", json_pack("{s:s,s:s,s:s,s:i,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "codec",
                                                  p->vcodec, "profile", p->vprofile, "pix_fmt", p->pix_fmt, "width",
                                                  p->width, "height", p->height, "fps", fps, "color_range",
                                                  p->color_range, "color_primaries", p->color_primaries, "color_trc",
                                                  p->color_trc, "color_space", p->color_space, "timecode", p->timecode,
                                                  "sar", p->sar.num == p->sar.den ? "1:1" : "non-square"));
    }
    if (p->has_audio)
        json_object_set_new(o, "audio", json_pack("{s:s,s:i,s:i,s:s}", "codec", p->acodec, "sample_rate",
                                                  p->sample_rate, "channels", p->channels, "layout", p->layout));
    return o;
}

static json_t *loudness_json(const reel_qc_report *r)
{
    const reel_loudness *l = &r->loud;
    if (!r->na) return json_null();
    return json_pack("{s:o,s:o,s:f,s:o,s:o,s:o,s:o,s:o,s:o}", "integrated", num(l->integrated), "dialogue_gated",
                     num(l->speech_integrated), "speech_ratio", l->speech_ratio, "range", num(l->range), "true_peak",
                     num(l->true_peak), "sample_peak", num(l->sample_peak), "max_momentary", num(l->max_momentary),
                     "max_short_term", num(l->max_short_term), "correlation", num(r->corr));
}

static json_t *video_json(const reel_qc_report *r)
{
    if (!r->nv) return json_null();
    int64_t black = 0, frozen = 0, damaged = 0, illegal = 0, flashes = 0;
    for (int64_t i = 0; i < r->nv; i++) {
        const reel_qc_vframe *v = &r->v[i];
        black += v->black >= REEL_QC_BLACK_SHARE;
        frozen += reel_qc_frozen(v);
        damaged += v->damaged;
        illegal += v->illegal > 0.01f;
        flashes += v->flash != 0 || v->red_flash != 0;
    }
    return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "frames", (json_int_t)r->nv, "black_frames", (json_int_t)black,
                     "frozen_frames", (json_int_t)frozen, "damaged_frames", (json_int_t)damaged,
                     "frames_outside_r103", (json_int_t)illegal, "flash_transitions", (json_int_t)flashes);
}

static json_t *findings_json(const reel_qc_report *r)
{
    json_t *a = json_array();
    for (int i = 0; i < r->nf; i++) {
        const reel_qc_finding *f = &r->f[i];
        json_t *o = json_pack("{s:s,s:s,s:s,s:o,s:o,s:s}", "check", f->check, "severity", reel_qc_sev_name(f->sev),
                              "timecode", f->tc, "start", f->t0 < 0 ? json_null() : json_real(f->t0), "end",
                              f->t0 < 0 ? json_null() : json_real(f->t1), "message", f->msg);
        if (f->thumb >= 0) json_object_set_new(o, "thumbnail_frame", json_integer(r->thumbs[f->thumb].frame));
        json_array_append_new(a, o);
    }
    return a;
}

/* Per second: short-term loudness and true peak at the second's end; luma 1st/50th/99th
 * percentiles (the lowest low, median middle and highest high of the second's frames). */
static json_t *curves_json(const reel_qc_report *r)
{
    json_t *loud = json_array(), *luma = json_array();
    for (int64_t i = 9; i < r->na; i += 10)
        json_array_append_new(loud, json_pack("[f,o,o]", (i + 1) * 0.1, num(r->a[i].short_term), num(r->a[i].true_peak)));
    for (int64_t i = 0; i < r->nv;) {
        int sec = (int)floor(r->v[i].time);
        float lo = 255, hi = 0, mid = r->v[i].ymid;
        int64_t j = i;
        for (; j < r->nv && (int)floor(r->v[j].time) == sec; j++) lo = fminf(lo, r->v[j].ylo), hi = fmaxf(hi, r->v[j].yhi);
        mid = r->v[(i + j) / 2].ymid;
        json_array_append_new(luma, json_pack("[i,f,f,f]", sec, lo, mid, hi));
        i = j;
    }
    return json_pack("{s:o,s:o}", "loudness", loud, "luma", luma);
}

json_t *reel_qc_report_json(const reel_qc_report *r)
{
    return json_pack("{s:s,s:{s:s,s:s},s:b,s:i,s:i,s:o,s:o,s:o,s:o,s:o}", "file", r->path, "spec", "name",
                     r->spec->name, "title", r->spec->title, "pass", r->errors == 0, "errors", r->errors, "warnings",
                     r->warnings, "probe", probe_json(r), "loudness", loudness_json(r), "video", video_json(r),
                     "findings", findings_json(r), "curves", curves_json(r));
}

int reel_qc_write_frames_csv(const reel_qc_report *r, const char *path, reel_err *e)
{
    reel_strbuf b;
    reel_sb_init(&b);
    reel_sb_add(&b, "frame,time,ymean,y1,y50,y99,black,diff,block_diff,outside_r103,broken_edges,damaged,flash,red_flash,flash_area\n");
    for (int64_t i = 0; i < r->nv; i++) {
        const reel_qc_vframe *v = &r->v[i];
        reel_sb_printf(&b, "%lld,%.4f,%.2f,%.0f,%.0f,%.0f,%.4f,%.4f,%.3f,%.4f,%.4f,%d,%d,%d,%.3f\n", (long long)i, v->time,
                       v->ymean, v->ylo, v->ymid, v->yhi, v->black, v->diff, v->block_diff, v->illegal, v->broken,
                       v->damaged, v->flash, v->red_flash, v->flash_area);
    }
    int rc = b.oom ? reel_errf(e, REEL_ENOMEM, "%s: out of memory", path) : reel_write_atomic(path, b.s, b.len, e);
    reel_sb_free(&b);
    return rc;
}
