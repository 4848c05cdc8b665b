/* `reel shots --split`: write each shot of a file as its own file. */
#ifndef REEL_CLI_SHOTS_SPLIT_H
#define REEL_CLI_SHOTS_SPLIT_H

#include "agents/features.h"
#include "media/media.h"
#include "shots/detect.h"

typedef enum { SPLIT_AUTO, SPLIT_COPY, SPLIT_ENCODE } split_mode;

typedef struct split_args {
    const char *path, *dir;     /* source file, output folder (made when missing) */
    const reel_shot_result *r;  /* the shots */
    const reel_frames *fr;      /* ingest's table: frame times */
    reel_rational fps;
    const char *tc;             /* source start timecode or "" */
    split_mode mode;
    int threads;
    const volatile int *cancel; /* stop (REEL_ECANCEL) when it becomes non-zero */
} split_args;

typedef struct split_report {
    int pieces;
    int copied;      /* 1: stream copy; 0: re-encoded */
    char why[200];   /* why stream copy was not possible (auto mode) */
} split_report;

/* Write DIR/<stem>-Shot-NNN.<ext>: by stream copy (same container as the source) when every shot
 * can be copied frame-exactly and mode allows it, else re-encoded to H.264/AAC MP4 (CRF 18). */
int shots_split(const split_args *a, split_report *rep, reel_err *e);

#endif
