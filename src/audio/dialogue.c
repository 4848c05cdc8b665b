/* Measure, then gain + true-peak limit + broadcast WAV (see dialogue.h). */
#include "audio/dialogue.h"
#include "audio/denoise.h"
#include "audio/fbuf.h"
#include "audio/leveler.h"
#include "audio/limiter.h"
#include "media/media.h"
#include "util/fsutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const reel_loud_preset presets[] = {
    {"ebu", "EBU R128", -23, -1, 0},
    {"atsc", "ATSC A/85", -24, -2, 0},
    {"netflix", "Netflix (dialogue-gated)", -27, -2, 1},
    {"apple", "Apple Music and podcasts", -16, -1, 0},
    {"spotify", "Spotify", -14, -1, 0},
    {"youtube", "YouTube", -14, -1, 0},
    {"none", "level kept", NAN, NAN, 0},
    {NULL, NULL, 0, 0, 0},
};

const reel_loud_preset *reel_loud_presets(void) { return presets; }

const reel_loud_preset *reel_loud_preset_find(const char *name)
{
    for (const reel_loud_preset *p = presets; p->name; p++)
        if (!strcmp(p->name, name)) return p;
    return NULL;
}

static int open_audio(const char *path, reel_reader **r, reel_probe *pr, reel_err *e)
{
    reel_reader_opts ro;
    reel_reader_opts_default(&ro);
    ro.want_video = 0;
    ro.want_audio = 1;
    int rc = reel_media_probe(path, pr, e);
    if (!rc && !pr->has_audio) rc = reel_errf(e, REEL_EMEDIA, "%s: no audio stream", path);
    return rc ? rc : reel_reader_open(r, path, &ro, NULL, e);
}

static void tick(const reel_dialogue_opts *o, const char *stage, double t, double dur, double *last)
{
    if (!o->progress || dur <= 0 || t - *last < 5) return;
    *last = t;
    o->progress(stage, fmin(1, t / dur), o->opaque);
}

/* The leveling curve, and what it does to the loudness (predicted from the measured blocks). */
typedef struct lvl {
    double *gain, step;
    int n;
    double pred_integrated, pred_speech;
} lvl;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* 10th to 90th percentile of the speech blocks' loudness, LU (0 when fewer than 10 blocks). */
static double spread(const double *energy, const unsigned char *speech, int n)
{
    double *l = malloc((size_t)(n ? n : 1) * sizeof *l);
    int k = 0;
    for (int b = 0; l && b < n; b++)
        if (speech[b] && energy[b] > 1e-7) l[k++] = 10 * log10(energy[b]);
    double v = 0;
    if (k >= 10) {
        qsort(l, (size_t)k, sizeof *l, cmp_double);
        v = l[k * 9 / 10] - l[k / 10];
    }
    free(l);
    return v;
}

static int make_curve(reel_loud_meter *m, lvl *L, reel_dialogue_report *r)
{
    double *energy;
    unsigned char *speech;
    int n = reel_loud_meter_blocks(m, &energy, &speech, &L->step);
    if (n < 0 || !(L->gain = malloc((size_t)(n ? n : 1) * sizeof *L->gain))) {
        if (n >= 0) free(energy), free(speech);
        return REEL_ENOMEM;
    }
    L->n = n;
    reel_level_curve(energy, speech, n, 10, 10, L->gain);
    r->spread_before = spread(energy, speech, n);
    for (int b = 0; b < n; b++) {
        r->level_boost = fmax(r->level_boost, L->gain[b]);
        r->level_cut = fmax(r->level_cut, -L->gain[b]);
        energy[b] *= pow(10, L->gain[b] / 10);
    }
    L->pred_integrated = reel_gated_loudness(energy, NULL, n);
    L->pred_speech = reel_gated_loudness(energy, speech, n);
    free(energy);
    free(speech);
    return 0;
}

/* The hum to remove, from what the search found and the option. */
static void hum_choice(const reel_dialogue_opts *o, int rate, reel_hum *h)
{
    if (o->dehum <= 0 || (h->f0 > 0 && fabs(h->f0 - o->dehum) < 3)) return;
    double seconds = h->seconds; /* that mains was asked for and not found: its first harmonics */
    memset(h, 0, sizeof *h);
    h->seconds = seconds, h->f0 = o->dehum, h->level_db = NAN;
    for (int k = 1; k <= 8 && k * o->dehum < 0.45 * rate; k++) h->k[h->n++] = k;
}

