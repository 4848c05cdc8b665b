/* The graded render of one clip (see render.h). */
#include "color/render.h"
#include "util/fsutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct rctx {
    const reel_grade_clip *c;
    const reel_grade_result *r;
    const reel_render_opts *o;
    reel_lut3d *luts;             /* per shot, baked when its first frame comes */
    reel_lut3d_plan **plans;
    int n;                        /* shots */
    reel_frame out;
    reel_encoder *enc;
    reel_probe probe;
    int width, height;            /* the output: the source's, even for 4:2:0 / 4:2:2 codecs */
} rctx;

static reel_lut3d_plan *shot_plan(rctx *x, int s, reel_err *e)
{
    if (x->plans[s]) return x->plans[s];
    for (int k = 0; k < x->n; k++) /* frames come in order: one shot's table at a time */
        if (x->plans[k]) reel_lut3d_plan_free(x->plans[k]), x->plans[k] = NULL, reel_lut3d_free(&x->luts[k]);
    int n = x->o->shot_lut_size > 1 ? x->o->shot_lut_size : 33;
    if (reel_look_bake(&x->r->look, &x->c->cdl[s], n, &x->luts[s], e)) return NULL;
    x->plans[s] = reel_lut3d_plan_new(&x->luts[s]);
    if (!x->plans[s]) reel_errf(e, REEL_ENOMEM, "out of memory");
    return x->plans[s];
}

static int grade_frame(rctx *x, const reel_frame *f, reel_err *e)
{
    const reel_grade_clip *c = x->c;
    int64_t i = f->index < c->frames.n_frames ? f->index : c->frames.n_frames - 1;
    int s = c->cdl ? reel_grade_shot_of(c, i) : 0;
    reel_lut3d_plan *p = shot_plan(x, s, e);
    if (!p) return e->code;
    static const float one[3] = {1, 1, 1};
    reel_lut3d_plan_set_gain(p, c->gains && i >= 0 ? &c->gains[3 * i] : one);
    if (!x->out.data[0] && reel_frame_alloc(&x->out, x->width, x->height, REEL_PIX_RGB24))
        return reel_errf(e, REEL_ENOMEM, "out of memory");
    int w = f->width < x->width ? f->width : x->width, h = f->height < x->height ? f->height : x->height;
    for (int y = 0; y < h; y++)
        reel_lut3d_apply_rgb24(p, f->data[0] + (size_t)y * f->linesize[0],
                               x->out.data[0] + (size_t)y * x->out.linesize[0], (size_t)w);
    x->out.index = f->index, x->out.time = f->time;
    return reel_encoder_video(x->enc, &x->out, e);
}

static int open_encoder(rctx *x, const char *part, reel_err *e)
{
    reel_enc_opts eo = *x->o->enc;
    /* chroma-subsampled codecs need even sizes: the last odd row or column is cropped */
    x->width = x->probe.width & ~1, x->height = x->probe.height & ~1;
    eo.width = x->width, eo.height = x->height;
    eo.fps = x->probe.fps.num > 0 ? x->probe.fps : (reel_rational){25, 1};
    if (!x->probe.has_audio) eo.acodec = NULL;
    eo.sample_rate = x->probe.sample_rate, eo.channels = x->probe.channels;
    if (x->probe.timecode[0] && !eo.timecode) eo.timecode = x->probe.timecode;
    return reel_encoder_open(&x->enc, part, &eo, e);
}

static int pump(rctx *x, reel_reader *rd, reel_err *e)
{
    reel_media_event ev;
    int rc;
    double dur = x->probe.duration > 0 ? x->probe.duration : 0;
    while ((rc = reel_reader_next(rd, &ev, e)) > 0) {
        if (x->o->cancel && *x->o->cancel) return reel_errf(e, REEL_ECANCEL, "interrupted");
        if (ev.kind == REEL_EV_VIDEO) rc = grade_frame(x, ev.frame, e);
        else if (x->probe.has_audio && x->o->enc->acodec) rc = reel_encoder_audio(x->enc, ev.samples, ev.nb_samples, e);
        if (rc < 0) return rc;
        if (x->o->progress && dur > 0) x->o->progress(ev.time / dur, x->o->opaque);
    }
    return rc;
}

int reel_grade_render(const reel_grade_clip *c, const reel_grade_result *r, const char *src,
                      const char *out, const reel_render_opts *o, reel_err *e)
{
    rctx x = {.c = c, .r = r, .o = o};
    char part[4200];
    snprintf(part, sizeof part, "%s.part", out);
    reel_reader *rd = NULL;
    reel_reader_opts ro;
    reel_reader_opts_default(&ro);
    ro.want_video = 1, ro.out_fmt = REEL_PIX_RGB24, ro.threads = o->threads;
    ro.want_audio = o->enc->acodec != NULL;
    int n = c->n_shots > 0 ? c->n_shots : 1;
    x.n = n;
    x.luts = calloc((size_t)n, sizeof *x.luts);
    x.plans = calloc((size_t)n, sizeof *x.plans);
    int rc = x.luts && x.plans ? 0 : reel_errf(e, REEL_ENOMEM, "out of memory");
    if (!rc) rc = reel_reader_open(&rd, src, &ro, &x.probe, e);
    if (!rc && !x.probe.has_video) rc = reel_errf(e, REEL_EMEDIA, "%s: no video to grade", src);
    if (!rc) rc = open_encoder(&x, part, e);
    if (!rc) rc = pump(&x, rd, e);
    if (rc >= 0) rc = reel_encoder_finish(&x.enc, e);
    if (rc >= 0) rc = reel_commit_file(part, out, e);
    reel_encoder_free(&x.enc);
    if (rc < 0) unlink(part);
    reel_reader_free(&rd);
    for (int s = 0; s < n && x.plans; s++) reel_lut3d_plan_free(x.plans[s]), reel_lut3d_free(&x.luts[s]);
    free(x.plans), free(x.luts);
    reel_frame_free(&x.out);
    return rc < 0 ? rc : 0;
}
