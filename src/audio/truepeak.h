/* True-peak meter to ITU-R BS.1770-4 Annex 2: the signal is oversampled 4x with the Annex's
 * 48-coefficient, 4-phase interpolation filter and the largest magnitude taken, with the sample
 * peak as a lower bound (the Annex's filter is not exactly the identity at the sample instants).
 * 4x at every rate: at 96 kHz and over too, where the Annex would allow less, the filter is
 * scaled with the rate and costs little (below). Streaming, any channel count; the figure is the maximum over all channels.
 *
 * Blocks that cannot hold a new maximum are not interpolated: an interpolated value is at most
 * the sum of its phase's |coefficients| (2.02) times the largest |sample| under the filter, so a
 * block whose samples (and the 11 before them) are all more than 6.1 dB under the peak so far is
 * skipped. The result is the same as interpolating everything; on speech and music most blocks
 * are skipped. */
#ifndef REEL_AUDIO_TRUEPEAK_H
#define REEL_AUDIO_TRUEPEAK_H

#include <stddef.h>

typedef struct reel_tpeak reel_tpeak;

reel_tpeak *reel_tpeak_new(int channels);
/* nb interleaved frames. */
void reel_tpeak_feed(reel_tpeak *t, const float *x, size_t nb);
/* Linear peaks so far over all channels: true peak (>= sample peak) and sample peak. */
double reel_tpeak_true(const reel_tpeak *t);
double reel_tpeak_sample(const reel_tpeak *t);
/* Interpolate every block (for tests: the result must not change). */
void reel_tpeak_exhaustive(reel_tpeak *t);
/* The share of blocks interpolated so far, 0..1 (for tests and benches). */
double reel_tpeak_work(const reel_tpeak *t);
void reel_tpeak_free(reel_tpeak *t);

#endif