/* A float source holding NaN or infinity (damaged, or written by a broken tool) would poison
 * every figure and filter: refused, with where. */
static int all_finite(const char *path, const reel_media_event *ev, reel_err *e)
{
    size_t n = (size_t)ev->nb_samples * (size_t)ev->channels;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(ev->samples[i]))
            return reel_errf(e, REEL_EMEDIA, "%s: a sample at %.3f s is not a number (NaN or infinity): the audio is damaged",
                             path, ev->time + (double)(i / (size_t)ev->channels) / ev->sample_rate);
    return 0;
}

/* Pass 1: the loudness of the file as it is (and the leveling curve when L, the hum search
 * unless dehum is off). */
static int measure(const char *path, const reel_dialogue_opts *o, reel_loudness *out, reel_probe *pr,
                   lvl *L, reel_dialogue_report *rep, reel_err *e)
{
    reel_reader *rd = NULL;
    reel_loud_meter *m = NULL;
    reel_hum_detect *hd = NULL;
    reel_clipscan *cs = NULL;
    reel_media_event ev;
    double last = 0;
    int rc = open_audio(path, &rd, pr, e), r = 0;
    while (!rc && (r = reel_reader_next(rd, &ev, e)) > 0) {
        if (ev.kind != REEL_EV_AUDIO) continue;
        if (!m && !(m = reel_loud_meter_new(ev.sample_rate, ev.channels)))
            rc = reel_errf(e, REEL_EMEDIA, "%s: cannot measure %d channels at %d Hz", path, ev.channels, ev.sample_rate);
        if (!rc && !hd && o->dehum != REEL_DEHUM_OFF && !(hd = reel_hum_detect_new(ev.sample_rate, ev.channels)))
            rc = reel_errf(e, REEL_ENOMEM, "out of memory");
        if (!rc && !cs && o->declip != REEL_DECLIP_OFF && !(cs = reel_clipscan_new(ev.channels)))
            rc = reel_errf(e, REEL_ENOMEM, "out of memory");
        if (!rc) rc = all_finite(path, &ev, e);
        if (!rc && reel_loud_meter_feed(m, ev.samples, (size_t)ev.nb_samples))
            rc = reel_errf(e, REEL_ENOMEM, "out of memory");
        if (!rc && hd) reel_hum_detect_feed(hd, ev.samples, (size_t)ev.nb_samples);
        if (!rc && cs) reel_clipscan_feed(cs, ev.samples, (size_t)ev.nb_samples);
        if (!rc && o->cancel && *o->cancel) rc = reel_errf(e, REEL_ECANCEL, "%s: interrupted", path);
        tick(o, "measure", ev.time, pr->duration, &last);
    }
    if (!rc && r < 0) rc = r;
    if (!rc && !m) rc = reel_errf(e, REEL_EMEDIA, "%s: the audio stream holds no samples", path);
    if (!rc && (reel_loud_meter_finish(m) || reel_loud_meter_result(m, out)))
        rc = reel_errf(e, REEL_ENOMEM, "out of memory");
    if (!rc && L && make_curve(m, L, rep)) rc = reel_errf(e, REEL_ENOMEM, "out of memory");
    if (!rc && hd) {
        reel_hum_detect_result(hd, &rep->hum);
        hum_choice(o, out->rate, &rep->hum);
    }
    if (!rc && cs) reel_clipscan_result(cs, &rep->clip);
    reel_clipscan_free(cs);
    reel_hum_detect_free(hd);
    reel_loud_meter_free(m);
    reel_reader_free(&rd);
    return rc;
}

/* The figure the gain is set from (with leveling, L: what the loudness will be once leveled),
 * or an error when there is none. */
