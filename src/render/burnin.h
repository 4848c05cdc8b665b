/* Burnt-in text for review copies (see burnin.c). */
#ifndef REEL_RENDER_BURNIN_H
#define REEL_RENDER_BURNIN_H

#include "media/media.h"

/* The text scale for a picture this tall (1 per 180 lines). */
int reel_burnin_scale(int height);
/* Width in pixels of text drawn at scale (with its box). */
int reel_burnin_width(const char *text, int scale);
/* Draw text on an RGB24 or YUV420P frame with its top-left corner at x, y: 235 white on a 16 box
 * (RGB levels; on 4:2:0 the same greys in limited-range luma). */
void reel_burnin_text(reel_frame *f, int x, int y, int scale, const char *text);

#endif
