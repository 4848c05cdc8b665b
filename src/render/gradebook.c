/* The colour agent's decisions as the conform applies them: the look (.cube), each shot's ASC CDL
 * and frame range (grade.json) and the per-frame deflicker gains (deflicker.json), read back from
 * the agent's outputs. One shot's table (its CDL, then the look, baked at 33 points) is held at a
 * time: a conform walks each clip's frames in order. */
#include "render/gradebook.h"
#include "timeline/cube.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct gb_shot {
    int64_t start, end; /* frames [start, end) */
    reel_cdl cdl;
} gb_shot;

typedef struct gb_clip {
    char name[256];
    gb_shot *shots;
    int n_shots;
    float *gains; /* 3 per frame, or NULL (no deflicker) */
    int64_t frames;
} gb_clip;

struct reel_gradebook {
    reel_lut3d look;
    int look_only;          /* no shot decisions: the look on every clip */
    gb_clip *clips;
    int n_clips;
    int cur_clip, cur_shot;
    reel_lut3d table;
    reel_lut3d_plan *plan;
    unsigned gen;           /* counts the tables baked */
};

static void cdl_from_json(const json_t *o, reel_cdl *c)
{
    *c = reel_cdl_identity;
    for (int k = 0; k < 3; k++) {
        c->slope[k] = json_number_value(json_array_get(json_object_get(o, "slope"), (size_t)k));
        c->offset[k] = json_number_value(json_array_get(json_object_get(o, "offset"), (size_t)k));
        c->power[k] = json_number_value(json_array_get(json_object_get(o, "power"), (size_t)k));
    }
    c->sat = json_number_value(json_object_get(o, "sat"));
}

static int load_clip(gb_clip *c, const json_t *j)
{
    snprintf(c->name, sizeof c->name, "%s", json_string_value(json_object_get(j, "clip")) ?: "");
    c->frames = json_integer_value(json_object_get(j, "frames"));
    const json_t *shots = json_object_get(j, "shots");
    c->n_shots = (int)json_array_size(shots);
    if (!c->n_shots) return 0;
    if (!(c->shots = calloc((size_t)c->n_shots, sizeof *c->shots))) return REEL_ENOMEM;
    for (int s = 0; s < c->n_shots; s++) {
        const json_t *o = json_array_get(shots, (size_t)s);
        c->shots[s].start = json_integer_value(json_object_get(o, "start"));
        c->shots[s].end = json_integer_value(json_object_get(o, "end"));
        cdl_from_json(json_object_get(o, "cdl"), &c->shots[s].cdl);
    }
    return 0;
}

static gb_clip *find_clip(reel_gradebook *g, const char *name)
{
    for (int i = 0; i < g->n_clips; i++)
        if (!strcmp(g->clips[i].name, name)) return &g->clips[i];
    return NULL;
}

/* deflicker.json: clips[].changed = [[frame, r, g, b], ...]; other frames have gain 1. */
static int load_gains(reel_gradebook *g, const json_t *root)
{
    size_t i;
    const json_t *cj;
    json_array_foreach(json_object_get(root, "clips"), i, cj) {
        gb_clip *c = find_clip(g, json_string_value(json_object_get(cj, "clip")) ?: "");
        const json_t *ch = json_object_get(cj, "changed");
        if (!c || !json_array_size(ch) || c->frames <= 0) continue;
        if (!(c->gains = malloc((size_t)c->frames * 3 * sizeof *c->gains))) return REEL_ENOMEM;
        for (int64_t f = 0; f < 3 * c->frames; f++) c->gains[f] = 1;
        size_t k;
        const json_t *row;
        json_array_foreach(ch, k, row) {
            json_int_t f = json_integer_value(json_array_get(row, 0));
            if (f < 0 || f >= c->frames) continue;
            for (int q = 0; q < 3; q++) c->gains[3 * f + q] = (float)json_number_value(json_array_get(row, (size_t)q + 1));
        }
    }
    return 0;
}

static json_t *load_json(const char *path, reel_err *e)
{
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!j) reel_errf(e, REEL_EINVAL, "%s:%d: %s", path, je.line, je.text);
    return j;
}

