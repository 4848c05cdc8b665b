/* Shot matching: bring every shot of a scene to its hero shot's levels, white balance and
 * saturation with one ASC CDL per shot, fitted on the shots' statistics (shotstats.h) so no
 * frame is decoded again.
 *
 * Levels as a colourist sets them: the shot's black point (1% of luma) and white point (99%) go
 * to the hero's through slope and offset, and its median to the hero's through power (the
 * three solved together: f(x) = (slope x + offset)^power); white balance as luminance-neutral
 * channel gains that give the shot's mean the hero's chromaticity, folded into the per-channel
 * slope and offset; saturation as the ratio of chroma spreads once the levels have stretched or
 * squeezed the picture (0.25..2.5). Matching means and spreads instead lifts the blacks of a
 * darker, flatter shot into grey; levels keep blacks black. */
#ifndef REEL_COLOR_MATCH_H
#define REEL_COLOR_MATCH_H

#include "color/cdl.h"
#include "color/shotstats.h"

/* The CDL that matches s to hero (identity when s is the hero's own statistics). */
void reel_match_cdl(const reel_shot_color *s, const reel_shot_color *hero, reel_cdl *out);

/* Statistics s would have after cdl: its levels exactly (they go through the luma curve), its
 * mean colour as the CDL of its mean (close: the curve is smooth), its spreads scaled. */
void reel_match_predict(const reel_shot_color *s, const reel_cdl *cdl, reel_shot_color *out);

/* How far a shot is from the hero: CIEDE2000 between the mean colours (as sRGB), and the
 * contrast and saturation differences as percentages of the hero's. */
typedef struct reel_match_distance {
    double de2000, contrast_pct, saturation_pct;
    double black, mid, white; /* level differences, in percent of the luma range */
} reel_match_distance;
void reel_match_distance_of(const reel_shot_color *s, const reel_shot_color *hero, reel_match_distance *d);

/* The hero among n shots: the longest of those well exposed (exposure_ok >= 0.9), else the
 * longest. -1 when n is 0. */
int reel_match_pick_hero(const reel_shot_color *s, int n);

#endif
