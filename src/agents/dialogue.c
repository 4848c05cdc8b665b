/* The dialogue agent: per clip with dialogue, its loudness normalised to a delivery preset as a
 * broadcast WAV (out/dialogue/CLIP.wav) with a JSON report of the before/after figures
 * (out/dialogue/CLIP.json). Clips without speech (room tone, effects) are measured and left as
 * they are. Clipping and mains hum are searched for in every clip and repaired where found;
 * de-clicking, noise reduction and leveling are options. See audio/dialogue.h. */
#include "agents/agent.h"
#include "audio/dialogue.h"
#include "media/media.h"
#include "util/fsutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_SPEECH 0.05 /* share of 20 ms frames: under it, a clip holds no dialogue to level */

static const char *const presets[] = {"ebu", "atsc", "netflix", "apple", "spotify", "youtube", NULL};
static const char *const formats[] = {"pcm_s24le", "pcm_s16le", "pcm_f32le", NULL};
static const char *const mains[] = {"auto", "off", "50", "60", NULL};
static const char *const autooff[] = {"auto", "off", NULL};

static const reel_option dialogue_options[] = {
    {"preset", REEL_OPT_ENUM, "ebu", 0, 0, presets,
     "Delivery loudness: ebu (-23 LUFS, -1 dBTP), atsc (-24, -2), netflix (-27 dialogue-gated, -2), "
     "apple (-16, -1), spotify and youtube (-14, -1)."},
    {"target", REEL_OPT_FLOAT, "0", -70, 0, NULL, "Integrated loudness target in LUFS; 0 keeps the preset's."},
    {"true_peak", REEL_OPT_FLOAT, "0", -20, 0, NULL, "True-peak ceiling in dBTP; 0 keeps the preset's."},
    {"format", REEL_OPT_ENUM, "pcm_s24le", 0, 0, formats, "Sample format of the broadcast WAV."},
    {"level", REEL_OPT_BOOL, "false", 0, 0, NULL,
     "Dialogue leveling: bring each line toward the median speech loudness (up to 10 dB), gain "
     "riding under speech and holding through pauses."},
    {"dehum", REEL_OPT_ENUM, "auto", 0, 0, mains,
     "Mains hum: auto finds 50 or 60 Hz and their harmonics and removes the lines found; 50 or 60 "
     "names the mains; off leaves hum alone."},
    {"declip", REEL_OPT_ENUM, "auto", 0, 0, autooff,
     "Clipping: auto finds digital clipping (flat runs at the programme's extremes) and rebuilds the "
     "clipped peaks by AR interpolation; off leaves it."},
    {"declick", REEL_OPT_BOOL, "false", 0, 0, NULL,
     "De-clicking: finds clicks by their forward and backward prediction error and rebuilds them by AR "
     "interpolation."},
    {"denoise", REEL_OPT_BOOL, "false", 0, 0, NULL,
     "Noise reduction: a spectral suppressor that learns the noise floor as it goes, phase-faithful "
     "and time-aligned."},
    {"strength", REEL_OPT_FLOAT, "0.7", 0, 1, NULL, "How deep noise reduction may cut: 0 to 1 (0.7: up to 17 dB)."},
    {NULL},
};

static void opts_from(const reel_opts *o, reel_dialogue_opts *d)
{
    memset(d, 0, sizeof *d);
    d->preset = *reel_loud_preset_find(reel_opts_str(o, "preset"));
    if (reel_opts_float(o, "target") < 0) d->preset.target = reel_opts_float(o, "target");
    if (reel_opts_float(o, "true_peak") < 0) d->preset.true_peak = reel_opts_float(o, "true_peak");
    const char *f = reel_opts_str(o, "format");
    d->level = reel_opts_bool(o, "level");
    d->denoise = reel_opts_bool(o, "denoise");
    d->strength = reel_opts_float(o, "strength");
    const char *m = reel_opts_str(o, "dehum");
    d->dehum = !strcmp(m, "off") ? REEL_DEHUM_OFF : !strcmp(m, "auto") ? REEL_DEHUM_AUTO : atoi(m);
    d->declip = !strcmp(reel_opts_str(o, "declip"), "off") ? REEL_DECLIP_OFF : REEL_DECLIP_AUTO;
    d->declick = reel_opts_bool(o, "declick") ? REEL_CLICK_THRESHOLD : 0;
    d->fmt = !strcmp(f, "pcm_s16le") ? REEL_WAV_PCM16 : !strcmp(f, "pcm_f32le") ? REEL_WAV_FLOAT32 : REEL_WAV_PCM24;
}