static int choose(const char *path, const reel_dialogue_opts *o, const lvl *L, reel_dialogue_report *r,
                  reel_err *e)
{
    const reel_loudness *b = r->cleaned ? &r->clean : &r->before;
    r->from = b->integrated;
    if (!isfinite(o->preset.target)) return 0; /* the level is kept: nothing to set a gain from */
    if (o->preset.dialogue_gated) {
        if (isfinite(b->speech_integrated)) {
            r->from = b->speech_integrated;
            r->gated_used = 1;
        } else {
            snprintf(r->note, sizeof r->note, "no speech found: the programme loudness was used");
        }
    }
    if (isfinite(r->from)) {
        double pred = !L ? NAN : r->gated_used ? L->pred_speech : L->pred_integrated;
        if (isfinite(pred)) r->from = pred;
        return 0;
    }
    if (b->seconds < 0.4)
        return reel_errf(e, REEL_EINVAL, "%s: %.3f s of audio: integrated loudness is undefined under 400 ms, "
                         "so there is nothing to normalise to", path, b->seconds);
    return reel_errf(e, REEL_EINVAL, "%s: silent (every block under the -70 LUFS gate): integrated loudness "
                     "is undefined, so there is nothing to normalise to", path);
}

static void make_bext(const reel_dialogue_opts *o, const reel_probe *pr, int rate, int ch, reel_bext *b)
{
    memset(b, 0, sizeof *b);
    b->blank_date = o->reproducible;
    if (isfinite(o->preset.target))
        snprintf(b->description, sizeof b->description, "reel dialogue: %s, %.1f LUFS%s, ceiling %.1f dBTP%s%s",
                 o->preset.title, o->preset.target, o->preset.dialogue_gated ? " dialogue-gated" : "",
                 o->preset.true_peak, o->denoise ? ", denoised" : "", o->dehum != REEL_DEHUM_OFF ? ", hum checked" : "");
    else
        snprintf(b->description, sizeof b->description, "reel dialogue: level kept%s%s", o->denoise ? ", denoised" : "",
                 o->dehum != REEL_DEHUM_OFF ? ", hum checked" : "");
    snprintf(b->originator, sizeof b->originator, "reel %s", REEL_VERSION);
    snprintf(b->originator_ref, sizeof b->originator_ref, "reel-dialogue");
    int drop;
    int64_t f = pr->timecode[0] && pr->fps.num > 0 ? reel_tc_parse(pr->timecode, pr->fps, &drop) : -1;
    if (f > 0) b->time_reference = (uint64_t)llround((double)f * pr->fps.den / pr->fps.num * rate);
    snprintf(b->coding_history, sizeof b->coding_history, "A=%s,F=%d,W=%d,M=%s,T=reel dialogue %s\r\n",
             o->fmt == REEL_WAV_FLOAT32 ? "PCM_FLOAT" : "PCM", rate, (int)o->fmt,
             ch == 1 ? "mono" : ch == 2 ? "stereo" : "multichannel", o->preset.name);
}

typedef struct wpass {
    const lvl *L;
    double pos;               /* frames processed so far */
    reel_limiter *lim;
    reel_loud_meter *after;
    reel_wav_writer *w;
    float *buf;
    size_t cap;
} wpass;

static int emit(wpass *p, const float *y, size_t n, reel_err *e)
{
    if (!n) return 0;
    if (reel_loud_meter_feed(p->after, y, n)) return reel_errf(e, REEL_ENOMEM, "out of memory");
    return reel_wav_write(p->w, y, n, e);
}

static int process_block(wpass *p, const reel_media_event *ev, double gain, reel_err *e)
{
    size_t n = (size_t)ev->nb_samples * (size_t)ev->channels;
    if (reel_floats_reserve(&p->buf, &p->cap, n)) return reel_errf(e, REEL_ENOMEM, "out of memory");
    int ch = ev->channels;
    for (int i = 0; i < ev->nb_samples; i++) {
        double g = p->L ? gain * pow(10, reel_level_at(p->L->gain, p->L->n, p->L->step, p->pos + i) / 20) : gain;
        for (int c = 0; c < ch; c++) p->buf[(size_t)i * ch + c] = (float)(ev->samples[(size_t)i * ch + c] * g);
    }
    p->pos += ev->nb_samples;
    size_t nb = p->lim ? reel_limiter_run(p->lim, p->buf, p->buf, (size_t)ev->nb_samples) : (size_t)ev->nb_samples;
    return emit(p, p->buf, nb, e);
}

/* The last pass: gain, limiter (ceiling `ceil` dBTP; none when the level is kept), writer and the
 * after-meter, in one read of src (path itself, or the cleaned work file). The file is left
 * complete at OUT.part. */
