/* Speech activity on 20 ms frames, deliberately simple and documented as such: frames of the voice
 * band (150 Hz .. 4 kHz) whose energy stands 9 dB over the clip's noise floor (its 10th
 * percentile, and never under -55 dBFS) and whose zero-crossing rate is voice-like, joined into
 * runs of at least 160 ms with a 200 ms hangover. Used by ingest (speech segments) and by the
 * dialogue agent (dialogue-gated loudness). */
#ifndef REEL_AUDIO_SPEECH_H
#define REEL_AUDIO_SPEECH_H

#include "reel/reel.h"

typedef struct reel_biquad {
    double b0, b1, b2, a1, a2, z1, z2;
} reel_biquad;

/* RBJ second-order high-pass (highpass=1) or low-pass at f Hz, Q = 0.707 (transposed direct
 * form II, run inline by the speech detector). */
void reel_biquad_set(reel_biquad *q, int highpass, double f, double rate);

#define REEL_SPEECH_FRAME 0.02 /* seconds */

typedef struct reel_speech {
    int rate;
    reel_biquad hp, lp;
    long long frame_len, frame_pos;
    double frame_energy;
    int frame_zc;
    float last;
    float *frame_db, *frame_zcr;
    int n_frames, cap_frames;
} reel_speech;

int reel_speech_init(reel_speech *s, int rate);
/* nb interleaved frames of `channels` channels, mixed to mono. */
int reel_speech_feed(reel_speech *s, const float *x, int nb, int channels);
/* Close the last partial frame. */
int reel_speech_finish(reel_speech *s);
/* The decision for each of the s->n_frames frames into on[] (0/1); returns how many are speech.
 * *floor_db: the noise floor found (dBFS of the voice band). */
int reel_speech_decide(const reel_speech *s, unsigned char *on, double *floor_db);
void reel_speech_free(reel_speech *s);

#endif
