/* Continuity deflicker: per-frame channel gains that take out exposure and white-balance
 * fluctuation inside a shot (fluorescent or LED flicker, auto-exposure hunting, a cloud's quick
 * shadow) while keeping what was meant: cuts, a light switched on, a flash, slow changes.
 *
 * On each frame's mean R'G'B' (shotstats.h), in logs, per shot:
 *   - steps: where the median of the next k frames differs from the median of the previous k
 *     (k = `window` seconds, at least 3 frames, so flicker averages out of both) by more than
 *     `step` (log units), the shot is split at the largest frame-to-frame change within half a
 *     window of there, so a light switched on stays switched on from the frame it came on;
 *   - target: a Gaussian average of each channel over `window` seconds inside the piece, taken
 *     again without the frames that stray more than `step` from it (flashes, lightning: left
 *     as they are);
 *   - a piece flickers only when its luma or one of its channels strays from its target by
 *     `min_flicker` or more (RMS, log) and its frame-to-frame changes are global: flicker moves every pixel by about the
 *     change of the mean (|d mean| / mean |dY| near 1), what moves in the picture changes the
 *     mean by a small part of it (the median over the shot: 0.02..0.13 on real footage without
 *     flicker, 0.88 with it on a static shot; the bar is 0.25). Other pieces are left alone, so
 *     clean footage and camera moves stay untouched;
 *   - otherwise gain = target / frame, per channel, within 0.7..1.4.
 * Gains apply to video code values (what the means measure), so a frame's mean lands on its
 * target unless it clips. */
#ifndef REEL_COLOR_DEFLICKER_H
#define REEL_COLOR_DEFLICKER_H

#include "color/shotstats.h"

typedef struct reel_deflicker_params {
    double window;      /* seconds of the smoothing window (default 1) */
    double step;        /* log change that is a deliberate step or event (default 0.15) */
    double min_flicker; /* RMS log deviation under which a piece is left alone (default 0.004) */
} reel_deflicker_params;

void reel_deflicker_params_default(reel_deflicker_params *p);

typedef struct reel_deflicker_stats {
    int frames_changed;     /* frames with a gain off 1 by more than 0.1% */
    int pieces, pieces_flickering, steps_kept, events_kept;
    int pieces_moving;      /* pieces that strayed but by picture content (left alone) */
    double rms_before;      /* RMS log luma deviation from the target, over flickering pieces */
    double max_gain_dev;    /* largest |gain - 1| */
} reel_deflicker_stats;

/* gains[3 * n] (malloc'd by the caller) for n frames of fc at fps, cut into shots at the
 * starts[0..n_shots) frame indices (starts[0] = 0). 0 or REEL_ENOMEM. */
int reel_deflicker(const reel_frame_color *fc, int n, double fps, const int *starts, int n_shots,
                   const reel_deflicker_params *p, float *gains, reel_deflicker_stats *st);

#endif
