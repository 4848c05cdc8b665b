/* How well a take's picture was recorded, in the terms an editor rejects one for: soft focus and
 * bad exposure. One decode at analysis size (480 pixels wide), luma only. Focus depends on what is
 * in frame, so it means something only against other takes of the same set-up (takescore.h
 * compares it to the sharpest take's). */
#ifndef REEL_COLOR_TAKEPICTURE_H
#define REEL_COLOR_TAKEPICTURE_H

#include "reel/reel.h"

typedef struct reel_take_picture {
    int frames;
    double focus;   /* mean absolute Laplacian of luma, code values: higher is sharper */
    double luma;    /* mean luma, 8-bit code */
    double clipped; /* share of pixels within 2 codes of video black (16) or white (235) or past them */
} reel_take_picture;

/* Measure path's picture. REEL_EMEDIA naming the file when it has none or cannot be read. */
int reel_take_picture_measure(const char *path, reel_take_picture *out, volatile int *cancel, reel_err *e);

#endif
