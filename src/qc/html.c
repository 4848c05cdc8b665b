/* report.html: one self-contained page (no scripts, no external files) an editor can mail to a
 * distributor: the verdict, the file's streams, every finding with its timecode and thumbnail,
 * a film strip, and SVG plots of loudness over time, true peak per second and the luma levels. */
#include "qc/qcint.h"
#include "util/fsutil.h"
#include "util/strbuf.h"

#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define PW 900.0 /* plot width */
#define PH 160.0

static void esc(reel_strbuf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': reel_sb_add(b, "&lt;"); break;
        case '>': reel_sb_add(b, "&gt;"); break;
        case '&': reel_sb_add(b, "&amp;"); break;
        case '"': reel_sb_add(b, "&quot;"); break;
        default: reel_sb_addn(b, s, 1);
        }
    }
}

static void img(reel_strbuf *b, const reel_qc_thumb *t, const char *title)
{
    size_t n = sodium_base64_encoded_len(t->len, sodium_base64_VARIANT_ORIGINAL);
    char *s = malloc(n);
    if (!s) return;
    sodium_bin2base64(s, n, t->jpg, t->len, sodium_base64_VARIANT_ORIGINAL);
    reel_sb_add(b, "<img alt=\"frame\" title=\"");
    esc(b, title);
    reel_sb_printf(b, "\" src=\"data:image/jpeg;base64,%s\">", s);
    free(s);
}

static double duration(const reel_qc_report *r)
{
    double d = r->probe.duration > 0 ? r->probe.duration : 0;
    if (r->nv) d = fmax(d, r->v[r->nv - 1].time);
    return fmax(d, r->na * 0.1);
}

/* An SVG plot frame with a y axis from lo to hi, labelled every step; returns nothing, the
 * series are polylines added by the caller through x_of/y_of. */
static void plot_open(reel_strbuf *b, const char *title, double lo, double hi, double step, const char *unit)
{
    reel_sb_printf(b, "<h3>%s</h3><svg viewBox=\"0 0 %.0f %.0f\" class=\"plot\">", title, PW + 50, PH + 20);
    for (double v = lo; v <= hi + 1e-9; v += step) {
        double y = 5 + PH * (hi - v) / (hi - lo);
        reel_sb_printf(b, "<line x1=\"45\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                          "<text x=\"40\" y=\"%.1f\" class=\"ax\">%g%s</text>", PW + 45, y, y, y + 4, v, unit);
    }
}

static void polyline(reel_strbuf *b, const double *t, const double *v, int n, double dur, double lo, double hi,
                     const char *cls)
{
    reel_sb_printf(b, "<polyline class=\"%s\" points=\"", cls);
    for (int i = 0; i < n; i++) {
        if (!isfinite(v[i])) continue;
        double y = fmin(hi, fmax(lo, v[i]));
        reel_sb_printf(b, "%.1f,%.1f ", 45 + PW * t[i] / dur, 5 + PH * (hi - y) / (hi - lo));
    }
    reel_sb_add(b, "\"/>");
}

static void hline(reel_strbuf *b, double v, double lo, double hi, const char *cls)
{
    if (!isfinite(v) || v < lo || v > hi) return;
    double y = 5 + PH * (hi - v) / (hi - lo);
    reel_sb_printf(b, "<line x1=\"45\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" class=\"%s\"/>", PW + 45, y, y, cls);
}

static void loudness_plot(reel_strbuf *b, const reel_qc_report *r, double dur)
{
    int n = (int)r->na;
    double *t = malloc((size_t)n * sizeof *t), *m = malloc((size_t)n * sizeof *m), *s = malloc((size_t)n * sizeof *s);
    double *tp = malloc((size_t)n * sizeof *tp), *tt = malloc((size_t)n * sizeof *tt);
    if (t && m && s && tp && tt) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            t[i] = (i + 1) * 0.1, m[i] = r->a[i].momentary, s[i] = r->a[i].short_term;
            if (!isnan(r->a[i].true_peak)) tt[k] = t[i], tp[k++] = r->a[i].true_peak;
        }
        plot_open(b, "Loudness (momentary, short-term; dashed: the spec's target)", -60, 0, 10, "");
        polyline(b, t, m, n, dur, -60, 0, "mom");
        polyline(b, t, s, n, dur, -60, 0, "st");
        hline(b, r->spec->loudness, -60, 0, "target");
        reel_sb_add(b, "</svg>");
        plot_open(b, "True peak per second, dBTP (dashed: the spec's ceiling)", -30, 3, 6, "");
        polyline(b, tt, tp, k, dur, -30, 3, "tp");
        hline(b, r->spec->true_peak, -30, 3, "target");
        reel_sb_add(b, "</svg>");
    }
    free(t), free(m), free(s), free(tp), free(tt);
}

/* The luma waveform's envelope: 1st, 50th and 99th percentiles, at most 1000 points. */
static void luma_plot(reel_strbuf *b, const reel_qc_report *r, double dur)
{
    int n = r->nv < 1000 ? (int)r->nv : 1000;
    double *t = malloc((size_t)n * sizeof *t), *lo = malloc((size_t)n * sizeof *lo);
    double *mid = malloc((size_t)n * sizeof *mid), *hi = malloc((size_t)n * sizeof *hi);
    if (t && lo && mid && hi) {
        for (int k = 0; k < n; k++) {
            int64_t a = r->nv * k / n, z = r->nv * (k + 1) / n;
            t[k] = r->v[a].time, lo[k] = 255, hi[k] = 0, mid[k] = r->v[(a + z) / 2].ymid;
            for (int64_t i = a; i < z; i++) lo[k] = fmin(lo[k], r->v[i].ylo), hi[k] = fmax(hi[k], r->v[i].yhi);
        }
        plot_open(b, "Luma levels: 1st, 50th, 99th percentile (dashed: legal 16 and 235)", 0, 255, 51, "");
        polyline(b, t, hi, n, dur, 0, 255, "hi");
        polyline(b, t, mid, n, dur, 0, 255, "mid");
        polyline(b, t, lo, n, dur, 0, 255, "lo");
        hline(b, 16, 0, 255, "target");
        hline(b, 235, 0, 255, "target");
        reel_sb_add(b, "</svg>");
    }
    free(t), free(lo), free(mid), free(hi);
}

