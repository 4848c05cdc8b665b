/* De-clipping and de-clicking: samples known to be wrong are marked missing and rebuilt by AR
 * interpolation (arfill.h).
 *
 * Clipping is found by a scan of the whole programme (in the measuring read): digital clipping
 * leaves runs of exactly equal samples at the programme's extreme value. The polarity (top or
 * bottom, each on its own: clipping is often lopsided) counts as clipped when at least 3 runs of
 * 3 or more equal samples sit at its extreme. Every sample at that extreme is then missing, and
 * its rebuilt value is held at or beyond the clip level (a clipped sample was at least that
 * loud): the interpolation is solved, samples that came back inside the level are pinned to it,
 * and it is solved again. Clipping that was resampled or filtered after it happened is not
 * flat any more and is not found.
 *
 * Clicks are found by their prediction error: an AR model fitted to each block predicts every
 * sample forwards (from the p before) and backwards (from the p after). A click's first sample
 * cannot be predicted from the past, nor its last from the future: a click opens where the
 * forward error stands over `threshold` times its robust level (1.4826 x the median magnitude)
 * and closes at the last place, within 1 ms, where the backward error does. A forward spike
 * with no backward one after it is what voiced speech does at each glottal pulse, and is left
 * alone. Clicks closer than 8 samples are joined and widened by 2 samples either side.
 *
 * Streaming, per channel, in blocks of about 21 ms (core) with half a block of context either
 * side; the left context is final output already and never rebuilt again. Latency compensated:
 * output sample k is input sample k. Blocks with nothing to repair are copied through without
 * any modelling when only de-clipping is on. */
#ifndef REEL_AUDIO_RESTORE_H
#define REEL_AUDIO_RESTORE_H

#include <stddef.h>

typedef struct reel_clipping {
    int found;                 /* either polarity clipped */
    float hi, lo;              /* the top and bottom clip levels (hi > 0 > lo; 0 where that side is not clipped) */
    long long hi_runs, lo_runs; /* flat runs (3 samples or more) at each extreme */
    long long samples;         /* samples at either clipped extreme */
} reel_clipping;

typedef struct reel_clipscan reel_clipscan;

reel_clipscan *reel_clipscan_new(int channels);
void reel_clipscan_feed(reel_clipscan *s, const float *x, size_t nb);
void reel_clipscan_result(const reel_clipscan *s, reel_clipping *c);
void reel_clipscan_free(reel_clipscan *s);

typedef struct reel_restore reel_restore;

#define REEL_CLICK_THRESHOLD 14.0 /* the callers' default threshold */

/* clip: the clipping to repair (NULL or !found: none); threshold: the click threshold (0: no
 * de-clicking; 6 to 16 sensible: lower finds more clicks and touches more speech). */
reel_restore *reel_restore_new(int rate, int channels, const reel_clipping *clip, double threshold);
/* Same contract as the other cleanup stages: nb frames in, the frames ready written to out
 * (at most nb + latency; out may be in). */
size_t reel_restore_run(reel_restore *r, const float *in, float *out, size_t nb);
size_t reel_restore_flush(reel_restore *r, float *out);
size_t reel_restore_latency(const reel_restore *r);
/* Samples rebuilt: clipped ones, and those of the clicks found (with how many clicks). */
void reel_restore_stats(const reel_restore *r, long long *clipped, long long *clicks, long long *click_samples);
void reel_restore_free(reel_restore *r);

#endif
