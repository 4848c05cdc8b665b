/* The colour decisions for a set of clips (see grader.h). */
#include "color/grader.h"
#include "timeline/cdl.h"
#include "timeline/cube.h"
#include "util/fsutil.h"
#include "util/strbuf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- loading ---------------------------------------------------------------------------------- */

static void copy_str(char *dst, size_t cap, json_t *v)
{
    snprintf(dst, cap, "%s", json_is_string(v) ? json_string_value(v) : "");
}

static int load_features(reel_grade_clip *c, const char *path, reel_err *e)
{
    json_error_t je;
    json_t *doc = json_load_file(path, 0, &je);
    if (!doc) return reel_errf(e, REEL_EINVAL, "%s:%d: %s", path, je.line, je.text);
    json_t *pv = json_object_get(json_object_get(doc, "probe"), "video"), *v = json_object_get(doc, "video");
    int rc = 0;
    if (!json_is_object(pv) || !json_is_object(v)) {
        rc = reel_errf(e, REEL_EINVAL, "%s: no video analysis (an audio-only clip has no colour)", path);
        goto done;
    }
    const char *fps = json_string_value(json_object_get(pv, "fps"));
    c->fps = (reel_rational){25, 1};
    if (!fps || sscanf(fps, "%d/%d", &c->fps.num, &c->fps.den) != 2 || c->fps.num <= 0 || c->fps.den <= 0)
        c->fps = (reel_rational){25, 1};
    c->height = (int)json_integer_value(json_object_get(pv, "height"));
    copy_str(c->color_space, sizeof c->color_space, json_object_get(pv, "color_space"));
    copy_str(c->color_trc, sizeof c->color_trc, json_object_get(pv, "color_trc"));
    copy_str(c->color_primaries, sizeof c->color_primaries, json_object_get(pv, "color_primaries"));
    copy_str(c->start_tc, sizeof c->start_tc, json_object_get(pv, "timecode"));
    c->full_range = json_is_true(json_object_get(v, "analysis_full_range"));
    c->poster_time = json_number_value(json_object_get(v, "poster_time"));
done:
    json_decref(doc);
    return rc;
}

static int load_shots(reel_grade_clip *c, const char *path, reel_err *e)
{
    json_error_t je;
    json_t *doc = json_load_file(path, 0, &je);
    if (!doc) return reel_errf(e, REEL_EINVAL, "%s:%d: %s", path, je.line, je.text);
    json_t *shots = json_object_get(doc, "shots");
    size_t n = json_array_size(shots);
    c->starts = calloc(n ? n : 1, sizeof *c->starts);
    int rc = c->starts ? 0 : reel_errf(e, REEL_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < n; i++) {
        json_int_t s = json_integer_value(json_object_get(json_array_get(shots, i), "start"));
        if (s < 0 || s >= c->frames.n_frames || (i && s <= c->starts[i - 1]) || (!i && s != 0))
            rc = reel_errf(e, REEL_EINVAL, "%s: shot %zu starts at frame %lld, outside the clip or out of "
                           "order", path, i + 1, (long long)s);
        else c->starts[c->n_shots++] = (int)s;
    }
    if (!rc && !c->n_shots) c->starts[c->n_shots++] = 0;
    json_decref(doc);
    return rc;
}

int reel_grade_clip_load(reel_grade_clip *c, const char *name, const char *source,
                         const char *features_json, const char *frames_bin, const char *shots_json,
                         const char *poster, reel_err *e)
{
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", name);
    snprintf(c->source, sizeof c->source, "%s", source);
    snprintf(c->poster, sizeof c->poster, "%s", poster ? poster : "");
    int rc = load_features(c, features_json, e);
    if (!rc) rc = reel_frames_load(frames_bin, &c->frames, e);
    if (!rc && reel_frames_field(&c->frames, "u_std") < 0)
        rc = reel_errf(e, REEL_EINVAL, "%s: made by an older ingest without chroma spreads; run ingest again",
                       frames_bin);
    if (!rc && c->frames.n_frames == 0) rc = reel_errf(e, REEL_EINVAL, "%s: no frames", frames_bin);
    if (!rc && shots_json) rc = load_shots(c, shots_json, e);
    if (!rc && !shots_json) {
        c->starts = calloc(1, sizeof *c->starts);
        if (!c->starts) rc = reel_errf(e, REEL_ENOMEM, "out of memory");
        else c->n_shots = 1;
    }
    return rc;
}