static int write_pass(const char *path, const char *src, const reel_dialogue_opts *o, double ceil, const lvl *L,
                      reel_dialogue_report *r, reel_err *e)
{
    reel_reader *rd = NULL;
    reel_probe pr, spr;
    reel_media_event ev;
    wpass p = {.L = L};
    reel_bext b; /* made once at open; its loudness fields are filled in at the end */
    double gain = pow(10, r->gain_db / 20), last = 0;
    int rc = reel_media_probe(path, &pr, e), got = 0, rate = 0, ch = 0, keep = !isfinite(o->preset.target);
    if (!rc) rc = open_audio(src, &rd, &spr, e);
    while (!rc && (got = reel_reader_next(rd, &ev, e)) > 0) {
        if (ev.kind != REEL_EV_AUDIO) continue;
        if (!p.w) {
            rate = ev.sample_rate, ch = ev.channels;
            make_bext(o, &pr, rate, ch, &b);
            if ((!keep && !(p.lim = reel_limiter_new(rate, ch, ceil, 5, 80))) ||
                !(p.after = reel_loud_meter_new(rate, ch)))
                rc = reel_errf(e, REEL_ENOMEM, "out of memory");
            if (!rc) rc = reel_wav_open(&p.w, o->out, rate, ch, o->fmt, &b, e);
        }
        if (!rc) rc = process_block(&p, &ev, gain, e);
        if (!rc && o->cancel && *o->cancel) rc = reel_errf(e, REEL_ECANCEL, "%s: interrupted", path);
        tick(o, "write", ev.time, pr.duration, &last);
    }
    if (!rc && got < 0) rc = got;
    if (!rc && p.lim) {
        size_t n = reel_limiter_latency(p.lim) + 1;
        float *tail = malloc(n * (size_t)ch * sizeof *tail);
        rc = tail ? emit(&p, tail, reel_limiter_flush(p.lim, tail), e) : reel_errf(e, REEL_ENOMEM, "out of memory");
        free(tail);
    }
    if (!rc && p.after && (reel_loud_meter_finish(p.after) || reel_loud_meter_result(p.after, &r->after)))
        rc = reel_errf(e, REEL_ENOMEM, "out of memory");
    if (!rc && !p.w) rc = reel_errf(e, REEL_EMEDIA, "%s: the audio stream holds no samples", path);
    if (!rc && L) {
        double *energy, step;
        unsigned char *speech;
        int n = reel_loud_meter_blocks(p.after, &energy, &speech, &step);
        if (n < 0) rc = reel_errf(e, REEL_ENOMEM, "out of memory");
        else r->spread_after = spread(energy, speech, n), free(energy), free(speech);
    }
    if (!rc && p.w) {
        b.has_loudness = 1;
        b.loudness = r->after.integrated, b.range = r->after.range, b.true_peak = r->after.true_peak;
        b.max_momentary = r->after.max_momentary, b.max_short_term = r->after.max_short_term;
        rc = reel_wav_finish_part(p.w, &b, e);
        p.w = NULL;
    }
    if (p.lim) {
        r->limiter_max_db = reel_limiter_max_reduction_db(p.lim);
        r->limited_seconds = (double)reel_limiter_frames_limited(p.lim) / rate;
    }
    reel_wav_abort(p.w);
    reel_limiter_free(p.lim);
    reel_loud_meter_free(p.after);
    free(p.buf);
    reel_reader_free(&rd);
    return rc;
}

/* The cleanup chain, streaming: de-clipping and de-clicking, hum removal, then noise reduction
 * (each compensates its own delay), into the work file and a meter. */
typedef struct chain {
    reel_restore *rs;
    reel_dehum *dh;
    reel_denoise *dn;
    float *a, *b, *c;
    size_t acap, bcap, ccap;   /* floats a, b and c hold */
    int ch;
    reel_wav_writer *w;
    reel_loud_meter *m;
} chain;

/* The m frames at y through one stage into buf (and, at the end, what it still holds); y and m
 * then name its output. */
#define STAGE(st, run, flush, buf)                                                                     \
    do {                                                                                               \
        size_t k_ = m ? run(st, y, buf, m) : 0;                                                        \
        if (end) k_ += flush(st, buf + k_ * ch);                                                       \
        y = buf, m = k_;                                                                               \
    } while (0)

