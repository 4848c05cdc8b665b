/* The QC decode pass: one read of the file, video at its own size (at most 1920 wide) as 8-bit
 * YUV 4:2:0 and audio at its own rate and layout. Each frame is measured (vmeasure.c, flash.c);
 * each 100 ms of audio gives a block (loudness, peaks, correlation, clipped runs); exact-zero
 * holes of 5 ms or more in live audio are noted as dropouts (shorter ones are left alone: FFmpeg's
 * AAC encoder zeroes single 2.7 ms short windows in transients). Thumbnails are taken where something starts and at
 * even steps for the film strip, so no second pass is needed. */
#include "audio/loudness.h"
#include "audio/truepeak.h"
#include "qc/qcint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define THUMB_W 192
#define CLIP_LEVEL 0.9999f
#define CLIP_RUN 3

typedef struct scan {
    reel_qc_report *r;
    const reel_qc_opts *o;
    reel_qc_flash *fl;
    uint8_t *prev;
    int pstride, bt709;
    int64_t cap_v, cap_a;
    double strip_step, next_strip, last_progress;
    /* audio */
    reel_loud_meter *lm;
    reel_tpeak *tp_all, *tp_sec;
    int rate, ch, blk, in_blk, blocks_in_sec;
    double sq[8], lr, peak;
    int run[8];
    uint32_t clipped;
    int64_t sample, zero_run, pending_at, pending_len;
    double env; /* mean square, 10 ms time constant */
    double env_before;
} scan;

/* Append one item of size sz to *arr (n items, room for *cap), growing it by doubling. */
static int push(void **arr, int64_t *n, int64_t *cap, const void *item, size_t sz)
{
    if (*n == *cap) {
        int64_t c = *cap ? 2 * *cap : 1024;
        void *p = realloc(*arr, (size_t)c * sz);
        if (!p) return REEL_ENOMEM;
        *arr = p, *cap = c;
    }
    memcpy((char *)*arr + (size_t)(*n)++ * sz, item, sz);
    return 0;
}

static int push_vframe(scan *s, const reel_qc_vframe *v)
{
    return push((void **)&s->r->v, &s->r->nv, &s->cap_v, v, sizeof *v);
}

static int push_ablock(scan *s, const reel_qc_ablock *b)
{
    return push((void **)&s->r->a, &s->r->na, &s->cap_a, b, sizeof *b);
}

/* A JPEG thumbnail of f, THUMB_W wide. */
static int thumbnail(scan *s, const reel_frame *f)
{
    reel_qc_report *r = s->r;
    if (r->n_thumbs >= REEL_QC_MAX_THUMBS) return -1;
    int tw = f->width < THUMB_W ? f->width & ~1 : THUMB_W;
    int th = (int)((double)f->height * tw / f->width) & ~1;
    if (tw < 2 || th < 2) return -1;
    reel_frame t = {0};
    if (reel_frame_alloc(&t, tw, th, REEL_PIX_YUV420P) < 0) return -1;
    t.full_range = f->full_range;
    reel_downscale_plane(f->data[0], f->linesize[0], f->width, f->height, t.data[0], t.linesize[0], tw, th);
    for (int p = 1; p < 3; p++)
        reel_downscale_plane(f->data[p], f->linesize[p], (f->width + 1) / 2, (f->height + 1) / 2, t.data[p],
                             t.linesize[p], tw / 2, th / 2);
    reel_qc_thumb *q = &r->thumbs[r->n_thumbs];
    int rc = reel_image_encode(&t, 1, &q->jpg, &q->len, NULL);
    reel_frame_free(&t);
    if (rc < 0) return -1;
    q->frame = f->index;
    return r->n_thumbs++;
}

/* Something starts on this frame that a finding may point at. */
static int starts_something(const reel_qc_vframe *v, const reel_qc_vframe *p)
{
    if (!p) return 0;
    return (v->damaged && !p->damaged) || (v->black >= REEL_QC_BLACK_SHARE && p->black < REEL_QC_BLACK_SHARE) ||
           (reel_qc_frozen(v) && !reel_qc_frozen(p)) || (v->illegal > 0.01f && p->illegal <= 0.01f) ||
           ((v->flash || v->red_flash) && !p->flash && !p->red_flash) ||
           (v->broken >= REEL_QC_BROKEN && p->broken < REEL_QC_BROKEN);
}