void reel_grade_clip_free(reel_grade_clip *c)
{
    reel_frames_free(&c->frames);
    free(c->starts), free(c->fc), free(c->shots), free(c->cdl), free(c->before), free(c->after);
    free(c->hero_of), free(c->gains);
    memset(c, 0, sizeof *c);
}

int reel_grade_shot_of(const reel_grade_clip *c, int64_t frame)
{
    int lo = 0, hi = c->n_shots; /* the last start <= frame (starts[0] = 0) */
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (c->starts[mid] <= frame) lo = mid;
        else hi = mid;
    }
    return lo;
}

void reel_grade_opts_default(reel_grade_opts *o)
{
    memset(o, 0, sizeof *o);
    o->look = "auto";
    o->strength = 1, o->protect_skin = 0.5f, o->protect_neutrals = 0.25f;
    o->match = REEL_MATCH_CLIP;
    o->hero = "auto";
    o->deflicker = 1;
    reel_deflicker_params_default(&o->dp);
    o->lut_size = 33;
}

/* ---- statistics, heroes, CDLs ------------------------------------------------------------------ */

static int clip_stats(reel_grade_clip *c, reel_err *e)
{
    reel_yuv_desc d;
    reel_yuv_desc_for(c->color_space, c->height, c->full_range, &d, &c->assumed_matrix);
    const char *m = d.kr == 0.2126 ? "BT.709" : "BT.601", *rg = c->full_range ? "full" : "limited";
    int untagged = !c->color_space[0] || !strcmp(c->color_space, "unknown");
    if (!c->assumed_matrix) snprintf(c->colour_note, sizeof c->colour_note, "%s matrix, %s range", m, rg);
    else if (untagged)
        snprintf(c->colour_note, sizeof c->colour_note, "colour space not tagged: assumed %s (by picture "
                 "height), %s range", m, rg);
    else snprintf(c->colour_note, sizeof c->colour_note, "unknown colour space '%s': assumed %s (by picture "
                  "height), %s range", c->color_space, m, rg);
    int rc = reel_frame_colors(&c->frames, &d, &c->fc);
    if (rc) return reel_errf(e, rc, "%s: %s", c->name, rc == REEL_ENOMEM ? "out of memory" : "frame table lacks colour columns");
    int n = c->n_shots;
    c->shots = calloc((size_t)n, sizeof *c->shots);
    c->cdl = calloc((size_t)n, sizeof *c->cdl);
    c->before = calloc((size_t)n, sizeof *c->before);
    c->after = calloc((size_t)n, sizeof *c->after);
    c->hero_of = calloc((size_t)n, sizeof *c->hero_of);
    if (!c->shots || !c->cdl || !c->before || !c->after || !c->hero_of) return reel_errf(e, REEL_ENOMEM, "out of memory");
    for (int s = 0; s < n; s++) {
        int end = s + 1 < n ? c->starts[s + 1] : c->frames.n_frames;
        reel_shot_color_pool(c->fc, c->starts[s], end, &d, &c->shots[s]);
        c->cdl[s] = reel_cdl_identity;
        c->hero_of[s] = -1;
    }
    return 0;
}

/* A flat index over every shot of every clip. */
typedef struct shot_ref {
    int clip, shot;
} shot_ref;

