/* The delivery's mix (mix.h). */
#include "audio/bwf.h"
#include "audio/limiter.h"
#include "media/media.h"
#include "render/mix.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const reel_loud_target targets[] = {
    {"ebu_r128", -23, -1, 0}, {"atsc_a85", -24, -2, 0}, {"netflix", -27, -2, 1},
    {"streaming_16", -16, -1, 0}, {"streaming_14", -14, -1, 0}, {"none", NAN, NAN, 0}, {NULL, 0, 0, 0},
};

const reel_loud_target *reel_loud_target_find(const char *name)
{
    for (const reel_loud_target *s = targets; s->name; s++)
        if (!strcmp(s->name, name)) return s;
    return NULL;
}

double reel_loud_target_gain(const reel_loud_target *t, const reel_loudness *l, int *gated)
{
    *gated = t->gated && isfinite(l->speech_integrated);
    double v = *gated ? l->speech_integrated : l->integrated;
    return isnan(t->target) || !isfinite(v) ? 0 : t->target - v;
}

/* The delivery's mix: the stem through the gain and a true-peak limiter, as a 24-bit BWF. */
int reel_render_mix(const char *stem, const char *out, double gain_db, double ceiling, reel_loudness *after,
                    reel_err *e)
{
    reel_reader *rd = NULL;
    reel_reader_opts ro;
    reel_reader_opts_default(&ro);
    ro.want_video = 0, ro.want_audio = 1;
    reel_wav_writer *w = NULL;
    reel_limiter *lim = NULL;
    reel_loud_meter *m = NULL;
    reel_probe pr;
    float *buf = NULL;
    reel_bext b = {.blank_date = 1};
    snprintf(b.description, sizeof b.description, "reel: programme mix, %+.2f dB", gain_db);
    int rc = reel_reader_open(&rd, stem, &ro, &pr, e);
    if (!rc) rc = reel_wav_open(&w, out, pr.sample_rate, pr.channels, REEL_WAV_PCM24, &b, e);
    if (!rc && (!(m = reel_loud_meter_new(pr.sample_rate, pr.channels)) ||
                (!isnan(ceiling) && !(lim = reel_limiter_new(pr.sample_rate, pr.channels, ceiling, 5, 80)))))
        rc = reel_errf(e, REEL_ENOMEM, "out of memory");
    double g = pow(10, gain_db / 20);
    reel_media_event ev;
    while (!rc && (rc = reel_reader_next(rd, &ev, e)) > 0) {
        float *nb = realloc(buf, (size_t)ev.nb_samples * (size_t)pr.channels * sizeof *buf);
        if (!nb) { rc = reel_errf(e, REEL_ENOMEM, "out of memory"); break; }
        buf = nb;
        for (int64_t i = 0; i < (int64_t)ev.nb_samples * pr.channels; i++) buf[i] = (float)(ev.samples[i] * g);
        size_t n = lim ? reel_limiter_run(lim, buf, buf, (size_t)ev.nb_samples) : (size_t)ev.nb_samples;
        rc = reel_loud_meter_feed(m, buf, n) < 0 ? REEL_ENOMEM : reel_wav_write(w, buf, n, e);
    }
    if (!rc && lim) {
        float *tail = malloc((reel_limiter_latency(lim) + 1) * (size_t)pr.channels * sizeof *tail);
        size_t n = tail ? reel_limiter_flush(lim, tail) : 0;
        rc = !tail ? REEL_ENOMEM : reel_loud_meter_feed(m, tail, n) < 0 ? REEL_ENOMEM : reel_wav_write(w, tail, n, e);
        free(tail);
    }
    if (!rc && (reel_loud_meter_finish(m) < 0 || reel_loud_meter_result(m, after) < 0)) rc = REEL_ENOMEM;
    if (!rc) {
        b.has_loudness = 1, b.loudness = after->integrated, b.range = after->range, b.true_peak = after->true_peak;
        b.max_momentary = after->max_momentary, b.max_short_term = after->max_short_term;
        rc = reel_wav_close(w, &b, e);
        w = NULL;
    }
    if (rc == REEL_ENOMEM) reel_errf(e, rc, "out of memory");
    if (w) reel_wav_abort(w);
    reel_reader_free(&rd);
    reel_limiter_free(lim);
    reel_loud_meter_free(m);
    free(buf);
    return rc;
}

