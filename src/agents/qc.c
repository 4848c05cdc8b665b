/* The QC agent: every deliverable the render agent wrote, checked in one decode pass each against
 * what its delivery declares (container, codec, size, rate, colour tags, loudness) or a named
 * spec, for black, freezes, damage, levels, flashing and sound faults. Writes each deliverable's
 * report as JSON and self-contained HTML, and report.json / report.html over all of them. A
 * deliverable that fails QC is reported (and warned about), not a failed task. */
#include "agents/agent.h"
#include "qc/qc.h"
#include "render/mix.h"
#include "util/strbuf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const reel_option qc_options[] = {
    {"strict", REEL_OPT_BOOL, "false", 0, 0, NULL, "Fail the task when a deliverable fails QC."},
    {NULL},
};

/* What a delivery declares, as a spec. Strings point into buf. */
typedef struct dspec {
    reel_qc_spec s;
    char size[32], fps[32];
} dspec;

static const char *ffmpeg_codec(const char *vc, const char **profile, const char **pix)
{
    static const struct {
        const char *name, *codec, *profile, *pix;
    } map[] = {
        {"h264", "h264", NULL, "yuv420p"}, {"h265", "hevc", NULL, "yuv420p"},
        {"prores_hq", "prores", "HQ", "yuv422p10le"}, {"prores_4444", "prores", "4444", "yuv444p12le"},
        {"dnxhr_hq", "dnxhd", "DNXHR HQ", "yuv422p"}, {"dnxhr_hqx", "dnxhd", "DNXHR HQX", "yuv422p10le"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i].name, vc)) {
            *profile = map[i].profile, *pix = map[i].pix;
            return map[i].codec;
        }
    *profile = *pix = NULL;
    return NULL;
}

static void delivery_spec(const reel_opts *d, dspec *o)
{
    const reel_qc_spec *base = reel_qc_spec_find("content");
    o->s = *base;
    o->s.name = reel_opts_str(d, "name");
    o->s.title = "what the delivery declares in reel.yaml";
    o->s.containers = reel_opts_str(d, "container");
    o->s.vcodecs = ffmpeg_codec(reel_opts_str(d, "video_codec"), &o->s.vprofiles, &o->s.pix_fmts);
    snprintf(o->size, sizeof o->size, "%lldx%lld", reel_opts_int(d, "width"), reel_opts_int(d, "height"));
    int n = 0, den = 1;
    reel_parse_rational(reel_opts_str(d, "fps"), &n, &den);
    if (den == 1) snprintf(o->fps, sizeof o->fps, "%d", n);
    else snprintf(o->fps, sizeof o->fps, "%d/%d", n, den);
    o->s.sizes = o->size, o->s.fps = o->fps;
    o->s.bt709 = o->s.limited_range = 1;
    const char *ac = reel_opts_str(d, "audio_codec");
    if (strcmp(ac, "none")) o->s.acodecs = ac, o->s.sample_rate = 48000, o->s.min_channels = 2;
    const reel_loud_target *l = reel_loud_target_find(reel_opts_str(d, "loudness"));
    if (strcmp(ac, "none") && l && !isnan(l->target))
        o->s.loudness = l->target, o->s.loudness_tol = 1, o->s.true_peak = l->ceiling, o->s.dialogue_gated = l->gated;
}

/* The delivery whose file is `file` ("name.ext"). */
static const reel_opts *delivery_of(reel_task *t, const char *file)
{
    for (int i = 0; i < reel_task_n_deliveries(t); i++) {
        const reel_opts *d = reel_task_delivery(t, i);
        const char *n = reel_opts_str(d, "name");
        size_t k = strlen(n);
        if (!strncmp(file, n, k) && file[k] == '.') return d;
    }
    return NULL;
}

static int check_one(reel_task *t, const char *path, const reel_opts *d, json_t *summary, reel_strbuf *html)
{
    reel_err *e = reel_task_err(t);
    const char *name = reel_opts_str(d, "name"), *which = reel_opts_str(d, "qc");
    if (!strcmp(which, "none")) return 0;
    dspec ds;
    delivery_spec(d, &ds);
    reel_qc_opts o = {.spec = strcmp(which, "auto") ? reel_qc_spec_find(which) : &ds.s, .cancel = NULL};
    reel_qc_report r;
    int rc = reel_qc_run(path, &o, &r, e);
    if (rc) return rc;
    snprintf(r.path, sizeof r.path, "%s.%s", name, reel_opts_str(d, "container")); /* as out/ names it */
    char file[300], pub[320];
    snprintf(file, sizeof file, "%s.json", name);
    snprintf(pub, sizeof pub, "qc/%s.json", name);
    const char *jp = reel_task_output(t, "qc_report", file, pub);
    snprintf(file, sizeof file, "%s.html", name);
    snprintf(pub, sizeof pub, "qc/%s.html", name);
    const char *hp = reel_task_output(t, "qc_html", file, pub);
    json_t *j = reel_qc_report_json(&r);
    if (!jp || !hp) rc = reel_errf(e, REEL_EINVAL, "too many outputs");
    if (!rc && json_dump_file(j, jp, JSON_INDENT(1) | JSON_REAL_PRECISION(6))) rc = reel_errf(e, REEL_EIO, "%s: cannot write", jp);
    if (!rc) rc = reel_qc_write_html(&r, hp, e);
    json_array_append_new(summary, json_pack("{s:s,s:s,s:s,s:b,s:i,s:i,s:s}", "delivery", name, "file", r.path, "spec",
                                             r.spec->name, "pass", r.errors == 0, "errors", r.errors, "warnings",
                                             r.warnings, "report", pub));
    reel_sb_printf(html, "<tr><td>%s</td><td class=\"%s\">%s</td><td>%d</td><td>%d</td><td><a href=\"qc/%s.html\">"
                         "report</a></td></tr>", r.path, r.errors ? "fail" : "pass", r.errors ? "FAIL" : "PASS",
                   r.errors, r.warnings, name);
    if (r.errors) reel_task_warn(t, "%s failed QC: %d error%s (see out/qc/%s.html)", r.path, r.errors,
                                 r.errors == 1 ? "" : "s", name);
    json_decref(j);
    reel_qc_report_free(&r);
    return rc;
}