static int find_named_hero(const reel_grade_clip *clips, int n, const char *hero, shot_ref *out, reel_err *e)
{
    char name[256];
    snprintf(name, sizeof name, "%s", hero);
    char *hash = strrchr(name, '#');
    int shot = 0;
    if (hash) *hash = 0, shot = atoi(hash + 1);
    for (int i = 0; i < n; i++) {
        if (strcmp(clips[i].name, name)) continue;
        if (hash && (shot < 1 || shot > clips[i].n_shots))
            return reel_errf(e, REEL_EINVAL, "hero '%s': %s has %d shot%s", hero, name, clips[i].n_shots,
                             clips[i].n_shots == 1 ? "" : "s");
        out->clip = i;
        out->shot = hash ? shot - 1 : reel_match_pick_hero(clips[i].shots, clips[i].n_shots);
        return 0;
    }
    return reel_errf(e, REEL_ENOTFOUND, "hero '%s': no clip of that name (heroes are named CLIP or CLIP#SHOT)", hero);
}

/* The project's hero: named, else the best over every clip's pick. */
static int project_hero(const reel_grade_clip *clips, int n, const char *hero, shot_ref *out, reel_err *e)
{
    if (hero && *hero && strcmp(hero, "auto")) return find_named_hero(clips, n, hero, out, e);
    int total = 0;
    for (int i = 0; i < n; i++) total += clips[i].n_shots;
    reel_shot_color *all = malloc((size_t)(total ? total : 1) * sizeof *all);
    shot_ref *ref = malloc((size_t)(total ? total : 1) * sizeof *ref);
    if (!all || !ref) {
        free(all), free(ref);
        return reel_errf(e, REEL_ENOMEM, "out of memory");
    }
    int k = 0;
    for (int i = 0; i < n; i++)
        for (int s = 0; s < clips[i].n_shots; s++) all[k] = clips[i].shots[s], ref[k++] = (shot_ref){i, s};
    int h = reel_match_pick_hero(all, total);
    if (h >= 0) *out = ref[h];
    free(all), free(ref);
    return h >= 0 ? 0 : reel_errf(e, REEL_EINVAL, "no shot to match to");
}

static void match_to(reel_grade_clip *c, const reel_shot_color *hero, int hero_flat, int hero_shot_here)
{
    for (int s = 0; s < c->n_shots; s++) {
        reel_shot_color pred;
        c->hero_of[s] = hero_flat;
        if (s == hero_shot_here) c->cdl[s] = reel_cdl_identity;
        else reel_match_cdl(&c->shots[s], hero, &c->cdl[s]);
        reel_match_predict(&c->shots[s], &c->cdl[s], &pred);
        reel_match_distance_of(&c->shots[s], hero, &c->before[s]);
        reel_match_distance_of(&pred, hero, &c->after[s]);
    }
}

static int flat_index(const reel_grade_clip *clips, int clip, int shot)
{
    int k = 0;
    for (int i = 0; i < clip; i++) k += clips[i].n_shots;
    return k + shot;
}

static int match_all(reel_grade_clip *clips, int n, const reel_grade_opts *o, reel_err *e)
{
    if (o->match == REEL_MATCH_OFF) return 0;
    if (o->match == REEL_MATCH_PROJECT) {
        shot_ref h;
        int rc = project_hero(clips, n, o->hero, &h, e);
        if (rc) return rc;
        reel_shot_color hero = clips[h.clip].shots[h.shot];
        for (int i = 0; i < n; i++) match_to(&clips[i], &hero, flat_index(clips, h.clip, h.shot), i == h.clip ? h.shot : -1);
        return 0;
    }
    shot_ref named = {-1, -1};
    int rc = o->hero && *o->hero && strcmp(o->hero, "auto") ? find_named_hero(clips, n, o->hero, &named, e) : 0;
    if (rc) return rc;
    for (int i = 0; i < n; i++) {
        int h = i == named.clip ? named.shot : reel_match_pick_hero(clips[i].shots, clips[i].n_shots);
        if (h < 0) continue;
        reel_shot_color hero = clips[i].shots[h];
        match_to(&clips[i], &hero, flat_index(clips, i, h), h);
    }
    return 0;
}

