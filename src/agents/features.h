/* Per-frame analysis features: a small binary table (one float32 row per frame, named columns)
 * written by ingest in one streaming pass and read by later agents (shots, color, editor, QC)
 * so that none of them has to decode a clip again just to analyse it.
 *
 * Layout, little-endian: "REELFRM1", u32 n_fields, u32 n_frames, n_fields x 16-byte NUL-padded
 * names, then n_frames rows of n_fields float32. */
#ifndef REEL_FEATURES_H
#define REEL_FEATURES_H

#include "reel/reel.h"

#define REEL_HIST_Y 32
#define REEL_HIST_C 16

typedef struct reel_frames_writer reel_frames_writer;

int reel_frames_create(reel_frames_writer **w, const char *path, const char *const *fields, int n,
                       reel_err *e);
int reel_frames_append(reel_frames_writer *w, const float *row, reel_err *e);
/* Write the frame count, flush and fsync; *w becomes NULL. */
int reel_frames_close(reel_frames_writer **w, reel_err *e);

typedef struct reel_frames {
    int n_fields, n_frames;
    char (*names)[16];
    float *data; /* n_frames x n_fields */
} reel_frames;

int reel_frames_load(const char *path, reel_frames *f, reel_err *e);
/* Column index of a field, or -1. */
int reel_frames_field(const reel_frames *f, const char *name);
void reel_frames_free(reel_frames *f);

/* The columns ingest writes, in order (NULL terminated); REEL_FRAME_FIELDS of them. */
extern const char *const reel_frame_fields[];
enum {
    REEL_F_TIME, REEL_F_Y_MEAN, REEL_F_Y_STD, REEL_F_U_MEAN, REEL_F_V_MEAN, REEL_F_Y_LOW,
    REEL_F_Y_HIGH, REEL_F_SHARPNESS, REEL_F_MOTION, REEL_F_HIST_DIFF, REEL_F_HIST_Y,
    REEL_F_HIST_U = REEL_F_HIST_Y + REEL_HIST_Y,
    REEL_F_HIST_V = REEL_F_HIST_U + REEL_HIST_C,
    REEL_F_DAMAGED = REEL_F_HIST_V + REEL_HIST_C, /* 1: decoder errors on or just before it */
    REEL_F_U_STD, REEL_F_V_STD,                   /* chroma spread (0..1 code values), for colour */
    REEL_FRAME_FIELDS,
};

#endif
