/* The conform's picture pass (conform.h). */
#include "audio/limiter.h"
#include "color/yuvgrade.h"
#include "render/burnin.h"
#include "render/conform.h"
#include "render/picture.h"
#include "util/fsutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One item's picture source: a reader and the source frame on screen. */
typedef struct vsrc {
    const reel_tl_item *it;
    reel_reader *rd;
    reel_probe pr;
    reel_frame cur;        /* the frame showing (a copy), graded on demand */
    int64_t cur_index;     /* its number in the file (ingest's numbering) */
    int have, eof, shown;
    const reel_frame *next; /* decoded, not yet showing (the reader's) */
} vsrc;

typedef struct vpass {
    const reel_timeline *tl;
    const reel_conform_opts *o;
    reel_conform_stats *st;
    reel_encoder *enc;
    reel_scaler *scaler;
    int yuv;               /* working in 4:2:0 Y'CbCr (a 4:2:0 deliverable), else RGB24 */
    reel_frame canvas, layer, graded;
    reel_yuvgrade yg;
    vsrc a, b;             /* a: the current item; b: the incoming one during a dissolve */
    int ia;                /* a's item */
    /* sound */
    reel_reader *ard;
    reel_limiter *lim;
    float *abuf;
    int64_t abuf_n, abuf_pos, fed;
    int aeof, rate, ch;
    double gain;
    reel_err *e;
} vpass;

static void vsrc_close(vsrc *s)
{
    reel_reader_free(&s->rd);
    reel_frame_free(&s->cur);
    memset(s, 0, sizeof *s);
}

static int vsrc_open(vsrc *s, const reel_tl_item *it, reel_pixfmt fmt, reel_err *e)
{
    vsrc_close(s);
    s->it = it;
    if (it->black) return 0;
    reel_reader_opts ro;
    reel_reader_opts_default(&ro);
    ro.want_video = 1, ro.want_audio = 0, ro.out_fmt = fmt, ro.threads = 0;
    int rc = reel_reader_open(&s->rd, it->path, &ro, &s->pr, e);
    if (!rc && !s->pr.has_video) rc = reel_errf(e, REEL_EMEDIA, "%s: no picture to conform", it->path);
    return rc;
}

/* Make the frame showing at source time t current. 0, or <0 on a read error. */
static int vsrc_seek(vsrc *s, double t, double tol, reel_conform_stats *st, reel_err *e)
{
    while (s->rd) {
        if (!s->next && !s->eof) {
            reel_media_event ev;
            int rc = reel_reader_next(s->rd, &ev, e);
            if (rc < 0) return rc;
            if (rc == 0) s->eof = 1;
            else s->next = ev.frame;
        }
        if (!s->next || (s->have && s->next->time > t + tol)) break;
        const reel_frame *f = s->next;
        if (s->cur.data[0] && (s->cur.width != f->width || s->cur.height != f->height))
            reel_frame_free(&s->cur); /* the source changed size midway */
        if (!s->cur.data[0] && reel_frame_alloc(&s->cur, f->width, f->height, f->fmt))
            return reel_errf(e, REEL_ENOMEM, "out of memory");
        if (s->have && !s->shown) st->skipped++;
        reel_pic_copy(f, &s->cur, 0, 0);
        s->cur.full_range = f->full_range;
        s->cur_index = f->index, s->have = 1, s->shown = 0, s->next = NULL;
    }
    return 0;
}

/* The rectangle of the canvas a source of w x h (pixel aspect sar) fills, keeping its shape. */
static void fit(int w, int h, double sar, int cw, int ch, int r[4])
{
    double dar = (double)w * sar / h;
    int fw = cw, fh = (int)lround(cw / dar) & ~1;
    if (fh > ch) fh = ch, fw = (int)lround(ch * dar) & ~1;
    if (fw < 2) fw = 2;
    if (fh < 2) fh = 2;
    r[0] = (cw - fw) / 2 & ~1, r[1] = (ch - fh) / 2 & ~1, r[2] = fw, r[3] = fh;
}

/* A grade on a frame's rows: the RGB plan or the Y'CbCr table, src into dst. */
typedef struct grading {
    const reel_lut3d_plan *plan;
    const reel_yuvgrade *yg;
    const reel_frame *src;
    reel_frame *dst;
} grading;

static void grade_band(void *arg, int r0, int r1)
{
    grading *g = arg;
    if (g->yg) {
        reel_yuvgrade_rows(g->yg, g->src, g->dst, r0, r1);
        return;
    }
    for (int y = r0; y < r1; y++)
        reel_lut3d_apply_rgb24(g->plan, g->src->data[0] + (size_t)y * g->src->linesize[0],
                               g->dst->data[0] + (size_t)y * g->dst->linesize[0], (size_t)g->src->width);
}