static int deflicker_all(reel_grade_clip *clips, int n, const reel_grade_opts *o, reel_err *e)
{
    for (int i = 0; o->deflicker && i < n; i++) {
        reel_grade_clip *c = &clips[i];
        c->gains = malloc((size_t)c->frames.n_frames * 3 * sizeof *c->gains);
        if (!c->gains) return reel_errf(e, REEL_ENOMEM, "out of memory");
        double fps = (double)c->fps.num / c->fps.den;
        if (reel_deflicker(c->fc, c->frames.n_frames, fps, c->starts, c->n_shots, &o->dp, c->gains, &c->dstats))
            return reel_errf(e, REEL_ENOMEM, "out of memory");
    }
    return 0;
}

/* ---- the look ---------------------------------------------------------------------------------- */

int reel_grade_frame_at(const reel_grade_clip *c, double t)
{
    int best = 0;
    for (int i = 0; i < c->frames.n_frames; i++)
        if (fabs(c->frames.data[(size_t)i * c->frames.n_fields] - t) <
            fabs(c->frames.data[(size_t)best * c->frames.n_fields] - t))
            best = i;
    return best;
}

/* The poster through its shot's CDL, as Oklab samples. */
static int poster_samples(const reel_grade_clip *c, size_t max, float **lab, size_t *n, reel_err *e)
{
    reel_frame f;
    int rc = reel_image_read(c->poster, &f, e);
    if (rc) return rc;
    const reel_cdl *cdl = c->cdl ? &c->cdl[reel_grade_shot_of(c, reel_grade_frame_at(c, c->poster_time))] : NULL;
    for (int y = 0; cdl && !reel_cdl_is_identity(cdl) && y < f.height; y++) {
        uint8_t *p = f.data[0] + (size_t)y * f.linesize[0];
        for (int x = 0; x < f.width; x++, p += 3) {
            float v[3] = {p[0] / 255.0f, p[1] / 255.0f, p[2] / 255.0f};
            reel_cdl_apply(cdl, v, v);
            for (int k = 0; k < 3; k++) p[k] = (uint8_t)(v[k] * 255 + 0.5f);
        }
    }
    rc = reel_samples_from_frame(&f, max, lab, n);
    reel_frame_free(&f);
    return rc ? reel_errf(e, rc, "out of memory") : 0;
}

static json_t *ref_json(const char *path, const reel_ref_info *in, size_t samples)
{
    return json_pack("{s:s,s:i,s:i,s:i,s:i,s:b,s:f,s:f,s:I,s:s}", "path", path, "width", in->width, "height",
                     in->height, "bits", in->bits, "pictures", in->frames, "monochrome", in->gray,
                     "lightness_spread", in->l_sd, "mean_chroma", in->c_mean, "samples", (json_int_t)samples,
                     "note", in->note);
}

static int fit_transfer(reel_grade_clip *clips, int n, const reel_grade_opts *o, reel_grade_result *r,
                        json_t *look, reel_err *e)
{
    float *src = NULL, *ref = NULL;
    size_t ns = 0, nr = 0;
    int posters = 0, rc = 0, gray = 1;
    for (int i = 0; i < n; i++) posters += clips[i].poster[0] != 0;
    json_t *refs = json_array();
    json_object_set_new(look, "references", refs);
    for (int i = 0; !rc && i < o->n_refs; i++) {
        reel_ref_info info;
        size_t before = nr;
        rc = reel_look_reference_load(o->refs[i], 65536 / (size_t)o->n_refs + 1, &ref, &nr, &info, e);
        if (!rc) json_array_append_new(refs, ref_json(o->ref_labels ? o->ref_labels[i] : o->refs[i], &info, nr - before));
        gray &= info.gray;
    }
    for (int i = 0; !rc && i < n; i++)
        if (clips[i].poster[0]) rc = poster_samples(&clips[i], 65536 / (size_t)posters + 1, &src, &ns, e);
    if (!rc && !posters) rc = reel_errf(e, REEL_EINVAL, "no picture of the footage to fit a look on (no posters)");
    reel_transfer_opts to;
    reel_transfer_opts_default(&to);
    if (!rc) rc = reel_transfer_fit(src, ns, ref, nr, &to, &r->transfer, e);
    if (!rc) {
        r->look.transfer = &r->transfer;
        r->look.mono = gray;
        json_object_set_new(look, "fit", json_pack("{s:I,s:I,s:i,s:s}", "footage_samples", (json_int_t)ns,
                                                   "reference_samples", (json_int_t)nr, "transport_rounds",
                                                   to.rounds, "method", "Monge-Kantorovich linear map in Oklab, "
                                                   "then sliced optimal transport in the chroma plane"));
    }
    free(src), free(ref);
    return rc;
}

