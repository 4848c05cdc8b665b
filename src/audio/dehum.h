/* Mains hum: detection and removal.
 *
 * Detection: the long-term power spectrum of the programme (channels summed, brought down to
 * 12 to 24 kHz by averaging, 0.25 Hz or finer resolution, Hann windows with half overlap) is searched at every harmonic of 50 Hz and of 60 Hz
 * up to 4 kHz: a harmonic is present when its line stands 10 dB or more over the spectrum 4 to
 * 12 Hz either side. Hum is reported when the fundamental or the second or third harmonic is
 * present and at least two harmonics are, or one of those three stands 15 dB or more out; the frequency of each line is refined by parabolic
 * interpolation and the fundamental taken as the weighted fit over them (mains runs off 50 or 60
 * Hz by a few hundredths).
 *
 * Removal: each present harmonic is demodulated to a complex amplitude (averaged over 4 ms
 * blocks), smoothed over time by four centred moving averages of 1 s (a zero-phase low-pass with
 * -53 dB side lobes and about 0.5 Hz of bandwidth: it follows hum that drifts or swells but takes
 * away almost nothing of the speech around the line), rebuilt as a sinusoid and subtracted. The
 * 2 s delay this needs is compensated: output sample k is input sample k minus its hum. Start and
 * end are handled by normalised averaging, so the first and last seconds are cleaned too. */
#ifndef REEL_AUDIO_DEHUM_H
#define REEL_AUDIO_DEHUM_H

#include <stddef.h>

enum { REEL_HUM_MAX = 80 };

typedef struct reel_hum {
    double f0;                 /* fundamental, Hz (0: no hum found) */
    int n;                     /* harmonics present */
    int k[REEL_HUM_MAX];       /* their numbers (1: the fundamental) */
    double over_db[REEL_HUM_MAX]; /* how far each line stands over its neighbourhood */
    double level_db;           /* the hum's power relative to the whole programme's, dB */
    double seconds;            /* audio examined */
} reel_hum;

typedef struct reel_hum_detect reel_hum_detect;

reel_hum_detect *reel_hum_detect_new(int rate, int channels);
void reel_hum_detect_feed(reel_hum_detect *h, const float *x, size_t nb);
/* The result (hum->f0 = 0 when none); the detector can go on being fed. */
void reel_hum_detect_result(reel_hum_detect *h, reel_hum *hum);
void reel_hum_detect_free(reel_hum_detect *h);

typedef struct reel_dehum reel_dehum;

/* NULL on bad arguments (no harmonics, f0 not 40-70 Hz) or out of memory. */
reel_dehum *reel_dehum_new(int rate, int channels, const reel_hum *hum);
void reel_dehum_free(reel_dehum *d);
/* As the other streaming processors: nb frames in, up to nb out, in == out allowed. */
size_t reel_dehum_run(reel_dehum *d, const float *in, float *out, size_t nb);
size_t reel_dehum_flush(reel_dehum *d, float *out);
/* The most frames the flush can return. */
size_t reel_dehum_latency(const reel_dehum *d);
/* Hum removed so far relative to the input, dB (energy). */
double reel_dehum_removed_db(const reel_dehum *d);

#endif