/* n frames of x through the chain (x NULL: the end, flush everything held). */
static int chain_run(chain *c, const float *x, size_t n, reel_err *e)
{
    size_t need = n + (c->rs ? reel_restore_latency(c->rs) : 0) + (c->dh ? reel_dehum_latency(c->dh) : 0) +
                  (c->dn ? reel_denoise_latency(c->dn) : 0) + 1, ch = (size_t)c->ch;
    if (reel_floats_reserve(&c->a, &c->acap, need * ch) || reel_floats_reserve(&c->b, &c->bcap, need * ch) ||
        reel_floats_reserve(&c->c, &c->ccap, need * ch))
        return reel_errf(e, REEL_ENOMEM, "out of memory");
    const float *y = x;
    size_t m = x ? n : 0;
    int end = !x;
    if (c->rs) STAGE(c->rs, reel_restore_run, reel_restore_flush, c->c);
    if (c->dh) STAGE(c->dh, reel_dehum_run, reel_dehum_flush, c->a);
    if (c->dn) STAGE(c->dn, reel_denoise_run, reel_denoise_flush, c->b);
    if (!m) return 0;
    if (reel_loud_meter_feed(c->m, y, m)) return reel_errf(e, REEL_ENOMEM, "out of memory");
    return reel_wav_write(c->w, y, m, e);
}

/* The chain, writing the work file, or (final) the output itself in its format. */
static int chain_open(chain *c, const reel_dialogue_opts *o, const reel_hum *hum, const reel_clipping *r_clip,
                      const reel_probe *pr, int rate,
                      int ch, const char *work, int final, reel_bext *b, reel_err *e)
{
    c->ch = ch;
    const reel_clipping *clip = o->declip != REEL_DECLIP_OFF && r_clip && r_clip->found ? r_clip : NULL;
    if (((clip || o->declick > 0) && !(c->rs = reel_restore_new(rate, ch, clip, o->declick))) ||
        (hum->n && !(c->dh = reel_dehum_new(rate, ch, hum))) || (o->denoise && !(c->dn = reel_denoise_new(rate, ch, o->strength))) ||
        !(c->m = reel_loud_meter_new(rate, ch)))
        return reel_errf(e, REEL_ENOMEM, "out of memory");
    if (final) {
        make_bext(o, pr, rate, ch, b);
        return reel_wav_open(&c->w, o->out, rate, ch, o->fmt, b, e);
    }
    *b = (reel_bext){.blank_date = 1};
    snprintf(b->description, sizeof b->description, "reel dialogue: cleanup work file");
    return reel_wav_open(&c->w, work, rate, ch, REEL_WAV_FLOAT32, b, e);
}

/* The cleaning read: path through the chain into WORK.part (32-bit float), measured on the way
 * (r->clean); the leveling curve, when L, is made again from what was cleaned. When the level
 * is kept (preset none) there is nothing after it: it writes the output itself, complete. */
