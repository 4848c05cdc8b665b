/* The proxy agent: a light H.264/AAC copy of each clip for review, the dashboard's player and
 * offline editing. Never upscales. Deterministic: same source and options, same bytes. */
#include "agents/agent.h"
#include "media/media.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const presets[] = {"ultrafast", "superfast", "veryfast", "faster", "fast",
                                      "medium", "slow", NULL};

static const reel_option proxy_options[] = {
    {"height", REEL_OPT_INT, "540", 144, 2160, NULL, "Proxy frame height (never above the source)."},
    {"crf", REEL_OPT_INT, "23", 0, 51, NULL, "H.264 constant rate factor: lower is better and bigger."},
    {"preset", REEL_OPT_ENUM, "veryfast", 0, 0, presets, "x264 speed preset."},
    {NULL},
};

typedef struct proxy_job {
    reel_task *t;
    reel_reader *rd;
    reel_encoder *enc;
    reel_probe pr;
    double fps, t0;
    long long next_slot;   /* next output frame index (constant frame rate) */
    reel_frame prev;       /* last picture encoded, repeated to fill timestamp gaps */
    int have_prev;
} proxy_job;

static int open_all(proxy_job *j, const char *out)
{
    const reel_opts *o = reel_task_opts(j->t);
    reel_err *e = reel_task_err(j->t);
    int rc = reel_media_probe(reel_task_clip_path(j->t), &j->pr, e);
    if (rc) return rc;
    int h = (int)reel_opts_int(o, "height");
    if (j->pr.has_video && j->pr.height < h) h = j->pr.height & ~1;
    reel_reader_opts ro;
    reel_reader_opts_default(&ro);
    ro.want_video = j->pr.has_video;
    ro.out_width = 0;
    ro.out_height = h;
    ro.out_fmt = REEL_PIX_YUV420P;
    ro.want_audio = j->pr.has_audio;
    ro.out_sample_rate = 48000;
    ro.out_channels = 2;
    ro.threads = reel_task_threads(j->t);
    reel_probe again;
    if ((rc = reel_reader_open(&j->rd, reel_task_clip_path(j->t), &ro, &again, e))) return rc;
    reel_enc_opts eo = {.container = "mp4", .crf = (int)reel_opts_int(o, "crf"),
                        .preset = reel_opts_str(o, "preset"), .threads = 1};
    /* one x264 thread: the only setting found to give identical bytes on every run; clips are
     * encoded in parallel by the worker pool instead */
    if (j->pr.has_video) {
        eo.vcodec = "h264";
        eo.height = h;
        eo.width = (int)((double)j->pr.width * j->pr.sar.num / (j->pr.sar.den ? j->pr.sar.den : 1) *
                         h / j->pr.height + 0.5) & ~1;
        eo.fps = j->pr.fps.num > 0 ? j->pr.fps : (reel_rational){25, 1};
        j->fps = (double)eo.fps.num / eo.fps.den;
    }
    if (j->pr.has_audio) {
        eo.acodec = "aac";
        eo.sample_rate = 48000;
        eo.channels = 2;
        eo.bitrate_audio = 128000;
    }
    eo.timecode = j->pr.timecode[0] ? j->pr.timecode : NULL;
    return reel_encoder_open(&j->enc, out, &eo, e);
}

static void keep(proxy_job *j, const reel_frame *f)
{
    if (!j->prev.data[0] && reel_frame_alloc(&j->prev, f->width, f->height, f->fmt)) return;
    int h[3] = {f->height, (f->height + 1) / 2, (f->height + 1) / 2}, w[3] = {f->width, (f->width + 1) / 2, (f->width + 1) / 2};
    for (int p = 0; p < 3; p++)
        for (int y = 0; y < h[p]; y++)
            memcpy(j->prev.data[p] + (size_t)y * j->prev.linesize[p], f->data[p] + (size_t)y * f->linesize[p], (size_t)w[p]);
    j->have_prev = 1;
}

/* The proxy runs at a constant rate: each picture lands on the slot its timestamp names, gaps
 * (sparse or variable-rate sources) repeat the previous picture, early duplicates are dropped,
 * and a jump of over a minute is taken as a discontinuity rather than filled. */
static int video_frame(proxy_job *j, const reel_frame *f, reel_err *e)
{
    if (!j->have_prev && j->next_slot == 0) j->t0 = f->time;
    long long s = llround((f->time - j->t0) * j->fps);
    if (s < j->next_slot) {
        if (j->next_slot - s < 2 || !j->have_prev) return 0; /* a duplicate timestamp */
        j->t0 = f->time - j->next_slot / j->fps;              /* went backwards: re-anchor */
        s = j->next_slot;
    }
    if (s - j->next_slot > (long long)(60 * j->fps)) {
        j->t0 = f->time - j->next_slot / j->fps;
        s = j->next_slot;
    }
    for (; j->next_slot < s && j->have_prev; j->next_slot++) {
        int rc = reel_encoder_video(j->enc, &j->prev, e);
        if (rc) return rc;
    }
    int rc = reel_encoder_video(j->enc, f, e);
    j->next_slot = s + 1;
    keep(j, f);
    return rc;
}

static int transcode(proxy_job *j)
{
    reel_err *e = reel_task_err(j->t);
    reel_media_event ev;
    int rc;
    long long n = 0;
    double dur = j->pr.duration > 0 ? j->pr.duration : 0;
    while ((rc = reel_reader_next(j->rd, &ev, e)) == 1) {
        rc = ev.kind == REEL_EV_VIDEO ? video_frame(j, ev.frame, e)
                                      : reel_encoder_audio(j->enc, ev.samples, ev.nb_samples, e);
        if (rc) return rc;
        if ((++n & 31) == 0) {
            if (reel_task_cancelled(j->t)) return reel_errf(e, REEL_ECANCEL, "cancelled");
            if (dur > 0) reel_task_progress(j->t, ev.time / dur);
        }
    }
    return rc ? rc : reel_encoder_finish(&j->enc, e);
}

static int proxy_run(reel_task *t)
{
    char pub[600];
    snprintf(pub, sizeof pub, "proxies/%s.mp4", reel_task_clip_name(t));
    const char *out = reel_task_output(t, "proxy", "proxy.mp4", pub);
    proxy_job j = {.t = t};
    int rc = open_all(&j, out);
    if (!rc) rc = transcode(&j);
    reel_encoder_free(&j.enc);
    reel_reader_free(&j.rd);
    reel_frame_free(&j.prev);
    return rc;
}

static double proxy_estimate(const reel_task *t)
{
    return reel_task_clip_duration(t) * (0.05 + 0.3 * reel_task_clip_pixels(t) / (1920.0 * 1080.0));
}

/* It reads the ingest features too, so that a clip ingest could not read is skipped, not retried. */
static const char *const proxy_reads[] = {REEL_KIND_SOURCE, "features", NULL};
static const char *const proxy_writes[] = {"proxy", NULL};

const reel_agent reel_agent_proxy = {
    .name = "proxy",
    .version = 2,
    .summary = "a light H.264/AAC review copy of each clip (540p by default)",
    .scope = REEL_SCOPE_CLIP,
    .options = proxy_options,
    .reads = proxy_reads,
    .writes = proxy_writes,
    .estimate = proxy_estimate,
    .run = proxy_run,
};
