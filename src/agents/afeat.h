/* Audio features computed during ingest's single decode pass: EBU R128 loudness blocks through
 * libebur128 (momentary and short-term every 100 ms, integrated, range, sample peak) and an
 * energy-based speech-activity estimate on 20 ms frames of the voice band. */
#ifndef REEL_AFEAT_H
#define REEL_AFEAT_H

#include "audio/speech.h"
#include "reel/reel.h"
#include <ebur128.h>
#include <jansson.h>

typedef struct reel_afeat {
    ebur128_state *r128;
    int rate, channels;
    long long samples;
    long long block_len, block_pos;      /* 100 ms loudness blocks */
    float *momentary, *short_term;
    int n_blocks, cap_blocks;
    reel_speech speech;                  /* 20 ms speech-activity frames */
} reel_afeat;

int reel_afeat_init(reel_afeat *a, int rate, int channels);
/* Feed interleaved float samples (nb per channel). */
int reel_afeat_feed(reel_afeat *a, const float *x, int nb);
/* Finish: a JSON object with the loudness figures, blocks and speech segments (new reference). */
json_t *reel_afeat_finish(reel_afeat *a);
void reel_afeat_free(reel_afeat *a);

#endif
