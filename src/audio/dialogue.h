/* Dialogue cleanup and loudness to a delivery preset. A measuring read (BS.1770-4, with the
 * dialogue-gated figure where the preset asks for it, the mains hum search and the clipping
 * scan); when cleanup is asked for or needed, a cleaning read (de-clipping and de-clicking, hum
 * removal, then noise reduction) into a 32-bit float work file beside the output, measured on
 * the way; then the processing read: a fixed gain to the target (after leveling, when asked)
 * and the look-ahead true-peak limiter under the preset's ceiling, written as a broadcast WAV
 * whose bext carries the loudness of what was written, measured on the way out. The preset
 * "none" keeps the level as it is (no gain, no limiter). */
#ifndef REEL_AUDIO_DIALOGUE_H
#define REEL_AUDIO_DIALOGUE_H

#include "audio/bwf.h"
#include "audio/dehum.h"
#include "audio/loudness.h"
#include "audio/restore.h"

#include <jansson.h>

typedef struct reel_loud_preset {
    const char *name, *title;
    double target;         /* LUFS (LKFS) */
    double true_peak;      /* ceiling, dBTP */
    int dialogue_gated;    /* the target applies to the speech-gated loudness */
} reel_loud_preset;

/* The named presets (ebu, atsc, netflix, apple, spotify, youtube, none), NULL-name terminated.
 * "none" has a NAN target: the level is left as it is. */
const reel_loud_preset *reel_loud_presets(void);
const reel_loud_preset *reel_loud_preset_find(const char *name);

enum { REEL_DEHUM_AUTO = 0, REEL_DEHUM_OFF = -1 };
enum { REEL_DECLIP_AUTO = 0, REEL_DECLIP_OFF = -1 };

typedef struct reel_dialogue_opts {
    reel_loud_preset preset;
    const char *out;              /* broadcast WAV to write; NULL: measure only */
    reel_wav_fmt fmt;
    int reproducible;             /* no origination date/time in bext: same input, same bytes */
    int level;                    /* dialogue leveling before normalising (audio/leveler.h) */
    int denoise;                  /* noise reduction (audio/denoise.h) */
    double strength;              /* its strength, 0..1 */
    int dehum;                    /* REEL_DEHUM_AUTO, REEL_DEHUM_OFF, or 50 / 60: that mains */
    int declip;                   /* REEL_DECLIP_AUTO (repair clipping where the scan finds it) or OFF */
    double declick;               /* click threshold (audio/restore.h); 0: no de-clicking */
    const reel_loudness *measured; /* the file's loudness when already measured (skips that read, */
    const reel_hum *hum;          /* with the hum search's result unless dehum is off, */
    const reel_clipping *clip;        /* and the clipping scan's unless declip is off) */
    const volatile int *cancel;
    /* stage "measure", "clean" or "write", fraction done 0..1 (by time), every few seconds */
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
    /* cleanup */
    reel_hum hum;                 /* what the hum search found (hum.f0 = 0: none) */
    int hum_removed;
    double hum_removed_db;        /* hum taken out relative to the input, dB */
    double denoise_db;            /* mean suppression of the noise reduction, dB */
    reel_clipping clip;               /* what the clipping scan found */
    long long declipped;          /* clipped samples rebuilt */
    long long clicks, click_samples; /* clicks found and samples rebuilt */
    int cleaned;                  /* the cleaning read ran: `clean` holds the loudness after it */
    reel_loudness clean;
} reel_dialogue_report;

int reel_dialogue_process(const char *path, const reel_dialogue_opts *o, reel_dialogue_report *r,
                          reel_err *e);
json_t *reel_dialogue_report_json(const char *path, const reel_dialogue_opts *o,
                                  const reel_dialogue_report *r);

#endif
