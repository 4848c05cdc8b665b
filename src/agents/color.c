/* The colour agent: one task for the whole project that matches every shot to its hero with an
 * ASC CDL, evens out flicker inside shots, fits the look toward the brief's reference stills (or
 * takes a named look), grades for the time_of_day scene variable, and writes the look as .cube,
 * the CDLs as .ccc and as EDL comments, the deflicker gains, a report and a sheet of every clip's
 * poster before and after. It reads ingest's features, the shot lists and the posters: the only
 * pixels it decodes are the posters and the references. */
#include "agents/color.h"
#include "color/grader.h"
#include "media/media.h"
#include "util/fsutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const look_choices[] = {"auto", "neutral", "warm", "cool", "teal_orange", "bleach_bypass",
                                           "day_for_night", "noir", NULL};
static const char *const match_choices[] = {"clip", "project", "off", NULL};

static const reel_option color_options[] = {
    {"look", REEL_OPT_ENUM, "auto", 0, 0, look_choices,
     "auto: a transfer toward the colours of the brief's `looks:` references (neutral without them); or a "
     "named look, defined by parameters: neutral, warm, cool, teal_orange, bleach_bypass, day_for_night, noir."},
    {"strength", REEL_OPT_FLOAT, "1", 0, 1, NULL, "How much of the reference transfer to apply."},
    {"preserve_luminance", REEL_OPT_FLOAT, "0", 0, 1, NULL,
     "0: take the reference's tones too; 1: keep the footage's lightness and take only its colour."},
    {"protect_skin", REEL_OPT_FLOAT, "0.5", 0, 1, NULL,
     "Hold back the transfer's colour change on skin tones (0: none, 1: skin keeps its colour)."},
    {"protect_neutrals", REEL_OPT_FLOAT, "0.25", 0, 1, NULL,
     "Hold back the transfer's colour change on near-greys (0: none, 1: greys stay grey)."},
    {"match", REEL_OPT_ENUM, "clip", 0, 0, match_choices,
     "Shot matching by one ASC CDL per shot (black, mid and white levels, white balance, saturation) toward a hero "
     "shot: clip matches the shots within each clip, project matches every shot to one hero, off leaves "
     "shots as they are."},
    {"hero", REEL_OPT_STRING, "auto", 0, 0, NULL,
     "The hero shot: auto (the longest well-exposed shot), a clip name (its auto pick) or CLIP#N."},
    {"deflicker", REEL_OPT_BOOL, "true", 0, 0, NULL,
     "Even out exposure and white-balance flicker inside shots; cuts, steps (a light switched on), "
     "flashes and slow changes stay."},
    {"deflicker_window", REEL_OPT_FLOAT, "1", 0.2, 10, NULL,
     "Seconds over which exposure is evened out: changes slower than this are kept."},
    {"lut_size", REEL_OPT_INT, "33", 17, 129, NULL, "Points per axis of the look's .cube (33 and 65 are usual)."},
    {NULL},
};

const reel_option *reel_color_option_table(void)
{
    return color_options;
}

void reel_color_opts_from(const reel_opts *opts, reel_grade_opts *o)
{
    reel_grade_opts_default(o);
    o->look = reel_opts_str(opts, "look");
    o->strength = (float)reel_opts_float(opts, "strength");
    o->preserve_luma = (float)reel_opts_float(opts, "preserve_luminance");
    o->protect_skin = (float)reel_opts_float(opts, "protect_skin");
    o->protect_neutrals = (float)reel_opts_float(opts, "protect_neutrals");
    const char *m = reel_opts_str(opts, "match");
    o->match = !strcmp(m, "off") ? REEL_MATCH_OFF : !strcmp(m, "project") ? REEL_MATCH_PROJECT : REEL_MATCH_CLIP;
    o->hero = reel_opts_str(opts, "hero");
    o->deflicker = reel_opts_bool(opts, "deflicker");
    o->dp.window = reel_opts_float(opts, "deflicker_window");
    o->lut_size = (int)reel_opts_int(opts, "lut_size");
}

