/* Writers for shot lists: JSON (reel's own), CMX3600 EDL (one event per shot, source and record
 * timecodes, FROM CLIP NAME comments, dissolves as D events), OTIO JSON (a Timeline with one
 * video track of clips and Transition objects) and SRT (one cue per shot, for any player or NLE
 * that shows subtitles). */
#include "shots/export.h"
#include "util/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int gradual(const reel_transition *t)
{
    return t->type != REEL_TR_CUT && t->type != REEL_TR_FADE_IN && t->type != REEL_TR_FADE_OUT;
}

int reel_shot_spans(const reel_shot_result *r, reel_shot_span **spans)
{
    *spans = calloc((size_t)r->n_trans + 2, sizeof **spans);
    if (!*spans) return REEL_ENOMEM;
    int n = 0, start = 0;
    for (int i = 0; i < r->n_trans; i++) {
        const reel_transition *t = &r->trans[i];
        if (t->type != REEL_TR_CUT && !gradual(t)) continue;
        int at = t->type == REEL_TR_CUT ? t->start : t->start + t->length / 2;
        if (at <= start || at >= r->n_frames) continue;
        (*spans)[n++] = (reel_shot_span){start, at};
        start = at;
    }
    if (r->n_frames > start) (*spans)[n++] = (reel_shot_span){start, r->n_frames};
    return n;
}

static void tc(int64_t frame, reel_rational fps, int64_t base, char out[32])
{
    int drop = fps.den == 1001 && (reel_tc_base(fps) == 30 || reel_tc_base(fps) == 60);
    reel_tc_to_string(frame + base, fps, drop, out);
}

static int64_t tc_base(const char *start_tc, reel_rational fps)
{
    int drop;
    int64_t b = start_tc && *start_tc ? reel_tc_parse(start_tc, fps, &drop) : 0;
    return b > 0 ? b : 0;
}

json_t *reel_shots_to_json(const reel_shot_result *r, const char *clip, reel_rational fps,
                           const char *start_tc)
{
    char rate[32], a[32], b[32];
    snprintf(rate, sizeof rate, "%d/%d", fps.num, fps.den);
    int64_t base = tc_base(start_tc, fps);
    reel_shot_span *sp = NULL;
    int n = reel_shot_spans(r, &sp);
    json_t *shots = json_array(), *trans = json_array(), *flashes = json_array(), *damage = json_array();
    for (int i = 0; i < n; i++) {
        tc(sp[i].start, fps, base, a);
        tc(sp[i].end, fps, base, b);
        json_array_append_new(shots, json_pack("{s:i,s:i,s:i,s:s,s:s}", "index", i, "start", sp[i].start,
                                               "end", sp[i].end, "start_tc", a, "end_tc", b));
    }
    for (int i = 0; i < r->n_trans; i++) {
        const reel_transition *t = &r->trans[i];
        json_t *o = json_pack("{s:s,s:i,s:i,s:f}", "type", reel_trans_name(t->type), "start", t->start,
                              "length", t->length, "confidence", t->confidence);
        if (t->type == REEL_TR_FADE || t->type == REEL_TR_FADE_IN || t->type == REEL_TR_FADE_OUT)
            json_object_set_new(o, "color", json_string(t->white ? "white" : "black"));
        json_array_append_new(trans, o);
    }
    for (int i = 0; i < r->n_flashes; i++)
        json_array_append_new(flashes, json_pack("{s:i,s:i}", "frame", r->flashes[i].frame, "length",
                                                 r->flashes[i].length));
    for (int i = 0; i < r->n_damage; i++) {
        tc(r->damage[i].frame, fps, base, a);
        json_array_append_new(damage, json_pack("{s:i,s:i,s:s}", "frame", r->damage[i].frame, "length",
                                                r->damage[i].length, "tc", a));
    }
    free(sp);
    return json_pack("{s:s,s:s,s:i,s:o,s:o,s:o,s:o}", "clip", clip, "fps", rate, "frames", r->n_frames,
                     "shots", shots, "transitions", trans, "flashes", flashes, "damaged", damage);
}

