/* The conform: a timeline rendered from the camera originals into a deliverable. Two passes.
 *
 * Sound first (reel_conform_audio): every item's sound (the dialogue agent's cleaned track where
 * there is one, else the source's) cut to its range, crossfaded (equal power) over dissolves,
 * resampled to the output rate and layout, written as a 24-bit broadcast WAV (the dialogue stem)
 * and measured (BS.1770, with the dialogue-gated figure), so the caller can choose the gain that
 * meets the delivery's loudness.
 *
 * Then picture (reel_conform_video): every output frame takes, for its record time, the source
 * frame showing at that time (frame-rate conversion by nearest earlier frame), through the shot's
 * grade (deflicker gains, the shot's CDL, the look: one 3D table), fitted into the delivery size
 * (letterbox or pillarbox keeping the display aspect), blended over dissolves, faded at the head
 * and tail, with burnt-in timecode and shot names when asked; the sound comes from the stem with
 * the gain and a true-peak limiter, fed alongside so the muxer never holds more than a frame of
 * either. A 4:2:0 deliverable (H.264, H.265) is worked in 4:2:0 Y'CbCr from decoder to encoder,
 * the grade composed into one Y'CbCr table (color/yuvgrade.h); masters (ProRes, DNxHR) in RGB. Memory is a few frames whatever the length. The file is written as OUT.part and renamed
 * when complete; an error, a cancel or a full disk removes the part. */
#ifndef REEL_RENDER_CONFORM_H
#define REEL_RENDER_CONFORM_H

#include "audio/loudness.h"
#include "media/media.h"
#include "render/gradebook.h"
#include "timeline/timeline.h"

typedef struct reel_conform_opts {
    reel_enc_opts enc;        /* container, codec, size, fps, quality, threads, audio codec, timecode */
    reel_gradebook *grade;    /* NULL: ungraded */
    int burn_tc, burn_names;
    double fade;              /* seconds from and to black at the head and tail */
    const char *audio;        /* the programme's sound (reel_conform_audio's WAV), NULL: silence */
    double gain_db;           /* applied to the sound */
    double ceiling_db;        /* true-peak limiter ceiling, dBTP; NAN: no limiter */
    const volatile int *cancel;
    void (*progress)(double frac, void *opaque);
    void *opaque;
} reel_conform_opts;

typedef struct reel_conform_stats {
    int64_t frames;           /* written */
    int64_t repeated, skipped; /* source frames shown twice or never (frame-rate conversion) */
    double limited_db;        /* deepest limiter gain reduction */
} reel_conform_stats;

/* The timeline's sound as a 24-bit BWF at rate and channels, measured into *loud. */
int reel_conform_audio(const reel_timeline *tl, int rate, int channels, const char *wav, reel_loudness *loud,
                       const volatile int *cancel, reel_err *e);
/* Render tl to out. 0 or <0 with e naming the file (a source that cannot be read, a full disk). */
int reel_conform_video(const reel_timeline *tl, const reel_conform_opts *o, const char *out,
                       reel_conform_stats *st, reel_err *e);

#endif