int reel_gradebook_load(reel_gradebook **out, const char *cube, const char *grade_json, const char *deflicker_json,
                        reel_err *e)
{
    *out = NULL;
    reel_gradebook *g = calloc(1, sizeof *g);
    if (!g) return reel_errf(e, REEL_ENOMEM, "out of memory");
    g->cur_clip = g->cur_shot = -1;
    json_t *gj = NULL, *dj = NULL;
    int rc = reel_cube_load(cube, &g->look, e);
    g->look_only = !grade_json;
    if (!rc && grade_json && !(gj = load_json(grade_json, e))) rc = e->code;
    const json_t *clips = gj ? json_object_get(gj, "clips") : NULL;
    if (!rc) {
        g->n_clips = (int)json_array_size(clips);
        g->clips = calloc((size_t)g->n_clips + 1, sizeof *g->clips);
        if (!g->clips) rc = reel_errf(e, REEL_ENOMEM, "out of memory");
    }
    for (int i = 0; !rc && i < g->n_clips; i++)
        if (load_clip(&g->clips[i], json_array_get(clips, (size_t)i))) rc = reel_errf(e, REEL_ENOMEM, "out of memory");
    if (!rc && deflicker_json && !(dj = load_json(deflicker_json, e))) rc = e->code;
    if (!rc && dj && load_gains(g, dj)) rc = reel_errf(e, REEL_ENOMEM, "out of memory");
    json_decref(gj);
    json_decref(dj);
    if (rc) reel_gradebook_free(&g);
    *out = g;
    return rc;
}

/* The shot's CDL, then the look. */
static int bake(reel_gradebook *g, const reel_cdl *cdl, reel_err *e)
{
    reel_lut3d_plan_free(g->plan);
    g->plan = NULL;
    reel_lut3d_free(&g->table);
    g->gen++;
    if (reel_lut3d_alloc(&g->table, 33)) return reel_errf(e, REEL_ENOMEM, "out of memory");
    for (int b = 0; b < 33; b++)
        for (int gg = 0; gg < 33; gg++)
            for (int r = 0; r < 33; r++) {
                float *p = reel_lut3d_at(&g->table, r, gg, b), c[3];
                reel_cdl_apply(cdl, p, c);
                reel_lut3d_apply_f32(&g->look, c, p, 1);
            }
    if (!(g->plan = reel_lut3d_plan_new(&g->table))) return reel_errf(e, REEL_ENOMEM, "out of memory");
    return 0;
}

/* Make the table for frame `frame` of clip current: *gain the frame's deflicker gain (NULL: none),
 * *shot its shot from 1. 1 when the clip is graded, 0 when not, <0 out of memory. */
static int select_frame(reel_gradebook *g, const char *clip, int64_t frame, const float **gain, int *shot, reel_err *e)
{
    *gain = NULL;
    *shot = 0;
    if (g && g->look_only) {
        if (!g->plan && bake(g, &reel_cdl_identity, e)) return e->code;
        return 1;
    }
    gb_clip *c = g ? find_clip(g, clip) : NULL;
    if (!c || !c->n_shots) return 0;
    int s = 0;
    while (s + 1 < c->n_shots && frame >= c->shots[s + 1].start) s++;
    int ci = (int)(c - g->clips);
    if (ci != g->cur_clip || s != g->cur_shot) {
        g->cur_clip = g->cur_shot = -1;
        int rc = bake(g, &c->shots[s].cdl, e);
        if (rc) return rc;
        g->cur_clip = ci, g->cur_shot = s;
    }
    if (c->gains && frame >= 0 && frame < c->frames) *gain = &c->gains[3 * frame];
    *shot = s + 1;
    return 1;
}

int reel_gradebook_plan(reel_gradebook *g, const char *clip, int64_t frame, reel_lut3d_plan **plan, int *shot,
                        reel_err *e)
{
    static const float one[3] = {1, 1, 1};
    const float *gain;
    *plan = NULL;
    int rc = select_frame(g, clip, frame, &gain, shot, e);
    if (rc <= 0) return rc;
    reel_lut3d_plan_set_gain(g->plan, gain ? gain : one);
    *plan = g->plan;
    return 0;
}

int reel_gradebook_table(reel_gradebook *g, const char *clip, int64_t frame, const reel_lut3d **table,
                         const float **gain, unsigned *gen, int *shot, reel_err *e)
{
    *table = NULL;
    int rc = select_frame(g, clip, frame, gain, shot, e);
    if (rc <= 0) return rc;
    *table = &g->table, *gen = g->gen;
    return 0;
}

void reel_gradebook_free(reel_gradebook **gp)
{
    reel_gradebook *g = *gp;
    if (!g) return;
    for (int i = 0; i < g->n_clips && g->clips; i++) free(g->clips[i].shots), free(g->clips[i].gains);
    free(g->clips);
    reel_lut3d_free(&g->look);
    reel_lut3d_free(&g->table);
    reel_lut3d_plan_free(g->plan);
    free(g);
    *gp = NULL;
}
