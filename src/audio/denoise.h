/* Dialogue noise reduction: a short-time spectral suppressor, streaming, any channel count (each
 * channel on its own).
 *
 * Analysis and synthesis: sqrt-Hann windows of about 21 to 32 ms (a power of two: 512 points at
 * 16 kHz, 1024 at 44.1/48 kHz, 2048 at 96 kHz), 75 % overlap, so with every gain at 1 the output
 * is the input exactly (perfect reconstruction); the frame delay is compensated: output sample k
 * is input sample k, cleaned. Gains are real and non-negative, so the phase of each bin is left
 * as it was.
 *
 * Noise floor: tracked in every bin with no noise-only section needed, by the speech-presence-
 * probability estimator (Gerkmann and Hendriks 2012): each frame's periodogram updates the noise
 * estimate in proportion to how likely the bin holds noise only, so the floor follows noise that
 * changes (a fan starting) within a fraction of a second but does not climb during speech. A
 * noise-only section, when the caller found one, seeds the estimate (reel_denoise_seed).
 *
 * Suppression: the a-priori SNR by the decision-directed rule (Ephraim and Malah), smoothed over
 * time, which is what keeps isolated noise peaks from popping up as "musical noise"; the gain is
 * the log-spectral-amplitude (LSA) estimator's, held above a floor set by the strength (0 to 1:
 * at most 0 to 24 dB of suppression), and where speech is unlikely the gains are smoothed across
 * neighbouring bins too. */
#ifndef REEL_AUDIO_DENOISE_H
#define REEL_AUDIO_DENOISE_H

#include <stddef.h>

typedef struct reel_denoise reel_denoise;

/* strength 0..1 (0: pass through; 0.7: the default, 17 dB at most). NULL on bad arguments
 * or out of memory. */
reel_denoise *reel_denoise_new(int rate, int channels, double strength);
void reel_denoise_free(reel_denoise *d);
/* Seed the noise estimate from nb interleaved frames known to hold no speech (before any run). */
void reel_denoise_seed(reel_denoise *d, const float *noise, size_t nb);
/* nb interleaved frames in, up to nb out (fewer at first: the frame delay); in == out allowed. */
size_t reel_denoise_run(reel_denoise *d, const float *in, float *out, size_t nb);
/* At the end of the input: the frames still held (at most reel_denoise_latency()). */
size_t reel_denoise_flush(reel_denoise *d, float *out);
size_t reel_denoise_latency(const reel_denoise *d);
/* Mean suppression applied so far, dB (energy-weighted over the input). */
double reel_denoise_reduction_db(const reel_denoise *d);

#endif