static int on_video(scan *s, const reel_frame *f)
{
    reel_qc_report *r = s->r;
    reel_qc_vframe v = {.time = f->time, .damaged = (uint8_t)f->damaged};
    reel_qc_measure(f, s->prev, s->pstride, s->bt709, &v);
    reel_qc_flash_feed(s->fl, f, s->bt709, &v);
    if (!s->prev) {
        r->block_edges = reel_qc_block_edges(f->width, f->height);
        s->pstride = f->linesize[0];
        if (!(s->prev = malloc((size_t)s->pstride * f->height))) return REEL_ENOMEM;
    }
    memcpy(s->prev, f->data[0], (size_t)s->pstride * f->height);
    const reel_qc_vframe *p = r->nv ? &r->v[r->nv - 1] : NULL;
    if (starts_something(&v, p) && r->n_thumbs < REEL_QC_MAX_THUMBS - REEL_QC_STRIP) thumbnail(s, f);
    if (s->strip_step > 0 && f->time >= s->next_strip && r->n_strip < REEL_QC_STRIP) {
        int k = thumbnail(s, f);
        if (k >= 0) r->strip[r->n_strip++] = k;
        s->next_strip += s->strip_step;
    }
    return push_vframe(s, &v);
}

/* ---- audio ---- */

static double db(double x) { return x > 0 ? 10 * log10(x) : -200; }

static int close_block(scan *s)
{
    double mom, st, hi = 0, n = s->in_blk;
    reel_loud_meter_now(s->lm, &mom, &st);
    reel_qc_ablock b = {.momentary = (float)mom, .short_term = (float)st,
                        .clipped = s->clipped, .true_peak = NAN, .corr = NAN};
    b.peak = (float)(s->peak > 0 ? 20 * log10(s->peak) : -200);
    for (int c = 0; c < s->ch && c < 8; c++) hi = fmax(hi, s->sq[c] / n);
    b.rms = (float)db(hi);
    if (s->ch >= 2 && s->sq[0] / n > 1e-7 && s->sq[1] / n > 1e-7) b.corr = (float)(s->lr / sqrt(s->sq[0] * s->sq[1]));
    if (++s->blocks_in_sec == 10) {
        b.true_peak = (float)(20 * log10(fmax(reel_tpeak_true(s->tp_sec), 1e-10)));
        reel_tpeak_free(s->tp_sec);
        if (!(s->tp_sec = reel_tpeak_new(s->ch))) return REEL_ENOMEM;
        s->blocks_in_sec = 0;
    }
    memset(s->sq, 0, sizeof s->sq);
    s->lr = s->peak = 0;
    s->clipped = 0;
    s->in_blk = 0;
    return push_ablock(s, &b);
}

/* A hole of exact zeros in every channel, with sound on both sides, is a dropout. */
static void dropout_sample(scan *s, int zero, double ms)
{
    if (zero) {
        if (!s->zero_run++) s->env_before = s->env;
    } else {
        if (s->zero_run >= s->rate / 200 && s->env_before > 1e-5) /* 5 ms, over -50 dBFS */
            s->pending_at = s->sample - s->zero_run, s->pending_len = s->zero_run;
        s->zero_run = 0;
    }
    s->env += (ms - s->env) * (1000.0 / s->rate / 10.0);
    if (s->pending_len && s->sample - (s->pending_at + s->pending_len) >= s->rate / 50) { /* 20 ms after */
        if (s->env > 1e-5) reel_qc_add_dropout(s->r, (double)s->pending_at / s->rate, (double)s->pending_len / s->rate);
        s->pending_len = 0;
    }
}

static void audio_stats(scan *s, const float *x, int n)
{
    int ch = s->ch;
    for (int i = 0; i < n; i++, s->sample++) {
        const float *fr = x + (size_t)i * ch;
        int zero = 1;
        double ms = 0;
        for (int c = 0; c < ch; c++) {
            float v = fr[c], a = fabsf(v);
            zero &= v == 0;
            ms += (double)v * v;
            if (c < 8) s->sq[c] += (double)v * v;
            if (a > s->peak) s->peak = a;
            if (a >= CLIP_LEVEL) {
                if (++s->run[c % 8] == CLIP_RUN) s->clipped++;
            } else {
                s->run[c % 8] = 0;
            }
        }
        if (ch >= 2) s->lr += (double)fr[0] * fr[1];
        dropout_sample(s, zero, ms / ch);
    }
}

static int on_audio(scan *s, const reel_media_event *ev)
{
    if (!s->lm) {
        s->rate = ev->sample_rate, s->ch = ev->channels, s->blk = ev->sample_rate / 10;
        s->lm = reel_loud_meter_new(s->rate, s->ch);
        s->tp_all = reel_tpeak_new(s->ch);
        s->tp_sec = reel_tpeak_new(s->ch);
        if (!s->lm || !s->tp_all || !s->tp_sec) return REEL_ENOMEM;
    }
    const float *x = ev->samples;
    int left = ev->nb_samples;
    while (left > 0) {
        int n = s->blk - s->in_blk < left ? s->blk - s->in_blk : left;
        if (reel_loud_meter_feed(s->lm, x, (size_t)n) < 0) return REEL_ENOMEM;
        reel_tpeak_feed(s->tp_all, x, (size_t)n);
        reel_tpeak_feed(s->tp_sec, x, (size_t)n);
        audio_stats(s, x, n);
        s->in_blk += n;
        if (s->in_blk == s->blk && close_block(s) < 0) return REEL_ENOMEM;
        x += (size_t)n * s->ch;
        left -= n;
    }
    return 0;
}