/* The clips that have pictures, loaded from their inputs. */
static int load_clips(reel_task *t, reel_grade_clip **out, int *n)
{
    int ni = reel_task_n_inputs(t);
    reel_grade_clip *c = calloc((size_t)(ni ? ni : 1), sizeof *c);
    if (!c) return reel_task_fail(t, REEL_ENOMEM, "out of memory");
    *out = c, *n = 0;
    for (int i = 0; i < ni; i++) {
        const char *feat = reel_task_input(t, "features", i), *frames = reel_task_input(t, "frames", i);
        const char *poster = reel_task_input(t, "poster", i), *name = reel_task_input_clip(t, i);
        if (!feat || !frames || !poster) continue; /* audio only, or its ingest failed */
        reel_err e = {0};
        const char *file = reel_basename(reel_task_input_clip_label(t, i)); /* the EDL's clip name */
        if (reel_grade_clip_load(&c[*n], name, file, feat, frames, reel_task_input(t, "shots", i), poster, &e) ||
            reel_grade_clip_check_sdr(&c[*n], &e)) {
            reel_task_warn(t, "%s: left out of the grade: %s", name, e.msg);
            reel_grade_clip_free(&c[*n]);
            continue;
        }
        (*n)++;
    }
    return 0;
}

static json_t *gains_json(const reel_grade_clip *c)
{
    json_t *frames = json_array();
    for (int i = 0; c->gains && i < c->frames.n_frames; i++) {
        const float *g = &c->gains[3 * i];
        if (g[0] == 1 && g[1] == 1 && g[2] == 1) continue;
        json_array_append_new(frames, json_pack("[i,f,f,f]", i, g[0], g[1], g[2]));
    }
    return json_pack("{s:s,s:i,s:s,s:o}", "clip", c->name, "frames", c->frames.n_frames, "gains",
                     "[frame, red, green, blue] for every frame changed; others are 1", "changed", frames);
}

static int write_deflicker(reel_task *t, const reel_grade_clip *c, int n, const char *path)
{
    json_t *clips = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(clips, gains_json(&c[i]));
    json_t *doc = json_pack("{s:s,s:o}", "applies_to", "video code values (R'G'B' 0..1), before the CDL",
                            "clips", clips);
    int rc = doc && !json_dump_file(doc, path, JSON_COMPACT | JSON_REAL_PRECISION(6)) ? 0
             : reel_task_fail(t, REEL_EIO, "%s: cannot write", path);
    json_decref(doc);
    return rc;
}

/* One poster graded as its frame is: deflicker gains, its shot's CDL, the look. */
static int grade_poster(const reel_grade_clip *c, const reel_grade_result *r, const reel_frame *in,
                        reel_frame *out, reel_err *e)
{
    int fi = reel_grade_frame_at(c, c->poster_time);
    reel_lut3d lut = {0};
    int rc = reel_look_bake(&r->look, &c->cdl[reel_grade_shot_of(c, fi)], 33, &lut, e);
    reel_lut3d_plan *p = rc ? NULL : reel_lut3d_plan_new(&lut);
    if (!rc && !p) rc = reel_errf(e, REEL_ENOMEM, "out of memory");
    if (!rc && c->gains) reel_lut3d_plan_set_gain(p, &c->gains[3 * fi]);
    for (int y = 0; !rc && y < in->height; y++)
        reel_lut3d_apply_rgb24(p, in->data[0] + (size_t)y * in->linesize[0], out->data[0] + (size_t)y * out->linesize[0],
                               (size_t)in->width);
    reel_lut3d_plan_free(p);
    reel_lut3d_free(&lut);
    return rc;
}

static void blit(const reel_frame *src, reel_frame *dst, int x0, int y0)
{
    for (int y = 0; y < src->height && y0 + y < dst->height; y++) {
        int w = src->width < dst->width - x0 ? src->width : dst->width - x0;
        memcpy(dst->data[0] + (size_t)(y0 + y) * dst->linesize[0] + (size_t)x0 * 3,
               src->data[0] + (size_t)y * src->linesize[0], (size_t)w * 3);
    }
}

