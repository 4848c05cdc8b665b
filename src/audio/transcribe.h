/* Speech to words with times: CMU PocketSphinx (Debian's libpocketsphinx, the pocketsphinx-en-us
 * acoustic model, language model and dictionary) over a clip's sound, mixed to mono and resampled
 * to 16 kHz. The sound is cut at pauses by the speech detector (audio/speech.h) and each run of
 * speech decoded as one utterance, so memory stays bounded however long the clip and each word's
 * time is the clip's. The editor aligns these words to the script (script/align.h). */
#ifndef REEL_AUDIO_TRANSCRIBE_H
#define REEL_AUDIO_TRANSCRIBE_H

#include "reel/reel.h"

typedef struct reel_heard_word {
    char word[48];     /* as the dictionary spells it, lower case, without pronunciation variants */
    double start, end; /* seconds from the start of the clip */
    double conf;       /* posterior probability 0..1 */
} reel_heard_word;

typedef struct reel_transcript {
    reel_heard_word *w;
    int n;
    double seconds;    /* the clip's sound, decoded */
    double speech;     /* seconds of it the speech detector passed to the recogniser */
} reel_transcript;

typedef struct reel_transcribe_opts {
    const char *model_dir; /* holding en-us/, en-us.lm.bin, cmudict-en-us.dict; NULL: $REEL_ASR_MODEL,
                              else /usr/share/pocketsphinx/model/en-us */
    volatile int *cancel;
} reel_transcribe_opts;

/* Transcribe path's first audio stream. REEL_EMEDIA naming the file when it has no sound or cannot
 * be read; REEL_ENOTFOUND naming the model folder (and the package that fills it) when the model is
 * missing. */
int reel_transcribe_file(const char *path, const reel_transcribe_opts *o, reel_transcript *t, reel_err *e);
void reel_transcript_free(reel_transcript *t);

#endif
