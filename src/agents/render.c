/* The render agent: the cut conformed from the camera originals into every deliverable the brief
 * lists. Until the editor agent hands over a timeline, the cut is every clip with picture, whole,
 * in the project's order. Each item carries the colour agent's grade (deflicker, the shot's CDL,
 * the look) and the dialogue agent's cleaned sound where there is one. Outputs: each deliverable,
 * the dialogue stem of the cut and each deliverable's mix as broadcast WAV, and render.json. */
#include "agents/agent.h"
#include "render/conform.h"
#include "render/mix.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const reel_option render_options[] = {
    {"threads", REEL_OPT_INT, "4", 1, 16, NULL,
     "Encoder threads for h264 and h265: a fixed count, so the same cut gives the same bytes on "
     "any machine."},
    {NULL},
};

/* The plain cut: every input clip with picture, whole, with its cleaned sound when there is one. */
static int plain_cut(reel_task *t, reel_timeline *tl)
{
    reel_err *e = reel_task_err(t);
    for (int i = 0; i < reel_task_n_inputs(t); i++) {
        const char *src = reel_task_input_clip_path(t, i);
        reel_probe pr;
        if (!src || !reel_task_input(t, "features", i) || reel_media_probe(src, &pr, NULL) || !pr.has_video ||
            pr.duration <= 0)
            continue;
        reel_tl_item it = {.src_in = 0, .src_out = pr.duration};
        snprintf(it.name, sizeof it.name, "%s", reel_task_input_clip(t, i));
        snprintf(it.path, sizeof it.path, "%s", src);
        const char *wav = reel_task_input(t, "dialogue", i);
        if (wav) snprintf(it.audio, sizeof it.audio, "%s", wav);
        if (reel_timeline_add(tl, &it)) return reel_errf(e, REEL_ENOMEM, "out of memory");
    }
    return tl->n ? 0 : reel_task_fail(t, REEL_EINVAL, "no clip with picture to render");
}

/* The colour agent's decisions (project input: any input index holds them). */
static int load_grades(reel_task *t, reel_gradebook **g)
{
    *g = NULL;
    for (int i = 0; i < reel_task_n_inputs(t); i++) {
        const char *cube = reel_task_input(t, "look", i), *json = reel_task_input(t, "grade_report", i);
        if (cube && json) return reel_gradebook_load(g, cube, json, reel_task_input(t, "deflicker", i), reel_task_err(t));
    }
    reel_task_warn(t, "no colour decisions (the colour agent did not run): rendering ungraded");
    return 0;
}

typedef struct rjob {
    reel_task *t;
    reel_timeline tl;
    reel_gradebook *grade;
    reel_loudness stem_loud;
    const char *stem;
    json_t *report;
    int k, n;               /* delivery being rendered, of n */
} rjob;

static void on_progress(double frac, void *opaque)
{
    rjob *j = opaque;
    reel_task_progress(j->t, 0.1 + 0.9 * (j->k + frac) / j->n);
}

