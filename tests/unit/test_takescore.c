/* Take scores from given measures: the sound part's ramps and its least-of rule, the weighted mean,
 * parts left out when not measured, and the reasons in words. */
#include "script/takescore.h"
#include "tap.h"

#include <math.h>
#include <string.h>

static reel_take_sound clean(void)
{
    return (reel_take_sound){.seconds = 3, .speech = 2, .snr_db = 35, .clipped = 0, .loudness = -25, .peak = -3};
}

int main(void)
{
    reel_take_score s;
    reel_take_sound snd = clean(), clean_snd = clean();
    reel_alignment a = {.match = 4, .accuracy = 1};
    reel_take_score_compute(&a, &snd, NULL, 0, NULL, &s);
    TAP_OK(s.total == 1 && s.dialogue == 1 && s.sound == 1 && !s.why[0], "a clean take scores 1 with nothing against it");
    snd.snr_db = 18;
    reel_take_score_compute(&a, &snd, NULL, 0, NULL, &s);
    TAP_OK(fabs(s.snr_part - 0.5) < 1e-9 && fabs(s.sound - 0.5) < 1e-9 && fabs(s.total - 0.65 / 0.8) < 1e-9 &&
               strstr(s.why, "noisy"),
           "18 dB SNR is half way between 6 and 30 dB: sound 0.5, total (0.5 + 0.3 x 0.5) / 0.8 (%s)", s.why);
    snd = clean(), snd.clipped = 0.0025, snd.loudness = -45;
    reel_take_score_compute(&a, &snd, NULL, 0, NULL, &s);
    TAP_OK(fabs(s.clip_part - 0.5) < 1e-9 && fabs(s.level_part - 1.0 / 3) < 1e-9 && fabs(s.sound - 1.0 / 3) < 1e-9,
           "the sound part is the least of its parts (clipping 0.5, level 0.33)");
    TAP_OK(strstr(s.why, "clipped: 0.25%") && strstr(s.why, "quiet"), "both faults named: %s", s.why);
    snd = clean();
    reel_alignment flub = {.match = 3, .miss = 1, .accuracy = 0.75};
    reel_take_weights w = {.dialogue = 1, .sound = 0, .picture = 0};
    reel_take_score_compute(&flub, &snd, NULL, 0, &w, &s);
    TAP_OK(s.total == 0.75 && !strcmp(s.why, "1 script word missed"), "weights: dialogue alone (%.2f, %s)", s.total, s.why);
    reel_take_score_compute(NULL, &snd, NULL, 0, NULL, &s);
    TAP_OK(s.total == 1, "no script: the dialogue part is left out of the mean");
    snd.speech = 0, snd.loudness = -HUGE_VAL;
    reel_take_score_compute(NULL, &snd, NULL, 0, NULL, &s);
    TAP_OK(s.total == 0 && strstr(s.why, "no speech heard"), "no speech: sound 0 (%s)", s.why);
    reel_take_picture sharp = {.frames = 30, .focus = 12, .luma = 120, .clipped = 0.02}, soft = sharp, bright = sharp;
    soft.focus = 2, bright.luma = 213, bright.clipped = 0.36;
    reel_take_score_compute(&a, &clean_snd, &sharp, 12, NULL, &s);
    TAP_OK(s.total == 1 && s.picture == 1, "the sharpest, well exposed take: picture 1");
    reel_take_score_compute(&a, &clean_snd, &soft, 12, NULL, &s);
    TAP_OK(s.focus_part == 0 && s.picture == 0 && fabs(s.total - 0.8) < 1e-9 && strstr(s.why, "soft: focus 17%"),
           "a take at 17%% of the sharpest one's focus: picture 0, total 0.8 (%s)", s.why);
    reel_take_score_compute(&a, &clean_snd, &bright, 12, NULL, &s);
    TAP_OK(s.exposure_part == 0 && s.focus_part == 1 && strstr(s.why, "overexposed"), "blown out: exposure 0 (%s)", s.why);
    return tap_done();
}
