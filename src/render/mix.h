/* A delivery's sound: the loudness targets of the delivery presets, and the mix written from the
 * dialogue stem through one gain and a look-ahead true-peak limiter, as a 24-bit broadcast WAV
 * whose bext carries the loudness measured on the way out. */
#ifndef REEL_RENDER_MIX_H
#define REEL_RENDER_MIX_H

#include "audio/loudness.h"
#include "reel/reel.h"

typedef struct reel_loud_target {
    const char *name;        /* the delivery field's value: ebu_r128, atsc_a85, netflix, ... */
    double target, ceiling;  /* LUFS and dBTP; NAN for "none" (level kept, no limiter) */
    int gated;               /* the target is for the dialogue-gated loudness */
} reel_loud_target;

const reel_loud_target *reel_loud_target_find(const char *name); /* NULL when unknown */
/* The gain that brings l to t (0 for none or silence); *gated when the speech figure was used. */
double reel_loud_target_gain(const reel_loud_target *t, const reel_loudness *l, int *gated);
/* stem -> out with gain_db and a limiter at ceiling (NAN: none); *after measured. */
int reel_render_mix(const char *stem, const char *out, double gain_db, double ceiling, reel_loudness *after,
                    reel_err *e);

#endif
