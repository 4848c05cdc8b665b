/* The takes an editor chooses from: each take's measures (the words heard with their times, the
 * sound, the picture), the scene it covers, its alignment to that scene's dialogue and its score.
 * Measuring decodes the take (slow: speech recognition); everything after it works from the
 * measures, which can be saved as JSON and loaded again, so a re-cut does not decode anything. */
#ifndef REEL_SCRIPT_TAKESET_H
#define REEL_SCRIPT_TAKESET_H

#include "audio/takesound.h"
#include "audio/transcribe.h"
#include "color/takepicture.h"
#include "script/align.h"
#include "script/fountain.h"
#include "script/takescore.h"

#include <jansson.h>

typedef struct reel_take {
    char path[4096];
    char scene[32];          /* the scene as named (its #number#, else its place from 1), or "all" */
    int scene_idx;           /* 0-based scene in the script; -1: the whole script */
    double duration;         /* seconds of sound */
    reel_take_sound snd;
    reel_take_picture pic;
    int has_pic;
    reel_transcript tr;      /* words heard, with times */
    reel_words heard;        /* the heard words normalised (reel_words_split) */
    int *heard_of;           /* heard word k came from tr.w[heard_of[k]] */
    reel_alignment al;       /* heard against the scene's dialogue */
    int words;               /* script words of the scene */
    reel_take_score sc;
} reel_take;

/* Decode path: transcript, sound and (when it has one) picture. */
int reel_take_measure(reel_take *t, const char *path, volatile int *cancel, reel_err *e);
/* Align the take to scene `scene` of f (-1: the whole script); sets scene_idx, words and al. */
int reel_take_align(reel_take *t, const reel_fountain *f, int scene, reel_err *e);
/* The scene whose dialogue the take says best (the highest alignment accuracy; ties go to the
 * earlier scene), aligned to it. For takes without a slate-style name. */
int reel_take_align_best(reel_take *t, const reel_fountain *f, reel_err *e);
/* The scene named `want` (#number# first, else its place from 1) in f, or -1. */
int reel_take_find_scene(const reel_fountain *f, const char *want);
/* Score every take; focus is judged against the sharpest take of the same scene. */
void reel_takes_score(reel_take *t, int n, const reel_take_weights *w);
void reel_take_free(reel_take *t);

/* Measures as JSON ({"path", "duration", "sound": {...}, "picture": {...} | null, "words": [[w, start,
 * end, conf], ...]}) and back. Loading refuses a missing or mistyped field, naming `where`. */
json_t *reel_take_measures_json(const reel_take *t);
int reel_take_measures_from_json(json_t *j, const char *where, reel_take *t, reel_err *e);

#endif
