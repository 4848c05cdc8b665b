/* A take's sound quality (takesound.h): one pass through the speech detector, the loudness meter and
 * a clipping counter. */
#include "audio/takesound.h"

#include "audio/loudness.h"
#include "audio/speech.h"
#include "media/media.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct clip_count {
    long long clipped, samples, run;
    double peak;
} clip_count;

/* Samples at full scale in runs of 3 or more (a run is counted once it reaches 3, then each sample). */
static void count_clips(clip_count *c, const float *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double a = fabs(x[i]);
        if (a > c->peak) c->peak = a;
        if (a >= 0.999) {
            c->run++;
            c->clipped += c->run == 3 ? 3 : c->run > 3;
        } else {
            c->run = 0;
        }
    }
    c->samples += (long long)n;
}

typedef struct meters {
    reel_speech sp;
    reel_loud_meter *lm;
    clip_count cc;
    int channels, rate;
} meters;

static int feed(meters *m, const reel_media_event *ev)
{
    if (!m->lm) {
        m->channels = ev->channels, m->rate = ev->sample_rate;
        if (reel_speech_init(&m->sp, m->rate) || !(m->lm = reel_loud_meter_new(m->rate, m->channels))) return REEL_ENOMEM;
    }
    if (ev->channels != m->channels || ev->sample_rate != m->rate) return 0; /* a format change midway: ignored */
    count_clips(&m->cc, ev->samples, (size_t)ev->nb_samples * (size_t)ev->channels);
    if (reel_speech_feed(&m->sp, ev->samples, ev->nb_samples, ev->channels)) return REEL_ENOMEM;
    return reel_loud_meter_feed(m->lm, ev->samples, (size_t)ev->nb_samples);
}

/* The figures from the meters once the sound is read. */
static int result(meters *m, reel_take_sound *out)
{
    reel_loudness l;
    unsigned char *on = calloc((size_t)m->sp.n_frames + 1, 1);
    if (!on || reel_speech_finish(&m->sp) || reel_loud_meter_finish(m->lm) || reel_loud_meter_result(m->lm, &l)) {
        free(on);
        return REEL_ENOMEM;
    }
    double floor_db, sum = 0;
    int n = reel_speech_decide(&m->sp, on, &floor_db);
    for (int f = 0; f < m->sp.n_frames; f++)
        if (on[f]) sum += m->sp.frame_db[f];
    free(on);
    out->seconds = (double)m->cc.samples / m->channels / m->rate;
    out->speech = n * REEL_SPEECH_FRAME;
    out->snr_db = n ? sum / n - floor_db : 0;
    out->clipped = m->cc.samples ? (double)m->cc.clipped / (double)m->cc.samples : 0;
    out->loudness = l.integrated;
    out->peak = m->cc.peak > 0 ? 20 * log10(m->cc.peak) : -HUGE_VAL;
    return 0;
}

int reel_take_sound_measure(const char *path, reel_take_sound *out, volatile int *cancel, reel_err *e)
{
    memset(out, 0, sizeof *out);
    reel_reader_opts ro;
    reel_reader_opts_default(&ro);
    ro.want_video = 0, ro.want_audio = 1;
    reel_reader *r = NULL;
    int rc = reel_reader_open(&r, path, &ro, NULL, e);
    if (rc) return rc;
    meters m = {0};
    reel_media_event ev;
    while (!rc && (rc = reel_reader_next(r, &ev, e)) > 0) {
        if (cancel && *cancel) rc = reel_errf(e, REEL_ECANCEL, "%s: interrupted", path);
        else if (ev.kind == REEL_EV_AUDIO) rc = feed(&m, &ev) ? reel_errf(e, REEL_ENOMEM, "out of memory") : 0;
    }
    reel_reader_free(&r);
    if (!rc && !m.lm) rc = reel_errf(e, REEL_EMEDIA, "%s: no sound to measure", path);
    if (!rc && result(&m, out)) rc = reel_errf(e, REEL_ENOMEM, "out of memory");
    reel_speech_free(&m.sp);
    reel_loud_meter_free(m.lm);
    return rc < 0 ? rc : 0;
}