static void on_progress(const char *stage, double frac, void *opaque)
{
    double at = !strcmp(stage, "measure") ? 0 : !strcmp(stage, "clean") ? 0.3 : 0.6;
    reel_task_progress(opaque, at + (strcmp(stage, "write") ? 0.3 : 0.4) * frac);
}

static int write_report(reel_task *t, const char *path, json_t *j)
{
    char *text = j ? json_dumps(j, JSON_INDENT(1) | JSON_REAL_PRECISION(6)) : NULL;
    json_decref(j);
    int rc = text ? reel_write_atomic(path, text, strlen(text), reel_task_err(t))
                  : reel_task_fail(t, REEL_ENOMEM, "out of memory");
    free(text);
    return rc;
}

static int dialogue_run(reel_task *t)
{
    const char *name = reel_task_clip_name(t), *src = reel_task_clip_path(t);
    char pw[600], pj[600];
    snprintf(pw, sizeof pw, "dialogue/%s.wav", name);
    snprintf(pj, sizeof pj, "dialogue/%s.json", name);
    reel_dialogue_opts o;
    opts_from(reel_task_opts(t), &o);
    o.progress = on_progress;
    o.opaque = t;
    o.reproducible = 1;
    reel_probe pr;
    int rc = reel_media_probe(src, &pr, reel_task_err(t));
    if (rc) return reel_task_fail(t, rc, "%s", reel_task_err(t)->msg);
    const char *report = reel_task_output(t, "dialogue_report", "dialogue.json", pj);
    o.out = reel_task_output(t, "dialogue", "dialogue.wav", pw);
    reel_dialogue_report r;
    reel_err e = {0};
    const char *out = o.out;
    o.out = NULL; /* measure first */
    if (pr.has_audio) rc = reel_dialogue_process(src, &o, &r, &e);
    else rc = reel_errf(&e, REEL_EINVAL, "%s: no audio stream", reel_task_clip_label(t));
    if (rc && rc != REEL_EINVAL) return reel_task_fail(t, rc, "%s", e.msg);
    if (!rc && r.before.speech_ratio < MIN_SPEECH) { /* room tone, effects, music: not dialogue */
        reel_task_drop_output(t, "dialogue");
        json_t *j = reel_dialogue_report_json(reel_task_clip_label(t), &o, &r);
        json_object_set_new(j, "skipped", json_string("no dialogue found (under 5% speech): left as it is; "
                                                      "loudness normalisation of the whole programme belongs to the mix"));
        return write_report(t, report, j);
    }
    if (!rc) {
        reel_loudness before = r.before;
        reel_hum hum = r.hum;
        reel_clipping clip = r.clip;
        o.measured = o.level ? NULL : &before;
        o.hum = &hum;
        o.clip = &clip;
        o.out = out;
        rc = reel_dialogue_process(src, &o, &r, &e);
        if (rc && rc != REEL_EINVAL) return reel_task_fail(t, rc, "%s", e.msg);
    }
    if (rc) { /* no sound, silence, under 400 ms: say so in the report, write no audio */
        reel_task_drop_output(t, "dialogue");
        if (pr.has_audio) reel_task_warn(t, "%s", e.msg);
        json_t *j = json_pack("{s:s,s:s}", "file", reel_task_clip_label(t), "skipped", e.msg);
        return write_report(t, report, j);
    }
    if (r.note[0]) reel_task_warn(t, "%s: %s", name, r.note);
    if (r.limiter_max_db > 6)
        reel_task_warn(t, "%s: the limiter took up to %.1f dB off peaks to reach %s", name, r.limiter_max_db, o.preset.title);
    json_t *j = reel_dialogue_report_json(reel_task_clip_label(t), &o, &r);
    json_object_set_new(j, "output", json_string(pw));
    return write_report(t, report, j);
}

static double dialogue_estimate(const reel_task *t)
{
    return 0.03 * reel_task_clip_duration(t);
}

/* features: runs after ingest, and is skipped with it when the clip cannot be read */
static const char *const dialogue_reads[] = {REEL_KIND_SOURCE, "features", NULL};
static const char *const dialogue_writes[] = {"dialogue", "dialogue_report", NULL};

const reel_agent reel_agent_dialogue = {
    .name = "dialogue",
    .version = 5,
    .summary = "each clip with dialogue cleaned of clipping and mains hum (and, as options, of clicks "
               "and noise), normalised "
               "to a delivery loudness preset through a true-peak limiter (optionally leveled first), "
               "as a broadcast WAV with a before/after report; clips without speech are measured and "
               "left alone",
    .scope = REEL_SCOPE_CLIP,
    .options = dialogue_options,
    .reads = dialogue_reads,
    .writes = dialogue_writes,
    .estimate = dialogue_estimate,
    .run = dialogue_run,
};