static int finish_audio(scan *s)
{
    reel_qc_report *r = s->r;
    if (!s->lm) return 0;
    if (s->in_blk > 0 && close_block(s) < 0) return REEL_ENOMEM;
    if (r->na && isnan(r->a[r->na - 1].true_peak))
        r->a[r->na - 1].true_peak = (float)(20 * log10(fmax(reel_tpeak_true(s->tp_sec), 1e-10)));
    if (reel_loud_meter_finish(s->lm) < 0 || reel_loud_meter_result(s->lm, &r->loud) < 0) return REEL_ENOMEM;
    r->loud.true_peak = 20 * log10(fmax(reel_tpeak_true(s->tp_all), 1e-10));
    return 0;
}

/* ---- the pass ---- */

/* Codecs whose every packet codes one picture (VP8, VP9, AV1 and Theora may hide frames). */
static int one_picture_a_packet(const char *codec)
{
    static const char *const c[] = {"h264", "hevc", "mpeg2video", "mpeg1video", "mpeg4", "msmpeg4v3", "prores",
                                    "dnxhd", "mjpeg", "dvvideo", "cinepak", NULL};
    for (int i = 0; c[i]; i++)
        if (!strcmp(c[i], codec)) return 1;
    return 0;
}

static int open_reader(const char *path, const reel_qc_opts *o, reel_qc_report *r, reel_reader **rd, reel_err *e)
{
    int rc = reel_media_probe(path, &r->probe, e);
    if (rc) return rc;
    reel_reader_opts ro;
    reel_reader_opts_default(&ro);
    ro.want_video = r->probe.has_video;
    ro.want_audio = r->probe.has_audio;
    ro.out_fmt = REEL_PIX_YUV420P;
    if (r->probe.width > 1920) ro.out_width = 1920, ro.out_height = 0;
    ro.threads = o->threads;
    return reel_reader_open(rd, path, &ro, NULL, e);
}

static void progress(scan *s, double t)
{
    double dur = s->r->probe.duration;
    if (!s->o->progress || dur <= 0 || t - s->last_progress < dur / 200) return;
    s->last_progress = t;
    s->o->progress(fmin(1, t / dur), s->o->opaque);
}

static void setup(scan *s, reel_qc_report *r)
{
    const reel_probe *p = &r->probe;
    if (!strcmp(p->color_space, "bt709")) s->bt709 = 1;
    else if (!strcmp(p->color_space, "bt470bg") || !strcmp(p->color_space, "smpte170m")) s->bt709 = 0;
    else s->bt709 = p->height >= 720; /* untagged: BT.601 under 720 lines, BT.709 above */
    if (p->duration > 0) s->strip_step = p->duration / REEL_QC_STRIP, s->next_strip = s->strip_step / 2;
    for (int i = 0; i < REEL_QC_STRIP; i++) r->strip[i] = -1;
}

int reel_qc_scan(const char *path, const reel_qc_opts *o, reel_qc_report *r, reel_err *e)
{
    reel_reader *rd = NULL;
    scan s = {.r = r, .o = o, .last_progress = -1};
    int rc = open_reader(path, o, r, &rd, e);
    if (rc) return rc;
    setup(&s, r);
    if (!(s.fl = reel_qc_flash_new())) rc = reel_errf(e, REEL_ENOMEM, "out of memory");
    reel_media_event ev;
    while (!rc && (rc = reel_reader_next(rd, &ev, e)) > 0) {
        rc = ev.kind == REEL_EV_VIDEO ? on_video(&s, ev.frame) : on_audio(&s, &ev);
        if (rc == REEL_ENOMEM) reel_errf(e, rc, "%s: out of memory", path);
        if (!rc && o->cancel && *o->cancel) rc = reel_errf(e, REEL_ECANCEL, "%s: QC interrupted", path);
        progress(&s, ev.time);
    }
    if (!rc && finish_audio(&s) < 0) rc = reel_errf(e, REEL_ENOMEM, "%s: out of memory", path);
    reel_reader_stats st;
    reel_reader_stats_get(rd, &st);
    r->corrupt_packets = st.corrupt_packets + st.read_errors;
    if (!rc && one_picture_a_packet(r->probe.vcodec) && st.video_packets > st.video_frames)
        r->lost_pictures = st.video_packets - st.video_frames;
    reel_reader_free(&rd);
    reel_qc_flash_free(&s.fl);
    reel_loud_meter_free(s.lm);
    reel_tpeak_free(s.tp_all);
    reel_tpeak_free(s.tp_sec);
    free(s.prev);
    return rc;
}
