/* The colour decisions for a set of clips, shared by the colour agent (a whole project) and
 * `reel grade FILE` (one clip): from ingest's features and the shot lists, with no decoding but
 * the posters and the look references,
 *   - every shot's colour statistics, its hero and the ASC CDL that matches it to the hero
 *     (within each clip, across the project, or not at all), with the distance to the hero
 *     before and (predicted) after;
 *   - per-frame deflicker gains;
 *   - the look: the transfer toward the reference stills fitted on the posters (each through
 *     its shot's CDL), or a named look, then the time-of-day grade, baked into a 3D LUT;
 *   - a report (JSON) that says all of it and what was assumed.
 * Writers for the results (.cube, .ccc, an EDL with *ASC_SOP / *ASC_SAT) and the renderer
 * (render.c) take it from there. */
#ifndef REEL_COLOR_GRADER_H
#define REEL_COLOR_GRADER_H

#include "color/deflicker.h"
#include "color/look.h"
#include "color/match.h"
#include "media/media.h"

#include <jansson.h>

typedef struct reel_grade_clip {
    /* set by reel_grade_clip_load (or the caller) */
    char name[256];             /* clip name: CDL ids, reports */
    char source[4096];          /* how the EDL and the report name the source file */
    reel_frames frames;         /* ingest's frame table */
    int *starts, n_shots;       /* shot start frames, starts[0] = 0 */
    reel_rational fps;
    char start_tc[32];
    int height, full_range;
    char color_space[32], color_trc[32], color_primaries[32];
    char poster[4096];          /* the poster still ("" when none) */
    double poster_time;
    /* set by reel_grade_decide */
    reel_frame_color *fc;
    reel_shot_color *shots;
    reel_cdl *cdl;
    reel_match_distance *before, *after;
    int *hero_of;               /* per shot: index into the flat list of all shots, -1 none */
    float *gains;               /* 3 per frame; NULL when deflicker is off */
    reel_deflicker_stats dstats;
    int assumed_matrix;
    char colour_note[192];      /* the matrix and range the statistics used, and what was assumed */
} reel_grade_clip;

/* Load a clip from ingest's features.json and frames.bin and, when shots_json is not NULL, the
 * shots agent's shot list (else one shot). poster may be NULL. 0 or <0 with e naming the file. */
int reel_grade_clip_load(reel_grade_clip *c, const char *name, const char *source,
                         const char *features_json, const char *frames_bin, const char *shots_json,
                         const char *poster, reel_err *e);
void reel_grade_clip_free(reel_grade_clip *c);
/* 0 for SDR footage; REEL_EMEDIA naming the clip for HDR (PQ or HLG), which reel does not grade. */
int reel_grade_clip_check_sdr(const reel_grade_clip *c, reel_err *e);

typedef enum { REEL_MATCH_OFF, REEL_MATCH_CLIP, REEL_MATCH_PROJECT } reel_match_scope;

typedef struct reel_grade_opts {
    const char *look;            /* "auto" (the references, else neutral) or a named look */
    const char *const *refs;     /* look references (stills or clips) */
    const char *const *ref_labels; /* how the report names them (NULL: as refs) */
    int n_refs;
    float strength, preserve_luma, protect_skin, protect_neutrals;
    const char *time_of_day;     /* NULL or "" = noon */
    reel_match_scope match;
    const char *hero;            /* "auto", "CLIP" or "CLIP#N" (N from 1) */
    int deflicker;
    reel_deflicker_params dp;
    int lut_size;
    volatile int *cancel;        /* may be NULL */
} reel_grade_opts;

void reel_grade_opts_default(reel_grade_opts *o);

typedef struct reel_grade_result {
    reel_transfer transfer;
    reel_look look;              /* look.transfer points at transfer when a reference was used */
    reel_lut3d lut;              /* the look baked (lut_size points) */
    json_t *report;              /* owned */
    char look_name[64];          /* "reference", a named look */
} reel_grade_result;

/* Decide everything for n clips (loaded). 0 or <0 with e set (a bad reference, a hero that does
 * not exist, out of memory, cancelled). r is freed with reel_grade_result_free. */
int reel_grade_decide(reel_grade_clip *clips, int n, const reel_grade_opts *o, reel_grade_result *r,
                      reel_err *e);
void reel_grade_result_free(reel_grade_result *r);

/* Writers, each atomic. */
int reel_grade_write_cube(const reel_grade_result *r, const char *path, reel_err *e);
int reel_grade_write_ccc(const reel_grade_clip *clips, int n, const char *path, reel_err *e);
int reel_grade_write_edl(const reel_grade_clip *clips, int n, const char *path, reel_err *e);
int reel_grade_write_report(const reel_grade_result *r, const char *path, reel_err *e);

/* The frame of clip c whose time is nearest t (seconds). */
int reel_grade_frame_at(const reel_grade_clip *c, double t);
/* The shot of clip c that holds frame i. */
int reel_grade_shot_of(const reel_grade_clip *c, int64_t frame);

#endif