/* The transition that ends at the boundary `at`, if gradual. */
static const reel_transition *gradual_at(const reel_shot_result *r, int at)
{
    for (int i = 0; i < r->n_trans; i++)
        if (gradual(&r->trans[i]) && r->trans[i].start + r->trans[i].length / 2 == at) return &r->trans[i];
    return NULL;
}

char *reel_shots_to_edl(const reel_shot_result *r, const char *clip, const char *source_name,
                        reel_rational fps, const char *start_tc)
{
    reel_strbuf b;
    reel_sb_init(&b);
    int drop = fps.den == 1001 && reel_tc_base(fps) == 30;
    reel_sb_printf(&b, "TITLE: %s shots\nFCM: %s\n\n", clip, drop ? "DROP FRAME" : "NON-DROP FRAME");
    reel_shot_span *sp = NULL;
    int n = reel_shot_spans(r, &sp);
    int64_t base = tc_base(start_tc, fps), rec = reel_tc_parse(drop ? "01:00:00;00" : "01:00:00:00", fps, NULL);
    char s0[32], s1[32], r0[32], r1[32];
    for (int i = 0; i < n; i++) {
        tc(sp[i].start, fps, base, s0);
        tc(sp[i].end, fps, base, s1);
        tc(sp[i].start, fps, rec, r0);
        tc(sp[i].end, fps, rec, r1);
        const reel_transition *g = i ? gradual_at(r, sp[i].start) : NULL;
        if (g && g->type == REEL_TR_DISSOLVE)
            reel_sb_printf(&b, "%03d  AX       V     D    %03d %s %s %s %s\n", i + 1, g->length, s0, s1, r0, r1);
        else
            reel_sb_printf(&b, "%03d  AX       V     C        %s %s %s %s\n", i + 1, s0, s1, r0, r1);
        reel_sb_printf(&b, "* FROM CLIP NAME: %s\n", source_name);
        if (g && g->type != REEL_TR_DISSOLVE)
            reel_sb_printf(&b, "* TRANSITION: %s, %d frames\n", reel_trans_name(g->type), g->length);
        reel_sb_add(&b, "\n");
    }
    free(sp);
    if (b.oom) { reel_sb_free(&b); return NULL; }
    return b.s;
}

static json_t *rtime(double value, reel_rational fps)
{
    return json_pack("{s:s,s:f,s:f}", "OTIO_SCHEMA", "RationalTime.1", "rate", (double)fps.num / fps.den,
                     "value", value);
}

json_t *reel_shots_to_otio(const reel_shot_result *r, const char *clip, const char *source_url,
                           reel_rational fps)
{
    reel_shot_span *sp = NULL;
    int n = reel_shot_spans(r, &sp);
    json_t *children = json_array();
    for (int i = 0; i < n; i++) {
        const reel_transition *g = i ? gradual_at(r, sp[i].start) : NULL;
        if (g) {
            int in = g->length / 2, out = g->length - in;
            json_array_append_new(children, json_pack("{s:s,s:s,s:s,s:o,s:o,s:{}}", "OTIO_SCHEMA",
                "Transition.1", "name", reel_trans_name(g->type), "transition_type", "SMPTE_Dissolve",
                "in_offset", rtime(in, fps), "out_offset", rtime(out, fps), "metadata"));
        }
        char name[300];
        snprintf(name, sizeof name, "%s shot %d", clip, i + 1);
        json_t *range = json_pack("{s:s,s:o,s:o}", "OTIO_SCHEMA", "TimeRange.1", "start_time",
                                  rtime(sp[i].start, fps), "duration", rtime(sp[i].end - sp[i].start, fps));
        json_t *ref = json_pack("{s:s,s:s,s:{},s:n}", "OTIO_SCHEMA", "ExternalReference.1", "target_url",
                                source_url, "metadata", "available_range");
        json_array_append_new(children, json_pack("{s:s,s:s,s:o,s:o,s:[],s:[],s:{}}", "OTIO_SCHEMA",
            "Clip.1", "name", name, "source_range", range, "media_reference", ref, "effects", "markers",
            "metadata"));
    }
    free(sp);
    json_t *track = json_pack("{s:s,s:s,s:s,s:o,s:n,s:[],s:[],s:{}}", "OTIO_SCHEMA", "Track.1", "name",
                              "V1", "kind", "Video", "children", children, "source_range", "effects",
                              "markers", "metadata");
    json_t *stack = json_pack("{s:s,s:s,s:[o],s:n,s:[],s:[],s:{}}", "OTIO_SCHEMA", "Stack.1", "name",
                              "tracks", "children", track, "source_range", "effects", "markers", "metadata");
    return json_pack("{s:s,s:s,s:n,s:o,s:{}}", "OTIO_SCHEMA", "Timeline.1", "name", clip,
                     "global_start_time", "tracks", stack, "metadata");
}

