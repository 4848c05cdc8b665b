/* A look-ahead true-peak limiter, streaming, for any channel count (channels linked). The peak
 * of each sample is its inter-sample (true) peak: oversampled 8x (twice what BS.1770-4 Annex 2
 * asks: 4 points between samples miss up to 0.5 dB of a peak near Nyquist), or more below 48 kHz,
 * to at least 384 kHz, by a Kaiser-windowed sinc interpolator of 32 taps per phase. The gain needed at each sample is
 * min(1, ceiling / peak); the gain applied is that, held through a look-ahead window (sliding
 * minimum), ramped in by a moving average over the same window (so it is always at or under what
 * each sample needs), and released exponentially. Latency is compensated: output sample k is
 * input sample k times its gain; with no peak over the ceiling the output equals the input. */
#ifndef REEL_AUDIO_LIMITER_H
#define REEL_AUDIO_LIMITER_H

#include <stddef.h>

typedef struct reel_limiter reel_limiter;

/* ceiling_db: dBTP; lookahead_ms and release_ms (typical 5 and 80). NULL on bad arguments or
 * out of memory. */
reel_limiter *reel_limiter_new(int rate, int channels, double ceiling_db, double lookahead_ms,
                               double release_ms);
/* Process nb interleaved frames from in, writing up to nb frames to out; returns the number of
 * frames written (fewer at first: the look-ahead delay). in == out is allowed. */
size_t reel_limiter_run(reel_limiter *l, const float *in, float *out, size_t nb);
/* At the end of the input: write the frames still held (at most reel_limiter_latency()). */
size_t reel_limiter_flush(reel_limiter *l, float *out);
size_t reel_limiter_latency(const reel_limiter *l);
/* Deepest gain reduction applied so far, dB (0 when none); frames limited. */
double reel_limiter_max_reduction_db(const reel_limiter *l);
long long reel_limiter_frames_limited(const reel_limiter *l);
void reel_limiter_free(reel_limiter *l);

#endif
