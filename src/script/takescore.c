/* Take scores (takescore.h). The sound's three parts ramp linearly between the level where a
 * dialogue editor starts to mind and the level where the take is unusable:
 *   SNR       30 dB and over: 1; 6 dB and under: 0
 *   clipping  none: 1; 0.5% of samples or more: 0
 *   level     -35 LUFS and louder: 1; -50 LUFS and quieter (off mic): 0
 * and the picture's two:
 *   focus     70% of the sharpest take's focus measure and over: 1; 30% and under: 0
 *   exposure  the least of: pixels crushed or blown (5% and under: 1; 25% and over: 0) and mean
 *             luma off mid-grey (code 118; 50 codes away and closer: 1; 90 and further: 0) */
#include "script/takescore.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static double ramp(double v, double bad, double good)
{
    double t = (v - bad) / (good - bad);
    return t < 0 ? 0 : t > 1 ? 1 : t;
}

void reel_take_weights_default(reel_take_weights *w)
{
    w->dialogue = 0.5, w->sound = 0.3, w->picture = 0.2;
}

/* Append one deduction (fmt with its one number) to why, after "; " when it holds one already. */
static void say(char *why, size_t cap, const char *fmt, double v)
{
    size_t at = strlen(why);
    if (at && at + 2 < cap) memcpy(why + at, "; ", 3), at += 2;
    if (at < cap) snprintf(why + at, cap - at, fmt, v);
}

static void sound_part(const reel_take_sound *s, reel_take_score *o)
{
    o->snr_part = s->speech > 0 ? ramp(s->snr_db, 6, 30) : 0;
    o->clip_part = 1 - ramp(s->clipped, 0, 0.005);
    o->level_part = isfinite(s->loudness) ? ramp(s->loudness, -50, -35) : 0;
    o->sound = fmin(o->snr_part, fmin(o->clip_part, o->level_part));
    if (s->speech <= 0) say(o->why, sizeof o->why, "no speech heard (%.1f s of sound)", s->seconds);
    else if (o->snr_part < 1) say(o->why, sizeof o->why, "noisy: the voice %.1f dB over the room", s->snr_db);
    if (o->clip_part < 1) say(o->why, sizeof o->why, "clipped: %.2f%% of samples at full scale", 100 * s->clipped);
    if (o->level_part < 1 && isfinite(s->loudness)) say(o->why, sizeof o->why, "quiet, off mic? %.1f LUFS", s->loudness);
    else if (o->level_part < 1) say(o->why, sizeof o->why, "too quiet to measure (%.1f s of sound)", s->seconds);
}

static void dialogue_part(const reel_alignment *a, reel_take_score *o)
{
    o->dialogue = a->accuracy;
    if (a->miss) say(o->why, sizeof o->why, a->miss == 1 ? "%.0f script word missed" : "%.0f script words missed", a->miss);
    if (a->sub) say(o->why, sizeof o->why, a->sub == 1 ? "%.0f word replaced" : "%.0f words replaced", a->sub);
    if (a->swap) say(o->why, sizeof o->why, a->swap == 1 ? "%.0f pair of words swapped" : "%.0f pairs of words swapped", a->swap);
    if (a->extra) say(o->why, sizeof o->why, a->extra == 1 ? "%.0f word added" : "%.0f words added", a->extra);
}

static void picture_part(const reel_take_picture *p, double best_focus, reel_take_score *o)
{
    double ratio = best_focus > 0 ? p->focus / best_focus : 1;
    o->focus_part = ramp(ratio, 0.3, 0.7);
    o->exposure_part = fmin(1 - ramp(p->clipped, 0.05, 0.25), 1 - ramp(fabs(p->luma - 118), 50, 90));
    o->picture = fmin(o->focus_part, o->exposure_part);
    if (o->focus_part < 1) say(o->why, sizeof o->why, "soft: focus %.0f%% of the sharpest take's", 100 * ratio);
    if (o->exposure_part < 1)
        say(o->why, sizeof o->why, p->luma >= 118 ? "overexposed: mean luma %.0f" : "underexposed: mean luma %.0f", p->luma);
}

void reel_take_score_compute(const reel_alignment *a, const reel_take_sound *s, const reel_take_picture *p,
                             double best_focus, const reel_take_weights *w, reel_take_score *out)
{
    reel_take_weights def;
    if (!w) reel_take_weights_default(&def), w = &def;
    memset(out, 0, sizeof *out);
    double sum = 0, wsum = 0;
    if (a) dialogue_part(a, out), sum += w->dialogue * out->dialogue, wsum += w->dialogue;
    if (s) sound_part(s, out), sum += w->sound * out->sound, wsum += w->sound;
    if (p) picture_part(p, best_focus, out), sum += w->picture * out->picture, wsum += w->picture;
    out->total = wsum > 0 ? sum / wsum : 0;
}
