/* Dialogue noise reduction: a short-time spectral suppressor, streaming, any channel count (each
 * channel on its own).
 *
 * Analysis and synthesis: sqrt-Hann windows of about 21 to 32 ms (a power of two: 512 points at
 * 16 kHz, 1024 at 44.1/48 kHz, 2048 at 96 kHz), 75 % overlap, so with every gain at 1 the output
 * is the input exactly (perfect reconstruction); the frame delay is compensated: output sample k
 * is input sample k, cleaned. Gains are real and non-negative, so the phase of each bin is left
 * as it was.
 *
 * Noise floor: estimated in every bin with no noise-only section needed, looking a second either
 * way (the file is there; only the delay grows): first the 20th percentile of the periodogram
 * over +-1 s, scaled to a mean; then the mean of the periodogram over +-1 s, each frame weighted
 * by how likely it holds noise only (the posterior of speech presence against that first level).
 * A percentile alone reads high where speech fills a bin half the time; a tracker that only looks
 * back lags behind noise that changes and under-reads babble. Noise-only moments within the
 * window (pauses) carry the estimate; where there are none, the percentile does.
 *
 * Suppression: the a-priori SNR by the decision-directed rule (Ephraim and Malah), smoothed over
 * time, which is what keeps isolated noise peaks from popping up as "musical noise"; the gain is
 * the log-spectral-amplitude (LSA) estimator's, held above a floor set by the strength (0 to 1:
 * at most 0 to 24 dB of suppression). Where the local SNR is low the noise level is raised (up
 * to 3 dB at 0 dB SNR, none at 20 dB), which the SI-SDR bench prefers. */
#ifndef REEL_AUDIO_DENOISE_H
#define REEL_AUDIO_DENOISE_H

#include <stddef.h>

typedef struct reel_denoise reel_denoise;

/* strength 0..1 (0: pass through; 0.7: the default, 17 dB at most). NULL on bad arguments
 * or out of memory. */
reel_denoise *reel_denoise_new(int rate, int channels, double strength);
void reel_denoise_free(reel_denoise *d);
/* nb interleaved frames in, up to nb out (fewer at first: the delay, about 2 s); in == out allowed. */
size_t reel_denoise_run(reel_denoise *d, const float *in, float *out, size_t nb);
/* At the end of the input: the frames still held (at most reel_denoise_latency()); every frame
 * in has then come out. */
size_t reel_denoise_flush(reel_denoise *d, float *out);
size_t reel_denoise_latency(const reel_denoise *d);
/* Mean suppression applied so far, dB (energy-weighted over the input). */
double reel_denoise_reduction_db(const reel_denoise *d);

#endif