/* The grade into v->graded, the lower half on a second thread: the grade is the longest step
 * between the decoder and the encoder, and the encoder's threads wait on it. */
static int grade(vpass *v, grading *g)
{
    const reel_frame *src = g->src;
    if (v->graded.width != src->width || v->graded.height != src->height || v->graded.fmt != src->fmt)
        reel_frame_free(&v->graded);
    if (!v->graded.data[0] && reel_frame_alloc(&v->graded, src->width, src->height, src->fmt))
        return reel_errf(v->e, REEL_ENOMEM, "out of memory");
    g->dst = &v->graded;
    reel_pic_split2(grade_band, g, g->yg ? (src->height + 1) / 2 : src->height);
    v->graded.full_range = src->fmt == REEL_PIX_RGB24;
    return 0;
}

/* The shot's grade on the source's current frame; *src becomes the graded frame where it changes. */
static int grade_current(vpass *v, vsrc *s, const reel_frame **src, int *shot)
{
    grading g = {.src = *src};
    if (!v->yuv) {
        reel_lut3d_plan *plan = NULL;
        int rc = reel_gradebook_plan(v->o->grade, s->it->name, s->cur_index, &plan, shot, v->e);
        if (rc || !plan) return rc;
        g.plan = plan;
    } else {
        const reel_lut3d *table = NULL;
        const float *gain = NULL;
        unsigned gen = 0;
        int rc = reel_gradebook_table(v->o->grade, s->it->name, s->cur_index, &table, &gain, &gen, shot, v->e);
        reel_yuv_desc d;
        reel_yuv_desc_for(s->pr.color_space, (*src)->height, (*src)->full_range, &d, NULL);
        if (rc || (!table && !reel_yuvgrade_needed(&d))) return rc; /* BT.709 limited, ungraded: as it is */
        if (reel_yuvgrade_set(&v->yg, &d, table, gen, gain)) return reel_errf(v->e, REEL_ENOMEM, "out of memory");
        g.yg = &v->yg;
    }
    int rc = grade(v, &g);
    if (!rc) *src = &v->graded;
    return rc;
}

/* The source's current frame, graded, into dst (the canvas size); black where it does not reach. */
static int draw(vpass *v, vsrc *s, reel_frame *dst, int *shot)
{
    reel_frame *c = &v->canvas;
    *shot = 0;
    if (!s->have) {
        reel_pic_black(dst);
        return 0;
    }
    if (s->shown) v->st->repeated++;
    s->shown = 1;
    const reel_frame *src = &s->cur;
    int rc = grade_current(v, s, &src, shot);
    if (rc) return rc;
    double sar = s->pr.sar.num > 0 && s->pr.sar.den > 0 ? (double)s->pr.sar.num / s->pr.sar.den : 1;
    int r[4];
    fit(src->width, src->height, sar, c->width, c->height, r);
    if (r[2] < c->width || r[3] < c->height) reel_pic_black(dst); /* bars */
    if (r[2] == src->width && r[3] == src->height) {
        reel_pic_copy(src, dst, r[0], r[1]);
        return 0;
    }
    return reel_scaler_run(v->scaler, src, dst, r[0], r[1], r[2], r[3], v->e);
}

/* Burn the record timecode and the name (and shot) of the item mostly on screen. */
static void burn(vpass *v, int64_t j, const reel_tl_item *it, int shot)
{
    reel_frame *c = &v->canvas;
    int sc = reel_burnin_scale(c->height), pad = 2 * sc;
    char text[320];
    if (v->o->burn_tc) {
        int drop = 0;
        int64_t f0 = v->o->enc.timecode ? reel_tc_parse(v->o->enc.timecode, v->o->enc.fps, &drop) : 0;
        if (reel_tc_to_string((f0 > 0 ? f0 : 0) + j, v->o->enc.fps, drop, text) == 0)
            reel_burnin_text(c, pad, c->height - 9 * sc - pad, sc, text);
    }
    if (v->o->burn_names && it) {
        if (shot) snprintf(text, sizeof text, "%s #%d", it->name, shot);
        else snprintf(text, sizeof text, "%s", it->name);
        int w = reel_burnin_width(text, sc);
        reel_burnin_text(c, c->width - w - pad > 0 ? c->width - w - pad : 0, c->height - 9 * sc - pad, sc, text);
    }
}

/* ---- sound: the stem, gained and limited, fed in step with the pictures ---- */