static int make_look(reel_grade_clip *clips, int n, const reel_grade_opts *o, reel_grade_result *r, reel_err *e)
{
    reel_look_init(&r->look);
    r->look.strength = o->strength, r->look.preserve_luma = o->preserve_luma;
    r->look.protect_skin = o->protect_skin, r->look.protect_neutrals = o->protect_neutrals;
    int use_refs = (!o->look || !strcmp(o->look, "auto")) && o->n_refs > 0;
    const char *named = use_refs || !o->look || !strcmp(o->look, "auto") ? "neutral" : o->look;
    const reel_grade_entry *g = reel_grade_find(reel_named_looks, named);
    if (!g) return reel_errf(e, REEL_EINVAL, "look '%s' is not one of: auto, %s", named, reel_grade_names(reel_named_looks));
    r->look.named = g->g;
    const char *tod = o->time_of_day && *o->time_of_day ? o->time_of_day : "noon";
    const reel_grade_entry *t = reel_grade_find(reel_times_of_day, tod);
    if (!t) return reel_errf(e, REEL_EINVAL, "time_of_day '%s' is not one of: %s", tod, reel_grade_names(reel_times_of_day));
    r->look.tod = t->g;
    snprintf(r->look_name, sizeof r->look_name, "%s", use_refs ? "reference" : named);
    json_t *look = json_pack("{s:s,s:s,s:f,s:f,s:f,s:f,s:s,s:i}", "look", r->look_name, "named_look", named,
                             "strength", o->strength, "preserve_luminance", o->preserve_luma, "protect_skin",
                             o->protect_skin, "protect_neutrals", o->protect_neutrals, "time_of_day", tod,
                             "lut_size", o->lut_size);
    json_object_set_new(r->report, "look", look);
    int rc = use_refs ? fit_transfer(clips, n, o, r, look, e) : 0;
    if (!rc) rc = reel_look_bake(&r->look, NULL, o->lut_size, &r->lut, e);
    if (!rc) snprintf(r->lut.title, sizeof r->lut.title, "reel look: %s, time of day %s", r->look_name, tod);
    return rc;
}

/* ---- report ------------------------------------------------------------------------------------ */

static json_t *triple(const double v[3])
{
    return json_pack("[f,f,f]", v[0], v[1], v[2]);
}

static json_t *dist_json(const reel_match_distance *d)
{
    return json_pack("{s:f,s:f,s:f,s:f,s:f,s:f}", "de2000", d->de2000, "contrast_pct", d->contrast_pct,
                     "saturation_pct", d->saturation_pct, "black_pct", d->black, "median_pct", d->mid,
                     "white_pct", d->white);
}

static void hero_label(const reel_grade_clip *clips, int n, int flat, char *out, size_t cap)
{
    snprintf(out, cap, "none");
    for (int i = 0, k = 0; i < n; k += clips[i].n_shots, i++)
        if (flat >= k && flat < k + clips[i].n_shots) snprintf(out, cap, "%s#%d", clips[i].name, flat - k + 1);
}

