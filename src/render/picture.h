/* The conform's picture operations on its working frames, which are packed RGB24 (full range) or
 * 4:2:0 Y'CbCr (BT.709, limited range) when the deliverable is 4:2:0 (see conform.c). */
#ifndef REEL_RENDER_PICTURE_H
#define REEL_RENDER_PICTURE_H

#include "media/media.h"

/* Video black: RGB 0, or Y 16 with neutral chroma. */
void reel_pic_black(reel_frame *f);
/* src into dst (the same format) with its top-left corner at x, y (even for 4:2:0), clipped. */
void reel_pic_copy(const reel_frame *src, reel_frame *dst, int x, int y);
/* dst = dst * (1 - a) + src * a (src NULL: dst itself), then toward black by k (fades). */
void reel_pic_mix(reel_frame *dst, const reel_frame *src, double a, double k);
/* fn on rows [0, n / 2) here and [n / 2, n) on a second thread (here too when n is small or no
 * thread can be made). */
void reel_pic_split2(void (*fn)(void *ctx, int r0, int r1), void *ctx, int n);

#endif
