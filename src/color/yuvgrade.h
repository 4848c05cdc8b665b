/* A grade carried into Y'CbCr, so that a 4:2:0 source becomes a 4:2:0 deliverable without a trip
 * through RGB: the source's matrix and range, the per-channel deflicker gain and the RGB table
 * (CDL and look) are composed once into one table whose axes are the source's Y, Cb and Cr codes
 * and whose values are BT.709 limited-range codes. Grading then costs one interpolated channel per
 * luma sample and two per chroma sample, and the decoder's planes go to the encoder as they are.
 *
 * The composition follows the RGB path exactly at the table's 33 points (R'G'B' clipped to 0..1
 * as an 8-bit RGB picture would be, the gain, the table); between them it is interpolated, so
 * colours just outside the RGB cube, where that clipping bends the map, differ by a level or two.
 * A block's chroma is graded at the mean of its four luma samples. */
#ifndef REEL_COLOR_YUVGRADE_H
#define REEL_COLOR_YUVGRADE_H

#include "color/lut3d.h"
#include "color/shotstats.h"
#include "media/media.h"

typedef struct reel_yuvgrade {
    reel_lut3d t;           /* axes Y, Cb, Cr (codes / 255); values BT.709 limited codes / 255 */
    reel_lut3d_plan *plan;
    /* what it was made from: made again only when one of these changes */
    reel_yuv_desc src;
    const reel_lut3d *rgb;
    unsigned gen;
    float gain[3];
} reel_yuvgrade;

/* Whether a source in d needs any change to become BT.709 limited range (with no grade). */
int reel_yuvgrade_needed(const reel_yuv_desc *d);
/* Make g the map from d's Y'CbCr through gain (NULL: none) and rgb (NULL: none; gen tells its
 * contents apart when the same table is filled again) to BT.709 limited Y'CbCr. 0, or -1 out of
 * memory. */
int reel_yuvgrade_set(reel_yuvgrade *g, const reel_yuv_desc *d, const reel_lut3d *rgb, unsigned gen,
                      const float gain[3]);
/* Chroma rows [c0, c1) of the 4:2:0 frame src (their luma rows with them) into dst, the same size. */
void reel_yuvgrade_rows(const reel_yuvgrade *g, const reel_frame *src, reel_frame *dst, int c0, int c1);
void reel_yuvgrade_free(reel_yuvgrade *g);

#endif
