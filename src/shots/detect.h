/* Shot and transition detection on ingest's per-frame feature table: no decoding here. Hard cuts
 * from adaptive thresholds on colour-histogram and pixel differences, flashes told apart from cuts
 * by the picture returning to what it was, fades from runs of black or white frames, dissolves and
 * wipes from long-range histogram change between two stable stretches. */
#ifndef REEL_SHOTS_DETECT_H
#define REEL_SHOTS_DETECT_H

#include "agents/features.h"

typedef enum reel_trans_type {
    REEL_TR_CUT,
    REEL_TR_DISSOLVE,
    REEL_TR_FADE,      /* out to black/white then in, between two shots */
    REEL_TR_FADE_IN,   /* from black/white at the head of the clip */
    REEL_TR_FADE_OUT,  /* to black/white at the tail of the clip */
    REEL_TR_WIPE,
} reel_trans_type;

const char *reel_trans_name(reel_trans_type t);

typedef struct reel_transition {
    reel_trans_type type;
    int start;          /* cut: first frame of the new shot; gradual: first frame of the blend */
    int length;         /* frames; 0 for a cut */
    double confidence;  /* 0..1 */
    int white;          /* fades: through white rather than black */
} reel_transition;

typedef struct reel_flash {
    int frame, length;
} reel_flash;

/* Frames the decoder flagged, or predicted from data lost to decode or read errors until the next
 * key frame: reported, and never a shot boundary. */
typedef struct reel_damage {
    int frame, length;
} reel_damage;

typedef struct reel_shot_params {
    double cut_ratio;       /* cut when the frame difference is this many times its neighbourhood */
    double cut_min;         /* and at least this large (histogram distance, 0..1) */
    int window;             /* neighbourhood half-width, frames */
    double gradual_min;     /* long-range change that makes a gradual transition */
    int min_shot;           /* frames: shorter shots merge into their neighbour */
} reel_shot_params;

void reel_shot_params_default(reel_shot_params *p);

typedef struct reel_shot_result {
    reel_transition *trans;
    int n_trans;
    reel_flash *flashes;
    int n_flashes;
    reel_damage *damage;
    int n_damage;
    int n_frames;
} reel_shot_result;

/* Detect on f (ingest's table). 0, or REEL_ENOMEM / REEL_EINVAL (missing columns). */
int reel_shots_detect(const reel_frames *f, const reel_shot_params *p, reel_shot_result *out);
void reel_shot_result_free(reel_shot_result *r);

#endif
