/* A growable float buffer: the scratch space the streaming audio stages keep between calls. */
#ifndef REEL_AUDIO_FBUF_H
#define REEL_AUDIO_FBUF_H

#include <stdlib.h>

/* Make *buf hold at least n floats (*cap: what it holds now). 0, or -1 out of memory with *buf
 * and *cap left as they were. */
static inline int reel_floats_reserve(float **buf, size_t *cap, size_t n)
{
    if (n <= *cap) return 0;
    float *b = realloc(*buf, n * sizeof *b);
    if (!b) return -1;
    *buf = b, *cap = n;
    return 0;
}

#endif