/* Every clip's poster as shot (left) and graded (right), one row each. */
static int write_sheet(reel_task *t, const reel_grade_clip *c, int n, const reel_grade_result *r, const char *path)
{
    const int gap = 8;
    reel_frame *img = calloc((size_t)n, sizeof *img);
    int rc = img ? 0 : reel_task_fail(t, REEL_ENOMEM, "out of memory"), w = 16, h = gap;
    for (int i = 0; !rc && i < n; i++) {
        rc = reel_image_read(c[i].poster, &img[i], reel_task_err(t));
        if (!rc) w = img[i].width > w ? img[i].width : w, h += img[i].height + gap;
    }
    reel_frame sheet = {0}, graded = {0};
    if (!rc && reel_frame_alloc(&sheet, 2 * w + 3 * gap, h, REEL_PIX_RGB24)) rc = reel_task_fail(t, REEL_ENOMEM, "out of memory");
    for (int y = 0; !rc && y < sheet.height; y++) memset(sheet.data[0] + (size_t)y * sheet.linesize[0], 24, (size_t)sheet.width * 3);
    for (int i = 0, y = gap; !rc && i < n; y += img[i].height + gap, i++) {
        rc = reel_frame_alloc(&graded, img[i].width, img[i].height, REEL_PIX_RGB24);
        if (!rc) rc = grade_poster(&c[i], r, &img[i], &graded, reel_task_err(t));
        if (!rc) blit(&img[i], &sheet, gap, y), blit(&graded, &sheet, 2 * gap + w, y);
        reel_frame_free(&graded);
    }
    if (!rc) rc = reel_image_write(path, &sheet, reel_task_err(t));
    for (int i = 0; img && i < n; i++) reel_frame_free(&img[i]);
    free(img);
    reel_frame_free(&sheet);
    return rc;
}

static int write_all(reel_task *t, reel_grade_clip *c, int n, const reel_grade_result *r)
{
    reel_err *e = reel_task_err(t);
    const char *cube = reel_task_output(t, "look", "look.cube", "grades/look.cube");
    const char *ccc = reel_task_output(t, "cdl", "shots.ccc", "grades/shots.ccc");
    const char *edl = reel_task_output(t, "grade_edl", "shots.edl", "grades/shots.edl");
    const char *rep = reel_task_output(t, "grade_report", "grade.json", "grades/grade.json");
    const char *dfl = reel_task_output(t, "deflicker", "deflicker.json", "grades/deflicker.json");
    const char *sheet = reel_task_output(t, "graded_sheet", "graded.jpg", "grades/before_after.jpg");
    int rc = reel_grade_write_cube(r, cube, e);
    if (!rc) rc = reel_grade_write_ccc(c, n, ccc, e);
    if (!rc) rc = reel_grade_write_edl(c, n, edl, e);
    if (!rc) rc = reel_grade_write_report(r, rep, e);
    if (!rc) rc = write_deflicker(t, c, n, dfl);
    if (!rc) rc = write_sheet(t, c, n, r, sheet);
    return rc;
}

static int color_run(reel_task *t)
{
    reel_grade_clip *clips = NULL;
    int n = 0, rc = load_clips(t, &clips, &n);
    if (!rc && !n) rc = reel_task_fail(t, REEL_EAGENT, "no clip with pictures to grade");
    reel_grade_opts o;
    reel_color_opts_from(reel_task_opts(t), &o);
    int nl = reel_task_n_looks(t);
    const char **refs = calloc((size_t)(nl ? nl : 1) * 2, sizeof *refs);
    for (int i = 0; refs && i < nl; i++) /* the report names them as the project does */
        refs[i] = reel_task_look(t, i), refs[nl + i] = reel_task_look_label(t, i);
    o.refs = refs, o.n_refs = nl, o.ref_labels = refs ? refs + nl : NULL;
    o.time_of_day = reel_task_var(t, "time_of_day");
    reel_grade_result r = {0};
    if (!rc && !refs) rc = reel_task_fail(t, REEL_ENOMEM, "out of memory");
    if (!rc) rc = reel_grade_decide(clips, n, &o, &r, reel_task_err(t));
    reel_task_progress(t, 0.5);
    if (!rc) rc = write_all(t, clips, n, &r);
    reel_grade_result_free(&r);
    for (int i = 0; i < n; i++) reel_grade_clip_free(&clips[i]);
    free(clips);
    free(refs);
    return rc;
}

static double color_estimate(const reel_task *t)
{
    return 0.3 + 0.3 * reel_task_n_looks(t) + 0.02 * reel_task_n_inputs(t);
}

static const char *const color_reads[] = {"features", "frames", "shots", "poster", REEL_KIND_LOOKS, NULL};
static const char *const color_writes[] = {"look", "cdl", "grade_edl", "grade_report", "deflicker", "graded_sheet", NULL};
static const char *const color_vars[] = {"time_of_day", NULL};

const reel_agent reel_agent_color = {
    .name = "color",
    .version = 1,
    .summary = "shots matched to a hero by ASC CDL, flicker evened out, a look fitted to the brief's reference "
               "stills (or a named look) and graded for time_of_day; .cube, .ccc, EDL with ASC comments, report",
    .scope = REEL_SCOPE_PROJECT,
    .options = color_options,
    .reads = color_reads,
    .writes = color_writes,
    .variables = color_vars,
    .estimate = color_estimate,
    .run = color_run,
};
