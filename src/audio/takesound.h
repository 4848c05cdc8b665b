/* How well a take's sound was recorded, in the terms a dialogue editor uses to reject one: how far
 * the voice stands over the room (SNR), whether it clipped, and whether it was off mic (too quiet).
 * One decode of the first audio stream at its own rate, so clipped peaks are seen as recorded. */
#ifndef REEL_AUDIO_TAKESOUND_H
#define REEL_AUDIO_TAKESOUND_H

#include "reel/reel.h"

typedef struct reel_take_sound {
    double seconds;
    double speech;     /* seconds the speech detector marked as speech */
    double snr_db;     /* mean voice-band level of speech frames over the noise floor (10th
                          percentile frame), dB; 0 when there is no speech */
    double clipped;    /* share of samples in runs of 3 or more at full scale (|x| >= 0.999) */
    double loudness;   /* integrated loudness, LUFS (BS.1770 gated); -HUGE_VAL when undefined */
    double peak;       /* sample peak, dBFS */
} reel_take_sound;

/* Measure path's sound. REEL_EMEDIA naming the file when it has none or cannot be read. */
int reel_take_sound_measure(const char *path, reel_take_sound *out, volatile int *cancel, reel_err *e);

#endif
