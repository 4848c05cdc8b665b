/* A take's score, with the reasons an editor would give: the dialogue as written (the aligner's
 * accuracy and flubs) and the sound as recorded (SNR, clipping, off-mic level). Each part is 0..1;
 * the total is their weighted mean. Picture and performance join the breakdown as the editor agent
 * grows; a part a take has no measure for is left out of the mean. */
#ifndef REEL_SCRIPT_TAKESCORE_H
#define REEL_SCRIPT_TAKESCORE_H

#include "audio/takesound.h"
#include "script/align.h"

typedef struct reel_take_weights {
    double dialogue, sound; /* default 0.6, 0.4 */
} reel_take_weights;

typedef struct reel_take_score {
    double total, dialogue, sound;
    double snr_part, clip_part, level_part; /* the sound part is the least of these */
    char why[400];                          /* the deductions in words; "" for a clean take */
} reel_take_score;

void reel_take_weights_default(reel_take_weights *w);
/* Score a take from its alignment to the script's lines (NULL: no script, dialogue left out) and
 * its sound (NULL: not measured). */
void reel_take_score_compute(const reel_alignment *a, const reel_take_sound *s, const reel_take_weights *w,
                             reel_take_score *out);

#endif