static int clean_pass(const char *path, const reel_dialogue_opts *o, const char *work, lvl *L,
                      reel_dialogue_report *r, reel_err *e)
{
    reel_reader *rd = NULL;
    reel_probe pr;
    reel_media_event ev;
    chain c = {0};
    reel_bext b;
    int final = !isfinite(o->preset.target) && !o->level; /* leveling still to come: a work file */
    double last = 0;
    int rc = open_audio(path, &rd, &pr, e), got = 0;
    while (!rc && (got = reel_reader_next(rd, &ev, e)) > 0) {
        if (ev.kind != REEL_EV_AUDIO) continue;
        if (!c.m) rc = chain_open(&c, o, &r->hum, &r->clip, &pr, ev.sample_rate, ev.channels, work, final, &b, e);
        if (!rc) rc = chain_run(&c, ev.samples, (size_t)ev.nb_samples, e);
        if (!rc && o->cancel && *o->cancel) rc = reel_errf(e, REEL_ECANCEL, "%s: interrupted", path);
        tick(o, "clean", ev.time, pr.duration, &last);
    }
    if (!rc && got < 0) rc = got;
    if (!rc && !c.m) rc = reel_errf(e, REEL_EMEDIA, "%s: the audio stream holds no samples", path);
    if (!rc) rc = chain_run(&c, NULL, 0, e);
    if (!rc && (reel_loud_meter_finish(c.m) || reel_loud_meter_result(c.m, &r->clean)))
        rc = reel_errf(e, REEL_ENOMEM, "out of memory");
    if (!rc && L) {
        free(L->gain);
        memset(L, 0, sizeof *L);
        r->level_boost = r->level_cut = 0;
        if (make_curve(c.m, L, r)) rc = reel_errf(e, REEL_ENOMEM, "out of memory");
    }
    if (!rc && final && o->fmt != REEL_WAV_FLOAT32 && r->clean.sample_peak > 0)
        snprintf(r->note, sizeof r->note, "the cleaned audio peaks at %+.2f dBFS (rebuilt peaks): the %d-bit PCM "
                 "file clips it again; 32-bit float keeps it", r->clean.sample_peak, o->fmt == REEL_WAV_PCM16 ? 16 : 24);
    if (!rc && final) {
        b.has_loudness = 1, r->after = r->clean, r->passes = 1, r->written = 1;
        b.loudness = r->after.integrated, b.range = r->after.range, b.true_peak = r->after.true_peak;
        b.max_momentary = r->after.max_momentary, b.max_short_term = r->after.max_short_term;
        if (!(rc = reel_wav_close(c.w, &b, e))) reel_fsync_dir_of(o->out, NULL);
        c.w = NULL;
        r->written = !rc;
    } else if (!rc) {
        rc = reel_wav_finish_part(c.w, NULL, e), c.w = NULL;
    }
    r->cleaned = !rc;
    r->hum_removed = c.dh != NULL;
    r->hum_removed_db = c.dh ? reel_dehum_removed_db(c.dh) : NAN;
    r->denoise_db = c.dn ? reel_denoise_reduction_db(c.dn) : NAN;
    if (c.rs) reel_restore_stats(c.rs, &r->declipped, &r->clicks, &r->click_samples);
    reel_wav_abort(c.w);
    reel_restore_free(c.rs);
    reel_dehum_free(c.dh);
    reel_denoise_free(c.dn);
    reel_loud_meter_free(c.m);
    free(c.a), free(c.b), free(c.c);
    reel_reader_free(&rd);
    return rc;
}

/* Writing over the file being read would feed each try the last one's output. */
static int not_the_input(const char *path, const char *out, reel_err *e)
{
    struct stat a, b;
    if (stat(path, &a) || stat(out, &b) || a.st_dev != b.st_dev || a.st_ino != b.st_ino) return 0;
    return reel_errf(e, REEL_EINVAL, "%s: -o names the input itself; write the result to another file", out);
}

static int normalise(const char *path, const char *src, const reel_dialogue_opts *o, lvl *L,
                     reel_dialogue_report *r, reel_err *e);

int reel_dialogue_process(const char *path, const reel_dialogue_opts *o, reel_dialogue_report *r, reel_err *e)
{
    memset(r, 0, sizeof *r);
    lvl L = {0};
    int rc = 0, level = o->level != 0;
    char work[4200] = "", part[4300] = "";
    if (o->measured && !level && (o->dehum == REEL_DEHUM_OFF || o->hum) && (o->declip == REEL_DECLIP_OFF || o->clip)) {
        r->before = *o->measured;
        if (o->hum && o->dehum != REEL_DEHUM_OFF) r->hum = *o->hum;
        if (o->clip && o->declip != REEL_DECLIP_OFF) r->clip = *o->clip;
    } else {
        rc = measure(path, o, &r->before, &(reel_probe){0}, level ? &L : NULL, r, e);
    }
    int repair = (o->declip != REEL_DECLIP_OFF && r->clip.found) || o->declick > 0;
    if (!rc && o->out && (o->denoise || r->hum.n || repair) && !(rc = not_the_input(path, o->out, e))) {
        snprintf(work, sizeof work, "%s.clean.wav", o->out);
        snprintf(part, sizeof part, "%s.part", work);
        rc = clean_pass(path, o, work, level ? &L : NULL, r, e);
    }
    if (!rc) { /* measuring only: the figure the gain would be set from, if any, and no error */
        int crc = choose(path, o, level ? &L : NULL, r, o->out ? e : NULL);
        if (isfinite(r->from) && isfinite(o->preset.target)) r->gain_db = o->preset.target - r->from;
        if (o->out && !r->written && !(rc = crc) && !(rc = not_the_input(path, o->out, e)))
            rc = normalise(path, part[0] ? part : path, o, level ? &L : NULL, r, e);
    }
    if (part[0]) unlink(part);
    free(L.gain);
    return rc;
}