static int sound_open(vpass *v)
{
    reel_reader_opts ro;
    reel_reader_opts_default(&ro);
    ro.want_video = 0, ro.want_audio = 1, ro.out_sample_rate = v->rate, ro.out_channels = v->ch;
    int rc = reel_reader_open(&v->ard, v->o->audio, &ro, NULL, v->e);
    if (!rc && !isnan(v->o->ceiling_db) && !(v->lim = reel_limiter_new(v->rate, v->ch, v->o->ceiling_db, 5, 80)))
        rc = reel_errf(v->e, REEL_ENOMEM, "out of memory");
    return rc;
}

static int sound_room(vpass *v, int64_t n)
{
    float *b = realloc(v->abuf, (size_t)(n * v->ch) * sizeof *b);
    if (!b) return reel_errf(v->e, REEL_ENOMEM, "out of memory");
    v->abuf = b;
    return 0;
}

/* The next piece of the stem through the gain and the limiter into abuf. */
static int sound_refill(vpass *v)
{
    reel_media_event ev;
    int rc = reel_reader_next(v->ard, &ev, v->e);
    v->abuf_pos = v->abuf_n = 0;
    if (rc < 0) return rc;
    if (rc == 0) {
        v->aeof = 1;
        if (!v->lim) return 0;
        if ((rc = sound_room(v, (int64_t)reel_limiter_latency(v->lim) + 1))) return rc;
        v->abuf_n = (int64_t)reel_limiter_flush(v->lim, v->abuf);
        return 0;
    }
    if (ev.kind != REEL_EV_AUDIO) return 0;
    if ((rc = sound_room(v, ev.nb_samples))) return rc;
    for (int64_t i = 0; i < (int64_t)ev.nb_samples * v->ch; i++) v->abuf[i] = (float)(ev.samples[i] * v->gain);
    v->abuf_n = v->lim ? (int64_t)reel_limiter_run(v->lim, v->abuf, v->abuf, (size_t)ev.nb_samples) : ev.nb_samples;
    return 0;
}

/* Feed the encoder up to sample `upto` (silence past the stem's end). */
static int sound_feed(vpass *v, int64_t upto)
{
    static const float zero[1024 * 8];
    while (v->fed < upto) {
        int64_t m;
        int rc = 0;
        if (v->abuf_pos < v->abuf_n) {
            m = v->abuf_n - v->abuf_pos < upto - v->fed ? v->abuf_n - v->abuf_pos : upto - v->fed;
            rc = reel_encoder_audio(v->enc, v->abuf + v->abuf_pos * v->ch, (int)m, v->e);
            v->abuf_pos += m;
        } else if (v->aeof) {
            m = upto - v->fed < 1024 ? upto - v->fed : 1024;
            rc = reel_encoder_audio(v->enc, zero, (int)m, v->e);
        } else {
            m = 0;
            rc = sound_refill(v);
        }
        if (rc < 0) return rc;
        v->fed += m;
    }
    return 0;
}

static void sound_close(vpass *v)
{
    reel_reader_free(&v->ard);
    reel_limiter_free(v->lim);
    v->lim = NULL;
    free(v->abuf);
    v->abuf = NULL;
}

/* Output frame j at record time t: item ia (and ia + 1 in its dissolve). */
static int frame(vpass *v, int64_t j, double t, double rec_a, double dur)
{
    const reel_timeline *tl = v->tl;
    const reel_tl_item *ia = &tl->items[v->ia];
    double fd = (double)v->o->enc.fps.den / v->o->enc.fps.num, tol = fd / 4;
    int rc = vsrc_seek(&v->a, ia->src_in + (t - rec_a), tol, v->st, v->e), shot = 0, shot_b = 0;
    if (!rc) rc = draw(v, &v->a, &v->canvas, &shot);
    double k = 1, fade = v->o->fade;
    if (fade > 0) k = fmin(1, fmin(t / fade, (dur - t - fd) / fade)); /* the first and last frames black */
    if (k < 0) k = 0;
    double a = 0;
    if (!rc && v->ia + 1 < tl->n && tl->items[v->ia + 1].dissolve > 0) {
        const reel_tl_item *ib = &tl->items[v->ia + 1];
        double rec_b = rec_a + (ia->src_out - ia->src_in) - ib->dissolve;
        if (t >= rec_b) {
            if (!v->b.it && (rc = vsrc_open(&v->b, ib, v->canvas.fmt, v->e)) < 0) return rc;
            a = (t - rec_b + fd / 2) / ib->dissolve;
            rc = vsrc_seek(&v->b, ib->src_in + (t - rec_b), tol, v->st, v->e);
            if (!rc) rc = draw(v, &v->b, &v->layer, &shot_b);
        }
    }
    if (rc) return rc;
    if (a > 0 || k < 1) reel_pic_mix(&v->canvas, a > 0 ? &v->layer : NULL, fmin(a, 1), k);
    burn(v, j, a > 0.5 ? v->b.it : v->a.it, a > 0.5 ? shot_b : shot);
    v->canvas.index = j, v->canvas.time = t;
    return reel_encoder_video(v->enc, &v->canvas, v->e);
}