static void findings(reel_strbuf *b, const reel_qc_report *r)
{
    reel_sb_add(b, "<h2>Findings</h2>");
    if (!r->nf) {
        reel_sb_add(b, "<p>None.</p>");
        return;
    }
    reel_sb_add(b, "<table class=\"f\"><tr><th>severity</th><th>check</th><th>timecode</th><th>length</th>"
                   "<th>finding</th><th>frame</th></tr>");
    for (int i = 0; i < r->nf; i++) {
        const reel_qc_finding *f = &r->f[i];
        reel_sb_printf(b, "<tr class=\"%s\"><td>%s</td><td>%s</td><td>%s</td>", reel_qc_sev_name(f->sev),
                       reel_qc_sev_name(f->sev), f->check, f->t0 < 0 ? "whole file" : f->tc);
        if (f->t0 >= 0) reel_sb_printf(b, "<td>%.2f s</td><td>", f->t1 - f->t0);
        else reel_sb_add(b, "<td></td><td>");
        esc(b, f->msg);
        reel_sb_add(b, "</td><td>");
        if (f->thumb >= 0) img(b, &r->thumbs[f->thumb], f->tc);
        reel_sb_add(b, "</td></tr>");
    }
    reel_sb_add(b, "</table>");
}

static void summary(reel_strbuf *b, const reel_qc_report *r)
{
    const reel_probe *p = &r->probe;
    reel_sb_printf(b, "<p class=\"verdict %s\">%s: %d error%s, %d warning%s against %s</p><table class=\"s\">",
                   r->errors ? "fail" : "pass", r->errors ? "FAIL" : "PASS", r->errors, r->errors == 1 ? "" : "s",
                   r->warnings, r->warnings == 1 ? "" : "s", r->spec->title);
    if (p->has_video)
        reel_sb_printf(b, "<tr><th>video</th><td>%s %s %s %dx%d, %d/%d fps, %s range, %s/%s/%s, timecode %s</td></tr>",
                       p->vcodec, p->vprofile, p->pix_fmt, p->width, p->height, p->fps.num, p->fps.den,
                       p->color_range[0] ? p->color_range : "untagged", p->color_primaries, p->color_trc,
                       p->color_space, p->timecode[0] ? p->timecode : "none");
    if (p->has_audio)
        reel_sb_printf(b, "<tr><th>audio</th><td>%s, %d Hz, %d channels (%s)</td></tr>", p->acodec, p->sample_rate,
                       p->channels, p->layout);
    if (r->na)
        reel_sb_printf(b, "<tr><th>loudness</th><td>%.1f LUFS integrated, %.1f dialogue-gated, %.1f LU range, "
                          "%.2f dBTP true peak, L/R correlation %.2f</td></tr>", r->loud.integrated,
                       r->loud.speech_integrated, r->loud.range, r->loud.true_peak, r->corr);
    reel_sb_printf(b, "<tr><th>duration</th><td>%.2f s, %lld frames</td></tr></table>", p->duration, (long long)r->nv);
}

static const char *const style =
    "body{font:14px system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}"
    ".verdict{font-size:18px;font-weight:bold;padding:8px}.pass{background:#dfd}.fail{background:#fdd}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
    "tr.error td:first-child{color:#b00;font-weight:bold}tr.warning td:first-child{color:#a60}"
    "img{height:72px}.strip img{height:64px;margin-right:2px}svg.plot{width:100%;max-width:950px;background:#fafafa}"
    ".grid{stroke:#ddd}.ax{font-size:10px;text-anchor:end;fill:#666}polyline{fill:none;stroke-width:1.2}"
    ".mom{stroke:#9cf}.st{stroke:#036}.tp{stroke:#c30}.hi{stroke:#888}.mid{stroke:#333}.lo{stroke:#888}"
    ".target{stroke:#c00;stroke-dasharray:6 4}";

int reel_qc_write_html(const reel_qc_report *r, const char *path, reel_err *e)
{
    reel_strbuf b;
    reel_sb_init(&b);
    reel_sb_printf(&b, "<!doctype html><html><head><meta charset=\"utf-8\"><title>QC: ");
    esc(&b, reel_basename(r->path));
    reel_sb_printf(&b, "</title><style>%s</style></head><body><h1>QC report: ", style);
    esc(&b, r->path);
    reel_sb_add(&b, "</h1>");
    summary(&b, r);
    if (r->n_strip) {
        reel_sb_add(&b, "<h2>Film strip</h2><div class=\"strip\">");
        for (int i = 0; i < r->n_strip; i++) img(&b, &r->thumbs[r->strip[i]], "");
        reel_sb_add(&b, "</div>");
    }
    findings(&b, r);
    double dur = duration(r);
    if (dur > 0 && r->na) loudness_plot(&b, r, dur);
    if (dur > 0 && r->nv) luma_plot(&b, r, dur);
    reel_sb_add(&b, "</body></html>\n");
    int rc = b.oom ? reel_errf(e, REEL_ENOMEM, "%s: out of memory", path) : reel_write_atomic(path, b.s, b.len, e);
    reel_sb_free(&b);
    return rc;
}