/* Gain (from r->gain_db; after leveling, when L), limiter and writer, tried until the result
 * meets the preset. */
static int normalise(const char *path, const char *src, const reel_dialogue_opts *o, lvl *L,
                     reel_dialogue_report *r, reel_err *e)
{
    int rc = 0;
    char part[4200];
    snprintf(part, sizeof part, "%s.part", o->out);
    /* Each try is written to OUT.part and only the last is renamed into place. Limiting takes
     * loudness away: when the result misses the target by more than 0.2 LU the file is written
     * again with more gain, first by the miss, then by the secant through the last two tries (an
     * extra dB into the limiter adds less than 1 LU). When the measured true peak is over the
     * ceiling (the limiter's own peak estimate read low), again with the limiter's ceiling lowered
     * by the excess. (A leveled file's loudness is predicted from its blocks, and can miss too.)
     * Four tries at most. */
    double g0 = 0, l0 = 0, ceil = o->preset.true_peak - 0.1;
    for (r->passes = 1; !rc; r->passes++) {
        rc = write_pass(path, src, o, ceil, L, r, e);
        double got = r->gated_used ? r->after.speech_integrated : r->after.integrated, g1 = r->gain_db;
        double over = r->after.true_peak - o->preset.true_peak;
        int loud_ok = !isfinite(got) || !isfinite(o->preset.target) || fabs(o->preset.target - got) <= 0.2;
        if (rc || r->passes == 4 || (loud_ok && !(over > 0))) break;
        if (over > 0) ceil -= over + 0.05;
        if (!loud_ok) {
            double slope = r->passes > 1 && got - l0 > 0.05 && g1 != g0 ? (got - l0) / (g1 - g0) : 1;
            r->gain_db = g1 + (o->preset.target - got) / fmax(0.2, fmin(1, slope));
            g0 = g1, l0 = got;
        }
    }
    if (!rc) rc = reel_commit_file(part, o->out, e);
    if (!rc) reel_fsync_dir_of(o->out, NULL);
    if (rc) unlink(part);
    r->written = !rc;
    return rc;
}

static json_t *num(double v, double scale)
{
    return isfinite(v) ? json_real(round(v * scale) / scale) : json_null();
}

static json_t *loud_json(const reel_loudness *l)
{
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:f,s:i,s:i}", "integrated_lufs", num(l->integrated, 100),
                     "dialogue_lufs", num(l->speech_integrated, 100), "speech_ratio", num(l->speech_ratio, 1000),
                     "range_lu", num(l->range, 100), "true_peak_dbtp", num(l->true_peak, 100),
                     "sample_peak_dbfs", num(l->sample_peak, 100), "max_momentary_lufs", num(l->max_momentary, 100),
                     "max_short_term_lufs", num(l->max_short_term, 100), "seconds", round(l->seconds * 1000) / 1000,
                     "sample_rate", l->rate, "channels", l->channels);
}

/* A path as a JSON string; bytes that are not UTF-8 become '?'. */
static json_t *path_json(const char *path)
{
    json_t *s = json_string(path);
    if (s) return s;
    char *c = strdup(path);
    for (char *q = c; q && *q; q++)
        if ((unsigned char)*q >= 0x80) *q = '?';
    s = c ? json_string(c) : NULL;
    free(c);
    return s;
}

static json_t *hum_json(const reel_dialogue_opts *o, const reel_dialogue_report *r)
{
    const reel_hum *h = &r->hum;
    if (o->dehum == REEL_DEHUM_OFF) return json_pack("{s:s}", "search", "off");
    json_t *k = json_array();
    for (int i = 0; i < h->n; i++) json_array_append_new(k, json_integer(h->k[i]));
    json_t *j = json_pack("{s:s,s:o,s:o,s:o,s:b}", "search", o->dehum == REEL_DEHUM_AUTO ? "auto" : o->dehum == 50 ? "50" : "60",
                          "fundamental_hz", h->f0 > 0 ? num(h->f0, 1000) : json_null(), "harmonics", k,
                          "level_db", h->f0 > 0 ? num(h->level_db, 10) : json_null(), "removed", r->hum_removed);
    if (r->hum_removed) json_object_set_new(j, "removed_db", num(r->hum_removed_db, 10));
    return j;
}

