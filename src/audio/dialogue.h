/* Loudness to a delivery preset, in two reads of the file: a measuring pass (BS.1770-4, with the
 * dialogue-gated figure where the preset asks for it), then one processing pass: a fixed gain to
 * the target and the look-ahead true-peak limiter under the preset's ceiling, written as a
 * broadcast WAV whose bext carries the loudness of what was written, measured on the way out. */
#ifndef REEL_AUDIO_DIALOGUE_H
#define REEL_AUDIO_DIALOGUE_H

#include "audio/bwf.h"
#include "audio/loudness.h"

#include <jansson.h>

typedef struct reel_loud_preset {
    const char *name, *title;
    double target;         /* LUFS (LKFS) */
    double true_peak;      /* ceiling, dBTP */
    int dialogue_gated;    /* the target applies to the speech-gated loudness */
} reel_loud_preset;

/* The named presets (ebu, atsc, netflix, apple, spotify, youtube), NULL-name terminated. */
const reel_loud_preset *reel_loud_presets(void);
const reel_loud_preset *reel_loud_preset_find(const char *name);

typedef struct reel_dialogue_opts {
    reel_loud_preset preset;
    const char *out;              /* broadcast WAV to write; NULL: measure only */
    reel_wav_fmt fmt;
    int reproducible;             /* no origination date/time in bext: same input, same bytes */
    int level;                    /* dialogue leveling before normalising (audio/leveler.h) */
    const reel_loudness *measured; /* the file's loudness when already measured (skips that read) */
    const volatile int *cancel;
    /* stage "measure" or "write", fraction done 0..1 (by time), every few seconds of audio */
    void (*progress)(const char *stage, double frac, void *opaque);
    void *opaque;
} reel_dialogue_opts;

typedef struct reel_dialogue_report {
    reel_loudness before, after;
    int gated_used;               /* the gain was set from the speech-gated loudness */
    double from;                  /* the figure the gain was set from, LUFS */
    double gain_db;
    double limiter_max_db;        /* deepest limiter gain reduction */
    double limited_seconds;
    int written;
    int passes;                   /* writing passes: more than 1 when limiting lowered the loudness */
    char note[256];               /* why the preset's measure was not used, or "" */
    /* leveling: spread (10th to 90th percentile) of the speech blocks' loudness, LU, before and
     * after; the largest boost and cut the curve applied, dB */
    double spread_before, spread_after, level_boost, level_cut;
} reel_dialogue_report;

int reel_dialogue_process(const char *path, const reel_dialogue_opts *o, reel_dialogue_report *r,
                          reel_err *e);
json_t *reel_dialogue_report_json(const char *path, const reel_dialogue_opts *o,
                                  const reel_dialogue_report *r);

#endif
