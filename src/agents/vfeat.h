/* Per-frame video features computed on analysis-size YUV444P frames during ingest's single
 * decode pass: exposure, colour, sharpness, motion, histograms, and the poster frame choice. */
#ifndef REEL_VFEAT_H
#define REEL_VFEAT_H

#include "agents/features.h"
#include "media/media.h"

typedef struct reel_vfeat {
    int width, height;
    double duration;           /* seconds, for the poster window; <= 0 when unknown */
    uint8_t *prev_y;
    float prev_hist[REEL_HIST_Y + 2 * REEL_HIST_C];
    int have_prev;
    reel_frame poster;         /* copy of the chosen frame (YUV444P) */
    double poster_score;
    int poster_in_window;
    double sum_y, sum_sharp, sum_motion, min_y, max_y;
    long long n;
} reel_vfeat;

int reel_vfeat_init(reel_vfeat *v, int width, int height, double duration);
/* Compute row[REEL_FRAME_FIELDS] for frame f (YUV444P at the init size). */
int reel_vfeat_frame(reel_vfeat *v, const reel_frame *f, float *row);
void reel_vfeat_free(reel_vfeat *v);

#endif
