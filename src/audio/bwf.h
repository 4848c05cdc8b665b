/* Broadcast WAV (EBU Tech 3285 v2) writer: fmt (PCM 16/24-bit with TPDF dither, or 32-bit float;
 * WAVE_FORMAT_EXTENSIBLE with a channel mask above 2 channels), a bext chunk with description,
 * originator, origination date and time, the time reference (samples since midnight: the source
 * timecode), the loudness fields (filled in at the end, when the audio written has been
 * measured) and a coding history, then the data. Files over 4 GiB become RF64 (EBU Tech 3306):
 * a JUNK chunk held in front of bext turns into ds64. Written to PATH.part and renamed into place
 * only when complete. */
#ifndef REEL_AUDIO_BWF_H
#define REEL_AUDIO_BWF_H

#include "reel/reel.h"

#include <stddef.h>
#include <stdint.h>

typedef enum { REEL_WAV_PCM16 = 16, REEL_WAV_PCM24 = 24, REEL_WAV_FLOAT32 = 32 } reel_wav_fmt;

typedef struct reel_bext {
    char description[257];
    char originator[33];
    char originator_ref[33];
    char date[11];           /* yyyy-mm-dd; empty: now (unless blank_date) */
    char time[9];            /* hh:mm:ss; empty: now (unless blank_date) */
    int blank_date;          /* leave an empty date and time blank: the same input gives the
                                same bytes (project runs, whose outputs are content-addressed) */
    uint64_t time_reference; /* samples since midnight */
    char coding_history[1024];
    int has_loudness;        /* the five fields below are valid */
    double loudness, range, true_peak, max_momentary, max_short_term;
} reel_bext;

typedef struct reel_wav_writer reel_wav_writer;

int reel_wav_open(reel_wav_writer **w, const char *path, int rate, int channels, reel_wav_fmt fmt,
                  const reel_bext *bext, reel_err *e);
/* nb interleaved float frames (clipped to full scale when stored as PCM). */
int reel_wav_write(reel_wav_writer *w, const float *x, size_t nb, reel_err *e);
/* Rewrite bext with final (its loudness fields, typically; the coding history stays as given to
 * open, and an empty date or time stays as stamped then) and the sizes, fsync and rename into
 * place. The writer is freed either way. */
int reel_wav_close(reel_wav_writer *w, const reel_bext *final, reel_err *e);
/* As reel_wav_close, but the finished file stays at PATH.part: the caller renames it into place
 * (reel_commit_file) or removes it. */
int reel_wav_finish_part(reel_wav_writer *w, const reel_bext *final, reel_err *e);
/* Give up: remove PATH.part and free. */
void reel_wav_abort(reel_wav_writer *w);

#endif