static int write_summary(reel_task *t, json_t *summary, reel_strbuf *rows, int failed)
{
    reel_err *e = reel_task_err(t);
    const char *jp = reel_task_output(t, "qc_summary", "report.json", "report.json");
    const char *hp = reel_task_output(t, "qc_index", "report.html", "report.html");
    json_t *j = json_pack("{s:b,s:O}", "pass", !failed, "deliverables", summary);
    int rc = !jp || !hp ? reel_errf(e, REEL_EINVAL, "too many outputs") : 0;
    if (!rc && json_dump_file(j, jp, JSON_INDENT(1))) rc = reel_errf(e, REEL_EIO, "%s: cannot write", jp);
    json_decref(j);
    reel_strbuf b;
    reel_sb_init(&b);
    reel_sb_printf(&b, "<!doctype html><html><head><meta charset=\"utf-8\"><title>QC</title><style>body{font:14px "
                       "system-ui,sans-serif;margin:24px}td,th{border:1px solid #ccc;padding:4px 8px}.pass{background:"
                       "#dfd}.fail{background:#fdd}table{border-collapse:collapse}</style></head><body><h1>QC of the "
                       "deliverables: %s</h1><table><tr><th>file</th><th>verdict</th><th>errors</th><th>warnings</th>"
                       "<th></th></tr>%s</table></body></html>\n", failed ? "FAIL" : "PASS", rows->s ? rows->s : "");
    FILE *f = !rc ? fopen(hp, "w") : NULL;
    if (!rc && (!f || fwrite(b.s, 1, b.len, f) != b.len)) rc = reel_errf(e, REEL_EIO, "%s: cannot write", hp);
    if (f && fclose(f) && !rc) rc = reel_errf(e, REEL_EIO, "%s: cannot write", hp);
    reel_sb_free(&b);
    return rc;
}

static int qc_run(reel_task *t)
{
    json_t *summary = json_array();
    reel_strbuf rows;
    reel_sb_init(&rows);
    int rc = 0, failed = 0, checked = 0;
    for (int i = 0; !rc && i < reel_task_n_inputs(t); i++) {
        const char *file = NULL, *path;
        for (int k = 0; !rc && (path = reel_task_input_nth(t, "delivery", i, k, &file)); k++) {
            const reel_opts *d = file ? delivery_of(t, file) : NULL;
            if (!d) continue;
            rc = check_one(t, path, d, summary, &rows);
            checked++;
            failed += !rc && !json_is_true(json_object_get(json_array_get(summary, json_array_size(summary) - 1), "pass"));
            reel_task_progress(t, (double)checked / (reel_task_n_deliveries(t) ? reel_task_n_deliveries(t) : 1));
        }
    }
    if (!rc && !checked) rc = reel_task_fail(t, REEL_EINVAL, "no deliverable to check (the render agent wrote none)");
    if (!rc) rc = write_summary(t, summary, &rows, failed);
    if (!rc && failed && reel_opts_bool(reel_task_opts(t), "strict"))
        rc = reel_task_fail(t, REEL_EAGENT, "%d deliverable%s failed QC", failed, failed == 1 ? "" : "s");
    json_decref(summary);
    reel_sb_free(&rows);
    return rc;
}

static double qc_estimate(const reel_task *t)
{
    return 2.0 * (reel_task_n_deliveries(t) > 0 ? reel_task_n_deliveries(t) : 1);
}

static const char *const qc_reads[] = {"delivery", REEL_KIND_DELIVERIES, NULL};
static const char *const qc_writes[] = {"qc_report", "qc_html", "qc_summary", "qc_index", NULL};

const reel_agent reel_agent_qc = {
    .name = "qc",
    .version = 1,
    .summary = "every deliverable checked as a broadcaster's QC would: its declared format and "
               "loudness, black, freezes, damage, levels, photosensitive flashing, sound faults; "
               "report.json and report.html",
    .scope = REEL_SCOPE_PROJECT,
    .options = qc_options,
    .reads = qc_reads,
    .writes = qc_writes,
    .estimate = qc_estimate,
    .run = qc_run,
};