/* SRT time of a frame: HH:MM:SS,mmm from the exact rate. */
static void srt_time(int64_t frame, reel_rational fps, char out[16])
{
    int64_t ms = (frame * 1000 * fps.den + fps.num / 2) / fps.num;
    snprintf(out, 16, "%02d:%02d:%02d,%03d", (int)(ms / 3600000), (int)(ms / 60000 % 60),
             (int)(ms / 1000 % 60), (int)(ms % 1000));
}

/* How shot i begins: "cut", "dissolve (12 frames)", "fade in from black", ... */
static void shot_in(const reel_shot_result *r, const reel_shot_span *sp, int i, char *out, size_t n)
{
    const reel_transition *g = i ? gradual_at(r, sp[i].start) : NULL;
    if (g) snprintf(out, n, "%s (%d frames)", reel_trans_name(g->type), g->length);
    else snprintf(out, n, "%s", i ? "cut" : "start");
    for (int k = 0; k < r->n_trans; k++)
        if (r->trans[k].type == REEL_TR_FADE_IN && !i)
            snprintf(out, n, "fade in from %s (%d frames)", r->trans[k].white ? "white" : "black",
                     r->trans[k].length);
}

char *reel_shots_to_srt(const reel_shot_result *r, const char *clip, reel_rational fps)
{
    reel_strbuf b;
    reel_sb_init(&b);
    reel_shot_span *sp = NULL;
    int n = reel_shot_spans(r, &sp);
    char t0[16], t1[16], in[96];
    for (int i = 0; i < n; i++) {
        srt_time(sp[i].start, fps, t0);
        srt_time(sp[i].end, fps, t1);
        shot_in(r, sp, i, in, sizeof in);
        reel_sb_printf(&b, "%d\n%s --> %s\n%s shot %d/%d, frames %d-%d (%d), in: %s\n", i + 1, t0, t1, clip,
                       i + 1, n, sp[i].start, sp[i].end - 1, sp[i].end - sp[i].start, in);
        for (int k = 0; k < r->n_flashes; k++)
            if (r->flashes[k].frame >= sp[i].start && r->flashes[k].frame < sp[i].end)
                reel_sb_printf(&b, "flash at frame %d (%d frames)\n", r->flashes[k].frame, r->flashes[k].length);
        for (int k = 0; k < r->n_damage; k++)
            if (r->damage[k].frame >= sp[i].start && r->damage[k].frame < sp[i].end)
                reel_sb_printf(&b, "damaged frames %d-%d (decode errors)\n", r->damage[k].frame,
                               r->damage[k].frame + r->damage[k].length - 1);
        reel_sb_add(&b, "\n");
    }
    free(sp);
    if (b.oom) { reel_sb_free(&b); return NULL; }
    return b.s ? b.s : strdup("");
}
