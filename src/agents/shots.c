/* The shots agent: per clip, shot boundaries and typed transitions from ingest's frame table
 * (no decoding), written as JSON, a CMX3600 EDL, OTIO and SRT, plus the flash events QC uses. */
#include "agents/agent.h"
#include "agents/shots.h"
#include "shots/export.h"
#include "util/fsutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const reel_option shots_options[] = {
    {"cut_ratio", REEL_OPT_FLOAT, "3", 1.5, 20, NULL,
     "A cut needs a frame difference this many times the median of its neighbourhood."},
    {"cut_min", REEL_OPT_FLOAT, "0.06", 0.005, 1, NULL,
     "Smallest colour-histogram distance (0..1) that can be a cut; lower finds subtler cuts."},
    {"gradual_min", REEL_OPT_FLOAT, "0.25", 0.05, 1, NULL,
     "Smallest change across a dissolve or wipe (histogram distance, 0..1)."},
    {"min_shot", REEL_OPT_INT, "6", 1, 250, NULL, "Shortest shot in frames; closer boundaries merge."},
    {NULL},
};

void reel_shots_params_from(const reel_opts *o, reel_shot_params *p)
{
    reel_shot_params_default(p);
    p->cut_ratio = reel_opts_float(o, "cut_ratio");
    p->cut_min = reel_opts_float(o, "cut_min");
    p->gradual_min = reel_opts_float(o, "gradual_min");
    p->min_shot = (int)reel_opts_int(o, "min_shot");
}

const reel_option *reel_shots_option_table(void)
{
    return shots_options;
}

/* fps and start timecode from ingest's features.json. */
static void clip_timing(const char *features, reel_rational *fps, char tc[32])
{
    json_error_t err;
    json_t *doc = json_load_file(features, 0, &err);
    const char *rate = json_string_value(json_object_get(json_object_get(json_object_get(doc, "probe"), "video"), "fps"));
    const char *t = json_string_value(json_object_get(json_object_get(json_object_get(doc, "probe"), "video"), "timecode"));
    *fps = (reel_rational){25, 1};
    if (rate && sscanf(rate, "%d/%d", &fps->num, &fps->den) != 2) *fps = (reel_rational){25, 1};
    if (fps->num <= 0 || fps->den <= 0) *fps = (reel_rational){25, 1};
    snprintf(tc, 32, "%s", t ? t : "");
    json_decref(doc);
}

/* Write text (NULL = out of memory) atomically to path; frees text. */
static int put_text(const char *path, char *text, reel_err *e)
{
    int rc = text ? reel_write_atomic(path, text, strlen(text), e)
                  : reel_errf(e, REEL_ENOMEM, "%s: out of memory", path);
    free(text);
    return rc;
}

static int put_json(const char *path, json_t *doc, size_t flags, reel_err *e)
{
    char *text = doc ? json_dumps(doc, flags) : NULL;
    json_decref(doc);
    return put_text(path, text, e);
}

int reel_shots_write(const reel_shot_result *r, const char *clip, const char *source,
                     const char *source_url, reel_rational fps, const char *start_tc,
                     const reel_shots_paths *p, reel_err *e)
{
    int rc = put_json(p->json, reel_shots_to_json(r, clip, fps, start_tc),
                      JSON_INDENT(1) | JSON_REAL_PRECISION(4), e);
    if (!rc && p->edl) rc = put_text(p->edl, reel_shots_to_edl(r, clip, reel_basename(source), fps, start_tc), e);
    if (!rc && p->otio) rc = put_json(p->otio, reel_shots_to_otio(r, clip, source_url, fps), JSON_INDENT(2), e);
    if (!rc && p->srt) rc = put_text(p->srt, reel_shots_to_srt(r, clip, fps), e);
    return rc;
}

static int shots_run(reel_task *t)
{
    reel_frames fr;
    reel_shot_params p;
    reel_shot_result r;
    reel_rational fps;
    char tc[32], pj[600], pe[600], po[600], ps[600];
    const char *name = reel_task_clip_name(t);
    int rc = reel_frames_load(reel_task_input(t, "frames", 0), &fr, reel_task_err(t));
    if (rc) return rc;
    clip_timing(reel_task_input(t, "features", 0), &fps, tc);
    reel_shots_params_from(reel_task_opts(t), &p);
    rc = reel_shots_detect(&fr, &p, &r);
    reel_frames_free(&fr);
    if (rc) return reel_task_fail(t, rc, "%s: shot detection failed (%s)", name, reel_strerror(rc));
    snprintf(pj, sizeof pj, "shots/%s.json", name);
    snprintf(pe, sizeof pe, "shots/%s.edl", name);
    snprintf(po, sizeof po, "shots/%s.otio", name);
    snprintf(ps, sizeof ps, "shots/%s.srt", name);
    int video = r.n_frames > 0; /* audio-only clips get a JSON with no shots, nothing else */
    /* project outputs name the clip relative to the project, so a moved project stays valid */
    reel_shots_paths paths = {reel_task_output(t, "shots", "shots.json", pj), NULL, NULL, NULL};
    if (video) {
        paths.edl = reel_task_output(t, "shots_edl", "shots.edl", pe);
        paths.otio = reel_task_output(t, "shots_otio", "shots.otio", po);
        paths.srt = reel_task_output(t, "shots_srt", "shots.srt", ps);
    }
    rc = reel_shots_write(&r, name, reel_task_clip_label(t), reel_task_clip_label(t), fps, tc, &paths,
                          reel_task_err(t));
    reel_shot_result_free(&r);
    return rc;
}

static double shots_estimate(const reel_task *t)
{
    return 0.001 * reel_task_clip_duration(t);
}

static const char *const shots_reads[] = {"frames", "features", NULL};
static const char *const shots_writes[] = {"shots", "shots_edl", "shots_otio", "shots_srt", NULL};

const reel_agent reel_agent_shots = {
    .name = "shots",
    .version = 4,
    .summary = "shot boundaries and typed transitions (cut, dissolve, fade, wipe) and flashes, "
               "from ingest's features; JSON, CMX3600 EDL, OTIO and SRT",
    .scope = REEL_SCOPE_CLIP,
    .options = shots_options,
    .reads = shots_reads,
    .writes = shots_writes,
    .estimate = shots_estimate,
    .run = shots_run,
};