/* Move to the item that shows at t (the incoming item becomes current once its dissolve ends). */
static int advance(vpass *v, double t, double *rec_a)
{
    const reel_timeline *tl = v->tl;
    while (v->ia + 1 < tl->n) {
        const reel_tl_item *ia = &tl->items[v->ia];
        double end = *rec_a + (ia->src_out - ia->src_in);
        if (t < end - 1e-9) break;
        *rec_a = end - tl->items[v->ia + 1].dissolve;
        v->ia++;
        if (v->b.it) { /* the dissolve's incoming source carries on */
            vsrc_close(&v->a);
            v->a = v->b;
            memset(&v->b, 0, sizeof v->b);
        } else {
            int rc = vsrc_open(&v->a, &tl->items[v->ia], v->canvas.fmt, v->e);
            if (rc) return rc;
        }
    }
    return 0;
}

static int setup(vpass *v, const char *part)
{
    const reel_conform_opts *o = v->o;
    reel_enc_opts eo = o->enc;
    if (!o->audio) eo.acodec = NULL;
    v->rate = eo.sample_rate, v->ch = eo.channels, v->gain = pow(10, o->gain_db / 20);
    v->scaler = reel_scaler_new();
    v->yuv = eo.vcodec && reel_vcodec_is_420(eo.vcodec) == 1;
    reel_pixfmt fmt = v->yuv ? REEL_PIX_YUV420P : REEL_PIX_RGB24;
    if (!v->scaler || reel_frame_alloc(&v->canvas, eo.width, eo.height, fmt) ||
        reel_frame_alloc(&v->layer, eo.width, eo.height, fmt))
        return reel_errf(v->e, REEL_ENOMEM, "out of memory");
    int rc = reel_encoder_open(&v->enc, part, &eo, v->e);
    if (!rc && eo.acodec) rc = sound_open(v);
    v->canvas.full_range = v->layer.full_range = !v->yuv;
    if (!rc) rc = vsrc_open(&v->a, &v->tl->items[0], fmt, v->e);
    return rc;
}

static int run(vpass *v)
{
    const reel_conform_opts *o = v->o;
    double fps = (double)o->enc.fps.num / o->enc.fps.den, dur = reel_timeline_duration(v->tl), rec_a = 0;
    int64_t n = llround(dur * fps);
    int rc = 0;
    for (int64_t j = 0; !rc && j < n; j++) {
        double t = j / fps;
        rc = advance(v, t, &rec_a);
        if (!rc) rc = frame(v, j, t, rec_a, dur);
        if (!rc && v->enc && o->enc.acodec && o->audio) rc = sound_feed(v, llround((j + 1) * v->rate / fps));
        if (!rc && o->cancel && *o->cancel) rc = reel_errf(v->e, REEL_ECANCEL, "interrupted");
        if (o->progress && j % 25 == 0) o->progress((double)j / n, o->opaque);
        v->st->frames = j + 1;
    }
    if (!rc && o->audio && o->enc.acodec) rc = sound_feed(v, llround(n * v->rate / fps));
    return rc;
}

int reel_conform_video(const reel_timeline *tl, const reel_conform_opts *o, const char *out, reel_conform_stats *st,
                       reel_err *e)
{
    reel_conform_stats dummy;
    if (!st) st = &dummy;
    memset(st, 0, sizeof *st);
    if (!tl->n) return reel_errf(e, REEL_EINVAL, "%s: the timeline is empty", out);
    char part[4200];
    snprintf(part, sizeof part, "%s.part", out);
    vpass v = {.tl = tl, .o = o, .st = st, .e = e};
    int rc = setup(&v, part);
    if (!rc) rc = run(&v);
    if (!rc) rc = reel_encoder_finish(&v.enc, e);
    if (!rc) rc = reel_commit_file(part, out, e);
    if (v.lim) st->limited_db = reel_limiter_max_reduction_db(v.lim);
    reel_encoder_free(&v.enc);
    if (rc) unlink(part);
    vsrc_close(&v.a);
    vsrc_close(&v.b);
    sound_close(&v);
    reel_scaler_free(&v.scaler);
    reel_frame_free(&v.canvas);
    reel_frame_free(&v.layer);
    reel_frame_free(&v.graded);
    reel_yuvgrade_free(&v.yg);
    return rc;
}