static json_t *dbfs(float v) { return v != 0 ? num(20 * log10(fabs(v)), 100) : json_null(); }

static json_t *declip_json(const reel_dialogue_opts *o, const reel_dialogue_report *r)
{
    if (o->declip == REEL_DECLIP_OFF) return json_pack("{s:s}", "search", "off");
    const reel_clipping *c = &r->clip;
    json_t *j = json_pack("{s:s,s:b,s:o,s:o,s:I,s:I,s:I}", "search", "auto", "found", c->found, "top_dbfs", dbfs(c->hi),
                          "bottom_dbfs", dbfs(c->lo), "flat_runs_top", (json_int_t)c->hi_runs, "flat_runs_bottom",
                          (json_int_t)c->lo_runs, "samples", (json_int_t)c->samples);
    if (r->cleaned && c->found) json_object_set_new(j, "repaired_samples", json_integer(r->declipped));
    return j;
}

/* What the searches and the cleaning read did (NULL when nothing was searched for or asked). */
static json_t *cleanup_json(const reel_dialogue_opts *o, const reel_dialogue_report *r)
{
    if (!o->denoise && o->dehum == REEL_DEHUM_OFF && o->declip == REEL_DECLIP_OFF && !(o->declick > 0)) return NULL;
    json_t *j = json_pack("{s:o,s:o,s:o}", "hum", hum_json(o, r), "declip", declip_json(o, r), "denoise",
                          o->denoise ? json_pack("{s:f,s:o}", "strength", o->strength, "reduction_db",
                                                 r->cleaned ? num(r->denoise_db, 100) : json_null())
                                     : json_null());
    json_object_set_new(j, "declick", !(o->declick > 0) ? json_null()
                                      : json_pack("{s:f,s:o,s:o}", "threshold", o->declick, "clicks",
                                                  r->cleaned ? json_integer(r->clicks) : json_null(), "samples",
                                                  r->cleaned ? json_integer(r->click_samples) : json_null()));
    if (r->cleaned) json_object_set_new(j, "loudness", loud_json(&r->clean));
    return j;
}

json_t *reel_dialogue_report_json(const char *path, const reel_dialogue_opts *o, const reel_dialogue_report *r)
{
    const reel_loud_preset *p = &o->preset;
    json_t *j = json_pack("{s:o,s:{s:s,s:o,s:o,s:b},s:o,s:o,s:o}", "file", path_json(path), "preset", "name", p->name, "target_lufs",
                          num(p->target, 100), "true_peak_dbtp", num(p->true_peak, 100), "dialogue_gated", p->dialogue_gated, "before",
                          loud_json(&r->before), "gain_db", num(r->gain_db, 100), "measured_from",
                          json_string(r->gated_used ? "dialogue" : "programme"));
    if (r->note[0]) json_object_set_new(j, "note", json_string(r->note));
    if (o->level)
        json_object_set_new(j, "leveling", json_pack("{s:o,s:o,s:o,s:o}", "speech_spread_before_lu",
                                                     num(r->spread_before, 100), "speech_spread_after_lu",
                                                     r->written ? num(r->spread_after, 100) : json_null(),
                                                     "max_boost_db", num(r->level_boost, 100), "max_cut_db",
                                                     num(r->level_cut, 100)));
    json_t *cl = cleanup_json(o, r);
    if (cl) json_object_set_new(j, "cleanup", cl);
    if (r->written) {
        json_object_set_new(j, "after", loud_json(&r->after));
        json_object_set_new(j, "output", path_json(o->out));
        json_object_set_new(j, "limiter", json_pack("{s:o,s:o,s:i}", "max_reduction_db", num(r->limiter_max_db, 100),
                                                    "limited_seconds", num(r->limited_seconds, 1000),
                                                    "passes", r->passes));
    }
    return j;
}