static json_t *shot_json(const reel_grade_clip *clips, int n, const reel_grade_clip *c, int s, int matched)
{
    const reel_shot_color *st = &c->shots[s];
    const reel_cdl *d = &c->cdl[s];
    char hero[300];
    hero_label(clips, n, c->hero_of[s], hero, sizeof hero);
    json_t *o = json_pack("{s:i,s:i,s:i,s:o,s:f,s:f,s:f}", "shot", s + 1, "start", st->start, "end", st->end,
                          "mean_rgb", triple(st->rgb), "luma", st->luma, "contrast", st->luma_sd,
                          "chroma_spread", st->chroma_sd);
    json_object_set_new(o, "levels", json_pack("[f,f,f]", st->lo, st->mid, st->hi));
    json_object_set_new(o, "cdl", json_pack("{s:o,s:o,s:o,s:f}", "slope", triple(d->slope), "offset",
                                            triple(d->offset), "power", triple(d->power), "sat", d->sat));
    if (matched) {
        json_object_set_new(o, "hero", json_string(hero));
        json_object_set_new(o, "before", dist_json(&c->before[s]));
        json_object_set_new(o, "after_predicted", dist_json(&c->after[s]));
    }
    return o;
}

static json_t *clip_json(const reel_grade_clip *clips, int n, const reel_grade_clip *c, const reel_grade_opts *o)
{
    json_t *shots = json_array();
    for (int s = 0; s < c->n_shots; s++) json_array_append_new(shots, shot_json(clips, n, c, s, o->match != REEL_MATCH_OFF));
    json_t *j = json_pack("{s:s,s:i,s:o}", "clip", c->name, "frames", c->frames.n_frames, "shots", shots);
    json_object_set_new(j, "colour", json_string(c->colour_note));
    if (c->gains) {
        const reel_deflicker_stats *d = &c->dstats;
        json_object_set_new(j, "deflicker", json_pack("{s:i,s:i,s:i,s:i,s:i,s:i,s:f,s:f}", "frames_changed",
            d->frames_changed, "pieces", d->pieces, "pieces_flickering", d->pieces_flickering,
            "pieces_moving_left_alone", d->pieces_moving, "steps_kept",
            d->steps_kept, "events_kept", d->events_kept, "rms_before", d->rms_before, "max_gain_change",
            d->max_gain_dev));
    }
    return j;
}

/* ---- decide ------------------------------------------------------------------------------------ */

int reel_grade_clip_check_sdr(const reel_grade_clip *c, reel_err *e)
{
    if (!strcmp(c->color_trc, "smpte2084") || !strcmp(c->color_trc, "arib-std-b67"))
        return reel_errf(e, REEL_EMEDIA, "%s: HDR footage (%s transfer): reel grades SDR Rec. 709 only; "
                         "convert it to SDR first", c->name, c->color_trc);
    return 0;
}

int reel_grade_decide(reel_grade_clip *clips, int n, const reel_grade_opts *o, reel_grade_result *r, reel_err *e)
{
    memset(r, 0, sizeof *r);
    r->report = json_object();
    int rc = r->report ? 0 : reel_errf(e, REEL_ENOMEM, "out of memory");
    for (int i = 0; !rc && i < n; i++) rc = reel_grade_clip_check_sdr(&clips[i], e);
    for (int i = 0; !rc && i < n; i++) rc = clip_stats(&clips[i], e);
    if (!rc) rc = match_all(clips, n, o, e);
    if (!rc) rc = deflicker_all(clips, n, o, e);
    if (!rc && o->cancel && *o->cancel) rc = reel_errf(e, REEL_ECANCEL, "interrupted");
    if (!rc) rc = make_look(clips, n, o, r, e);
    if (rc) return rc;
    static const char *const scope[] = {"off", "clip", "project"};
    json_object_set_new(r->report, "match", json_pack("{s:s,s:s}", "scope", scope[o->match], "hero",
                                                      o->hero && *o->hero ? o->hero : "auto"));
    json_t *cl = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(cl, clip_json(clips, n, &clips[i], o));
    json_object_set_new(r->report, "clips", cl);
    return 0;
}

