/* Loudness to ITU-R BS.1770-4 / EBU R128 through libebur128: integrated (gated), loudness range
 * (EBU Tech 3342), momentary and short-term maxima tracked every 10 ms; true peak to BS.1770-4
 * Annex 2 (truepeak.h) and sample peak. Also the dialogue-gated integrated loudness: the same BS.1770 gating applied
 * only to the 400 ms blocks that the speech detector marks as speech (at least half of each
 * block), with the share of the programme that was speech. */
#ifndef REEL_AUDIO_LOUDNESS_H
#define REEL_AUDIO_LOUDNESS_H

#include "reel/reel.h"

typedef struct reel_loudness {
    double seconds;
    int rate, channels;
    double integrated;      /* LUFS; -HUGE_VAL when undefined (shorter than one 400 ms block, or
                               all blocks under the -70 LUFS gate) */
    double range;           /* LU */
    double max_momentary;   /* LUFS */
    double max_short_term;  /* LUFS; -HUGE_VAL when shorter than 3 s */
    double true_peak;       /* dBTP, over all channels */
    double sample_peak;     /* dBFS */
    double speech_integrated; /* LUFS over speech blocks only; -HUGE_VAL when no speech */
    double speech_ratio;    /* 0..1 of the 20 ms frames that are speech */
} reel_loudness;

typedef struct reel_loud_meter reel_loud_meter;

/* channels in FFmpeg's order for the count: 1 mono, 2 L R, 3 L R C, 4 L R Ls Rs (quad),
 * 5 L R C Ls Rs, 6 L R C LFE Ls Rs (5.1; LFE not counted), 7 L R C LFE Cs Ls Rs (6.1),
 * 8 L R C LFE Lb Rb Ls Rs (7.1). The layout is inferred from the count alone. */
reel_loud_meter *reel_loud_meter_new(int rate, int channels);
/* nb interleaved float frames. 0 or REEL_ENOMEM. */
int reel_loud_meter_feed(reel_loud_meter *m, const float *x, size_t nb);
/* Momentary (400 ms) and short-term (3 s) loudness at the last whole 10 ms hop fed, LUFS. */
void reel_loud_meter_now(const reel_loud_meter *m, double *momentary, double *short_term);
/* Count the last partial 20 ms speech frame: call once, at the end of the programme. */
int reel_loud_meter_finish(reel_loud_meter *m);
/* After finish: the gating blocks (400 ms, one every step = rate/100 * 10 samples): their mean
 * square energy and whether each is at least half speech, in arrays the caller frees. The block
 * count, or REEL_ENOMEM. */
int reel_loud_meter_blocks(reel_loud_meter *m, double **energy, unsigned char **speech, double *step);
/* The figures so far (may be called more than once). */
int reel_loud_meter_result(reel_loud_meter *m, reel_loudness *out);
void reel_loud_meter_free(reel_loud_meter *m);

/* BS.1770 gating (absolute -70 LUFS, then relative -10 LU) over the block energies selected by
 * sel (NULL: all): LUFS, -HUGE_VAL when none pass. */
double reel_gated_loudness(const double *energy, const unsigned char *sel, int n_block);

/* Measure a whole interleaved buffer. */
int reel_loudness_measure(const float *x, size_t nb, int rate, int channels, reel_loudness *out);

#endif
