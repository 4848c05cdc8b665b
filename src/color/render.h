/* Rendering a graded copy of one clip: decode at full size, each frame through its deflicker
 * gains, its shot's CDL and the look (one 3D LUT per shot, the gains folded into its input
 * tables), encode. Audio passes through re-encoded to the output's codec. Memory is a few frames
 * and one shot's table whatever the length. An odd last row or column is cropped (the codecs
 * subsample chroma by two). The file is written as OUT.part and renamed when complete; an error or
 * a cancel removes it. */
#ifndef REEL_COLOR_RENDER_H
#define REEL_COLOR_RENDER_H

#include "color/grader.h"

typedef struct reel_render_opts {
    const reel_enc_opts *enc;     /* container, codecs, quality; size, rate and audio from the source */
    int threads;                  /* decoder threads */
    int shot_lut_size;            /* points of each shot's table (default 33) */
    volatile int *cancel;
    void (*progress)(double frac, void *opaque);
    void *opaque;
} reel_render_opts;

/* Render src, graded as decided for clip c in r, to out. 0 or <0 with e set. */
int reel_grade_render(const reel_grade_clip *c, const reel_grade_result *r, const char *src,
                      const char *out, const reel_render_opts *o, reel_err *e);

#endif