void reel_grade_result_free(reel_grade_result *r)
{
    reel_lut3d_free(&r->lut);
    json_decref(r->report);
    memset(r, 0, sizeof *r);
}

/* ---- writers ----------------------------------------------------------------------------------- */

int reel_grade_write_cube(const reel_grade_result *r, const char *path, reel_err *e)
{
    return reel_cube_save(path, &r->lut, e);
}

int reel_grade_write_report(const reel_grade_result *r, const char *path, reel_err *e)
{
    char *text = json_dumps(r->report, JSON_INDENT(1) | JSON_REAL_PRECISION(6));
    int rc = text ? reel_write_atomic(path, text, strlen(text), e) : reel_errf(e, REEL_ENOMEM, "out of memory");
    free(text);
    return rc;
}

int reel_grade_write_ccc(const reel_grade_clip *clips, int n, const char *path, reel_err *e)
{
    int total = 0, k = 0;
    for (int i = 0; i < n; i++) total += clips[i].n_shots;
    reel_cdl_entry *en = calloc((size_t)(total ? total : 1), sizeof *en);
    if (!en) return reel_errf(e, REEL_ENOMEM, "out of memory");
    for (int i = 0; i < n; i++)
        for (int s = 0; s < clips[i].n_shots; s++, k++) {
            const reel_shot_color *st = &clips[i].shots[s];
            snprintf(en[k].id, sizeof en[k].id, "%.100s_s%03d", clips[i].name, s + 1);
            snprintf(en[k].description, sizeof en[k].description, "%.180s shot %d, frames %d-%d", clips[i].name,
                     s + 1, st->start, st->end - 1);
            en[k].cdl = clips[i].cdl[s];
        }
    int rc = reel_ccc_save(path, en, total, e);
    free(en);
    return rc;
}

int reel_grade_write_edl(const reel_grade_clip *clips, int n, const char *path, reel_err *e)
{
    reel_strbuf b;
    reel_sb_init(&b);
    reel_rational rfps = n ? clips[0].fps : (reel_rational){25, 1};
    int drop = rfps.den == 1001 && reel_tc_base(rfps) == 30;
    reel_sb_printf(&b, "TITLE: reel grade\nFCM: %s\n\n", drop ? "DROP FRAME" : "NON-DROP FRAME");
    int64_t rec = reel_tc_parse(drop ? "01:00:00;00" : "01:00:00:00", rfps, NULL);
    int ev = 1;
    for (int i = 0; i < n; i++) {
        const reel_grade_clip *c = &clips[i];
        int cdrop = c->fps.den == 1001 && reel_tc_base(c->fps) == 30, d0;
        int64_t base = c->start_tc[0] ? reel_tc_parse(c->start_tc, c->fps, &d0) : 0;
        if (base < 0) base = 0;
        for (int s = 0; s < c->n_shots; s++, ev++) {
            const reel_shot_color *st = &c->shots[s];
            char s0[32], s1[32], r0[32], r1[32], cdl[256] = "";
            int len = st->end - st->start;
            reel_tc_to_string(base + st->start, c->fps, cdrop, s0);
            reel_tc_to_string(base + st->end, c->fps, cdrop, s1);
            reel_tc_to_string(rec, rfps, drop, r0);
            reel_tc_to_string(rec + len, rfps, drop, r1);
            rec += len;
            reel_cdl_edl_comments(&c->cdl[s], cdl, sizeof cdl);
            reel_sb_printf(&b, "%03d  AX       V     C        %s %s %s %s\n* FROM CLIP NAME: %s\n%s\n", ev % 1000, s0,
                           s1, r0, r1, c->source, cdl);
        }
    }
    int rc = b.oom ? reel_errf(e, REEL_ENOMEM, "out of memory")
                   : reel_write_atomic(path, b.s ? b.s : "", b.s ? strlen(b.s) : 0, e);
    reel_sb_free(&b);
    return rc;
}
