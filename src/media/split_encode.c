/* Splitting by re-encoding: one decode pass (video at native size, audio at its own rate and
 * channel count) routes each frame and each run of samples to the encoder of the piece whose time
 * range holds it. A piece's encoder opens on its first frame or samples and finishes once both
 * streams have passed its end; the file appears under its name only when complete. */
#include "media/media.h"
#include "util/fsutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct enc_piece {
    reel_encoder *enc;
    int vdone, adone, done, frames;
    char tmp[4200];
} enc_piece;

typedef struct enc_job {
    const char *path;
    const reel_split_piece *p;
    int n;
    reel_enc_opts o;
    reel_probe pr;
    enc_piece *out;
} enc_job;

static int piece_at(const enc_job *j, double t, double half)
{
    for (int k = j->n - 1; k >= 0; k--)
        if (t >= j->p[k].t0 - half) return j->p[k].t1 < 0 || t < j->p[k].t1 - half ? k : -1;
    return -1;
}

static int open_enc(enc_job *j, int k, reel_err *e)
{
    enc_piece *o = &j->out[k];
    snprintf(o->tmp, sizeof o->tmp, "%s.part", j->p[k].path);
    reel_enc_opts eo = j->o;
    eo.timecode = j->p[k].timecode;
    return reel_encoder_open(&o->enc, o->tmp, &eo, e);
}

static int finish_enc(enc_job *j, int k, reel_err *e)
{
    enc_piece *o = &j->out[k];
    int rc = reel_encoder_finish(&o->enc, e);
    o->done = 1;
    if (rc) unlink(o->tmp);
    return rc ? rc : reel_commit_file(o->tmp, j->p[k].path, e);
}

static enc_piece *get(enc_job *j, int k, reel_err *e)
{
    if (k < 0 || j->out[k].done) return NULL;
    if (!j->out[k].enc && open_enc(j, k, e)) return NULL;
    return &j->out[k];
}

static int on_video(enc_job *j, const reel_media_event *ev, double half, reel_err *e)
{
    for (int k = 0; k < j->n; k++)
        if (j->p[k].t1 >= 0 && ev->time >= j->p[k].t1 - half) j->out[k].vdone = 1;
    int k = piece_at(j, ev->time, half);
    enc_piece *o = get(j, k, e);
    if (!o) return e->code;
    o->frames++;
    return reel_encoder_video(o->enc, ev->frame, e);
}

/* Where the run of samples starting at t stops belonging to its piece (or to the gap it is
 * in): that piece's end, or the next piece's start; < 0 when it never does. */
static double run_end(const enc_job *j, int k, double t)
{
    if (k >= 0) return j->p[k].t1;
    for (int m = 0; m < j->n; m++)
        if (j->p[m].t0 > t) return j->p[m].t0;
    return -1;
}

/* Audio: samples [t, t + n/rate) may straddle a boundary; each part goes to its own piece. */
static int on_audio(enc_job *j, const reel_media_event *ev, reel_err *e)
{
    double rate = ev->sample_rate;
    int done = 0;
    while (done < ev->nb_samples) {
        double t = ev->time + done / rate;
        int k = piece_at(j, t, 0.5 / rate), take = ev->nb_samples - done;
        if (k < 0 && t < j->p[0].t0 && j->p[0].t0 <= 0) k = 0; /* priming before time 0 */
        double end = run_end(j, k, t);
        if (end >= 0) {
            double lim = ceil((end - ev->time) * rate - 1e-6) - done;
            if (lim < take) take = lim < 1 ? 1 : (int)lim;
        }
        for (int m = 0; m < j->n; m++)
            if (j->p[m].t1 >= 0 && t >= j->p[m].t1) j->out[m].adone = 1;
        enc_piece *o = get(j, k, e);
        if (!o && e->code) return e->code;
        if (o && reel_encoder_audio(o->enc, ev->samples + (size_t)done * ev->channels, take, e)) return e->code;
        done += take;
    }
    return 0;
}

static int close_ready(enc_job *j, reel_err *e)
{
    for (int k = 0; k < j->n; k++)
        if (j->out[k].enc && j->out[k].vdone && j->out[k].adone && finish_enc(j, k, e)) return e->code;
    return 0;
}

static int pass(enc_job *j, reel_reader *rd, const volatile int *cancel, reel_err *e)
{
    double half = j->o.fps.num > 0 ? 0.5 * j->o.fps.den / j->o.fps.num : 0.001;
    reel_media_event ev;
    int r, rc = 0;
    while (!rc && (r = reel_reader_next(rd, &ev, e)) > 0) {
        rc = ev.kind == REEL_EV_VIDEO ? on_video(j, &ev, half, e) : on_audio(j, &ev, e);
        if (!rc) rc = close_ready(j, e);
        if (!rc && cancel && *cancel) rc = reel_errf(e, REEL_ECANCEL, "%s: split interrupted", j->path);
    }
    if (!rc && r < 0) rc = r;
    for (int k = 0; !rc && k < j->n; k++) {
        if (j->out[k].enc) rc = finish_enc(j, k, e);
        else if (!j->out[k].done) rc = reel_errf(e, REEL_EMEDIA, "%s: piece %d (%.3f s) has no frames", j->path, k + 1, j->p[k].t0);
    }
    return rc;
}

static int open_reader(enc_job *j, reel_reader **rd, int threads, reel_err *e)
{
    reel_reader_opts ro;
    reel_reader_opts_default(&ro);
    ro.want_video = 1;
    ro.out_fmt = REEL_PIX_YUV420P;
    ro.threads = threads;
    int rc = reel_media_probe(j->path, &j->pr, e);
    if (rc) return rc;
    if (!j->pr.has_video) return reel_errf(e, REEL_EMEDIA, "%s: no video stream to split", j->path);
    ro.want_audio = j->pr.has_audio && j->o.acodec;
    j->o.width = j->pr.width & ~1;
    j->o.height = j->pr.height & ~1;
    ro.out_width = j->o.width;
    ro.out_height = j->o.height;
    j->o.fps = j->pr.fps.num > 0 ? j->pr.fps : (reel_rational){25, 1};
    if (!ro.want_audio) j->o.acodec = NULL;
    j->o.sample_rate = j->pr.sample_rate;
    j->o.channels = j->pr.channels > 8 ? 2 : j->pr.channels;
    ro.out_channels = j->o.channels;
    return reel_reader_open(rd, j->path, &ro, NULL, e);
}

int reel_split_encode(const char *path, const reel_split_piece *p, int n, const reel_enc_opts *o,
                      const volatile int *cancel, reel_err *e)
{
    enc_job j = {.path = path, .p = p, .n = n, .o = *o};
    reel_reader *rd = NULL;
    if (n <= 0) return 0;
    j.out = calloc((size_t)n, sizeof *j.out);
    int rc = j.out ? open_reader(&j, &rd, o->threads, e) : reel_errf(e, REEL_ENOMEM, "out of memory");
    if (!rc) {
        for (int k = 0; k < n; k++) j.out[k].adone = !j.o.acodec;
        rc = pass(&j, rd, cancel, e);
    }
    for (int k = 0; j.out && k < n; k++)
        if (j.out[k].enc) { reel_encoder_free(&j.out[k].enc); unlink(j.out[k].tmp); }
    if (!rc) reel_fsync_dir_of(p[0].path, NULL);
    reel_reader_free(&rd);
    free(j.out);
    return rc;
}
