/* Shot matching: bring every shot of a scene to its hero shot's exposure, white balance,
 * contrast and saturation with one ASC CDL per shot, fitted on the shots' colour statistics
 * (shotstats.h) so no frame is decoded again.
 *
 * The CDL for shot S toward hero H: white balance as per-channel gains that give S's mean the
 * hero's chromaticity, contrast k = H's luma spread over S's (0.5..2) about the mean, offsets
 * that land the mean exactly on H's mean once saturation is applied, and saturation = H's chroma
 * spread over S's after the slope (0.25..2.5). Power stays 1, so the correction is affine: the
 * mean lands where predicted unless it clips. */
#ifndef REEL_COLOR_MATCH_H
#define REEL_COLOR_MATCH_H

#include "color/cdl.h"
#include "color/shotstats.h"

/* The CDL that matches s to hero (identity when s is the hero's own statistics). */
void reel_match_cdl(const reel_shot_color *s, const reel_shot_color *hero, reel_cdl *out);

/* Statistics s would have after cdl (means exact but for clipping; spreads scaled). */
void reel_match_predict(const reel_shot_color *s, const reel_cdl *cdl, reel_shot_color *out);

/* How far a shot is from the hero: CIEDE2000 between the mean colours (as sRGB), and the
 * contrast and saturation differences as percentages of the hero's. */
typedef struct reel_match_distance {
    double de2000, contrast_pct, saturation_pct;
} reel_match_distance;
void reel_match_distance_of(const reel_shot_color *s, const reel_shot_color *hero, reel_match_distance *d);

/* The hero among n shots: the longest of those well exposed (exposure_ok >= 0.9), else the
 * longest. -1 when n is 0. */
int reel_match_pick_hero(const reel_shot_color *s, int n);

#endif
