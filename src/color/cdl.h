/* The ASC Color Decision List (ASC CDL v1.2): per channel slope, offset and power, then one
 * saturation, the primary correction every grading system imports and exports (.cdl, .ccc, and
 * *ASC_SOP / *ASC_SAT comments in a CMX3600 EDL). reel applies it to video code values, 0..1:
 *
 *   out = clamp(in * slope + offset) ^ power        per channel, clamp to 0..1
 *   luma = 0.2126 r + 0.7152 g + 0.0722 b           (Rec. 709 weights, as the specification)
 *   out = clamp(luma + sat * (out - luma))                                                     */
#ifndef REEL_COLOR_CDL_H
#define REEL_COLOR_CDL_H

typedef struct reel_cdl {
    double slope[3], offset[3], power[3], sat;
} reel_cdl;

extern const reel_cdl reel_cdl_identity;

void reel_cdl_apply(const reel_cdl *c, const float in[3], float out[3]);
int reel_cdl_is_identity(const reel_cdl *c);

#endif
