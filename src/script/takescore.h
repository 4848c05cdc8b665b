/* A take's score, with the reasons an editor would give: the dialogue as written (the aligner's
 * accuracy and flubs), the sound as recorded (SNR, clipping, off-mic level) and the picture as
 * recorded (focus against the sharpest take of the set-up, exposure). Each part is 0..1; the total
 * is their weighted mean over the parts the take has measures for. Continuity and performance are
 * not scored yet. */
#ifndef REEL_SCRIPT_TAKESCORE_H
#define REEL_SCRIPT_TAKESCORE_H

#include "audio/takesound.h"
#include "color/takepicture.h"
#include "script/align.h"

typedef struct reel_take_weights {
    double dialogue, sound, picture; /* default 0.5, 0.3, 0.2 */
} reel_take_weights;

typedef struct reel_take_score {
    double total, dialogue, sound, picture;
    double snr_part, clip_part, level_part;     /* the sound part is the least of these */
    double focus_part, exposure_part;           /* the picture part is the least of these */
    char why[400];                              /* the deductions in words; "" for a clean take */
} reel_take_score;

void reel_take_weights_default(reel_take_weights *w);
/* Score a take from its alignment to the script's lines (NULL: no script), its sound and its
 * picture (NULL: not measured; a part without measures is left out of the mean). best_focus: the
 * focus of the sharpest take it is compared with (its own when alone). */
void reel_take_score_compute(const reel_alignment *a, const reel_take_sound *s, const reel_take_picture *p,
                             double best_focus, const reel_take_weights *w, reel_take_score *out);

#endif