static json_t *num(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static int deliver(rjob *j, const reel_opts *d)
{
    reel_task *t = j->t;
    reel_err *e = reel_task_err(t);
    const char *name = reel_opts_str(d, "name"), *cont = reel_opts_str(d, "container");
    const char *ac = reel_opts_str(d, "audio_codec");
    int has_audio = strcmp(ac, "none") != 0;
    char file[300], mixname[300], pub[320];
    snprintf(file, sizeof file, "%s.%s", name, cont);
    snprintf(mixname, sizeof mixname, "%s_mix.wav", name);
    const reel_loud_target *ls = reel_loud_target_find(reel_opts_str(d, "loudness"));
    int gated = 0;
    double gain = reel_loud_target_gain(ls, &j->stem_loud, &gated);
    reel_loudness after = {0};
    const char *mix = NULL;
    if (has_audio) {
        snprintf(pub, sizeof pub, "stems/%s", mixname);
        mix = reel_task_output(t, "mix", mixname, pub);
        int rc = mix ? reel_render_mix(j->stem, mix, gain, ls->ceiling, &after, e) : reel_errf(e, REEL_EINVAL, "too many outputs");
        if (rc) return rc;
    }
    reel_conform_opts o = {.grade = j->grade, .audio = mix, .ceiling_db = NAN, .fade = reel_opts_float(d, "fade"),
                           .progress = on_progress, .opaque = j};
    const char *burn = reel_opts_str(d, "burn_in");
    o.burn_tc = !strcmp(burn, "timecode") || !strcmp(burn, "both");
    o.burn_names = !strcmp(burn, "shots") || !strcmp(burn, "both");
    o.enc = (reel_enc_opts){.container = cont, .vcodec = reel_opts_str(d, "video_codec"),
                            .width = (int)reel_opts_int(d, "width"), .height = (int)reel_opts_int(d, "height"),
                            .crf = (int)reel_opts_int(d, "crf"), .preset = reel_opts_str(d, "preset"),
                            .acodec = has_audio ? ac : NULL, .sample_rate = 48000, .channels = 2,
                            .threads = (int)reel_opts_int(reel_task_opts(t), "threads"),
                            .timecode = reel_opts_str(d, "start_timecode")};
    reel_parse_rational(reel_opts_str(d, "fps"), &o.enc.fps.num, &o.enc.fps.den);
    const char *out = reel_task_output(t, "delivery", file, file);
    if (!out) return reel_errf(e, REEL_EINVAL, "too many outputs");
    reel_conform_stats st;
    int rc = reel_conform_video(&j->tl, &o, out, &st, e);
    if (rc) return rc;
    json_array_append_new(json_object_get(j->report, "deliveries"),
        json_pack("{s:s,s:s,s:s,s:i,s:i,s:s,s:I,s:I,s:I,s:o,s:o,s:o,s:o,s:b}", "name", name, "file", file,
                  "video_codec", o.enc.vcodec, "width", o.enc.width, "height", o.enc.height, "fps",
                  reel_opts_str(d, "fps"), "frames", (json_int_t)st.frames, "source_frames_repeated",
                  (json_int_t)st.repeated, "source_frames_skipped", (json_int_t)st.skipped, "gain_db",
                  has_audio ? num(gain) : json_null(), "loudness_after", has_audio ? num(after.integrated) : json_null(),
                  "dialogue_gated_after", has_audio ? num(after.speech_integrated) : json_null(), "true_peak_after",
                  has_audio ? num(after.true_peak) : json_null(), "gain_from_dialogue_gated", gated));
    return 0;
}

static json_t *timeline_json(const reel_timeline *tl)
{
    json_t *a = json_array();
    for (int i = 0; i < tl->n; i++) {
        const reel_tl_item *it = &tl->items[i];
        double r = reel_timeline_rec_in(tl, i);
        json_array_append_new(a, json_pack("{s:s,s:f,s:f,s:f,s:f,s:f,s:b}", "clip", it->name, "source_in", it->src_in,
                                           "source_out", it->src_out, "record_in", r, "record_out",
                                           r + it->src_out - it->src_in, "dissolve", it->dissolve,
                                           "cleaned_sound", it->audio[0] != 0));
    }
    return a;
}

static int render_all(rjob *j)
{
    reel_task *t = j->t;
    reel_err *e = reel_task_err(t);
    j->n = reel_task_n_deliveries(t);
    if (!j->n) return reel_task_fail(t, REEL_EINVAL, "the brief lists no deliveries");
    int rc = plain_cut(t, &j->tl);
    if (!rc) rc = load_grades(t, &j->grade);
    j->stem = rc ? NULL : reel_task_output(t, "stems", "dialogue.wav", "stems/dialogue.wav");
    if (!rc) rc = reel_conform_audio(&j->tl, 48000, 2, j->stem, &j->stem_loud, NULL, e);
    reel_task_progress(t, 0.1);
    j->report = json_pack("{s:s,s:o,s:{s:o,s:o,s:o},s:[]}", "cut", "every clip with picture, in project order",
                          "timeline", timeline_json(&j->tl), "dialogue_stem", "integrated", num(j->stem_loud.integrated),
                          "dialogue_gated", num(j->stem_loud.speech_integrated), "true_peak",
                          num(j->stem_loud.true_peak), "deliveries");
    for (j->k = 0; !rc && j->k < j->n; j->k++) rc = deliver(j, reel_task_delivery(t, j->k));
    const char *rp = rc ? NULL : reel_task_output(t, "render_report", "render.json", "render.json");
    if (rp && json_dump_file(j->report, rp, JSON_INDENT(1) | JSON_REAL_PRECISION(6)))
        rc = reel_errf(e, REEL_EIO, "%s: cannot write", rp);
    return rc;
}

static int render_run(reel_task *t)
{
    rjob j = {.t = t};
    int rc = render_all(&j);
    reel_timeline_free(&j.tl);
    reel_gradebook_free(&j.grade);
    json_decref(j.report);
    return rc;
}

static double render_estimate(const reel_task *t)
{
    double s = 0;
    for (int i = 0; i < reel_task_n_inputs(t); i++) s += 1; /* refined once inputs are known */
    return 2 + s * 5 * (reel_task_n_deliveries(t) > 0 ? reel_task_n_deliveries(t) : 1);
}

static const char *const render_reads[] = {"features", "dialogue", "look", "grade_report", "deflicker",
                                           REEL_KIND_DELIVERIES, NULL};
static const char *const render_writes[] = {"delivery", "stems", "mix", "render_report", NULL};

const reel_agent reel_agent_render = {
    .name = "render",
    .version = 1,
    .summary = "the cut conformed from the camera originals into every deliverable in the brief "
               "(H.264, H.265, ProRes, DNxHR): graded, with the cleaned dialogue leveled to the "
               "delivery's loudness, timecode track, burn-in, dialogue stem and mix as broadcast WAV",
    .scope = REEL_SCOPE_PROJECT,
    .options = render_options,
    .reads = render_reads,
    .writes = render_writes,
    .estimate = render_estimate,
    .run = render_run,
};
