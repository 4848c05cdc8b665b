/* Probing: what a media file holds, told as a plain reel_probe (container, first video stream's
 * codec, size, frame rate, aspect, colour tags and start timecode, first audio stream's codec,
 * rate and layout). It owns the rules for a trustworthy frame rate (average vs real, VFR) and for
 * finding the timecode (stream tag, container tag, tmcd track). Opening goes through safeopen. */
#include "media/safeopen.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <libavutil/channel_layout.h>
#include <libavutil/pixdesc.h>

static void copy_str(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

static int rate_sane(AVRational r)
{
    return r.num > 0 && r.den > 0 && av_q2d(r) >= 0.5 && av_q2d(r) <= 1000.0;
}

/* Snap a measured rate within 0.1% of a standard one to the nearest exact standard rational (24
 * and 24000/1001 are 0.1% apart: an exact 24 must stay 24). */
static AVRational snap_rate(AVRational r)
{
    static const AVRational std[] = {
        {24000, 1001}, {24, 1}, {25, 1}, {30000, 1001}, {30, 1}, {48, 1}, {50, 1},
        {60000, 1001}, {60, 1}, {100, 1}, {120000, 1001}, {120, 1},
    };
    double v = av_q2d(r), best = 0.001;
    int k = -1;
    for (size_t i = 0; i < sizeof std / sizeof std[0]; i++) {
        double d = fabs(v - av_q2d(std[i])) / av_q2d(std[i]);
        if (d <= best) best = d, k = (int)i;
    }
    if (k >= 0) return std[k];
    av_reduce(&r.num, &r.den, r.num, r.den, INT32_MAX);
    return r;
}

static void fill_rate(const AVStream *st, reel_probe *out)
{
    AVRational avg = st->avg_frame_rate, real = st->r_frame_rate, use = {0, 1};
    if (rate_sane(avg)) use = avg;
    else if (rate_sane(real)) use = real;
    if (use.num) use = snap_rate(use);
    out->fps.num = use.num;
    out->fps.den = use.den;
    out->vfr = 0;
    if (rate_sane(avg) && rate_sane(real)) {
        double a = av_q2d(avg), r = av_q2d(real);
        out->vfr = fabs(a - r) > 0.005 * r;
    }
}

static const char *tag(const AVDictionary *m, const char *key)
{
    const AVDictionaryEntry *t = av_dict_get(m, key, NULL, 0);
    return t ? t->value : NULL;
}

/* Timecode: the video stream's tag, then the container's, then any data (tmcd) stream's. */
static void fill_timecode(const AVFormatContext *fmt, int vidx, reel_probe *out)
{
    const char *tc = vidx >= 0 ? tag(fmt->streams[vidx]->metadata, "timecode") : NULL;
    if (!tc) tc = tag(fmt->metadata, "timecode");
    for (unsigned i = 0; !tc && i < fmt->nb_streams; i++)
        tc = tag(fmt->streams[i]->metadata, "timecode");
    copy_str(out->timecode, sizeof out->timecode, tc);
    out->tc_drop = tc && (strchr(tc, ';') || strchr(tc, '.'));
}

static const char *name_or_empty(const char *n)
{
    return n && strcmp(n, "unknown") && strcmp(n, "unspecified") ? n : "";
}

static void fill_video(const AVFormatContext *fmt, int vidx, reel_probe *out)
{
    const AVStream *st = fmt->streams[vidx];
    const AVCodecParameters *par = st->codecpar;
    out->has_video = 1;
    copy_str(out->vcodec, sizeof out->vcodec, avcodec_get_name(par->codec_id));
    copy_str(out->pix_fmt, sizeof out->pix_fmt, av_get_pix_fmt_name(par->format));
    copy_str(out->vprofile, sizeof out->vprofile, avcodec_profile_name(par->codec_id, par->profile));
    out->width = par->width;
    out->height = par->height;
    fill_rate(st, out);
    AVRational sar = st->sample_aspect_ratio.num ? st->sample_aspect_ratio : par->sample_aspect_ratio;
    if (sar.num > 0 && sar.den > 0) av_reduce(&out->sar.num, &out->sar.den, sar.num, sar.den, 1 << 20);
    copy_str(out->color_space, sizeof out->color_space, name_or_empty(av_color_space_name(par->color_space)));
    copy_str(out->color_range, sizeof out->color_range, name_or_empty(av_color_range_name(par->color_range)));
    copy_str(out->color_primaries, sizeof out->color_primaries,
             name_or_empty(av_color_primaries_name(par->color_primaries)));
    copy_str(out->color_trc, sizeof out->color_trc, name_or_empty(av_color_transfer_name(par->color_trc)));
    double dur = -1;
    if (st->duration > 0 && st->duration != AV_NOPTS_VALUE) dur = st->duration * av_q2d(st->time_base);
    else if (out->duration > 0) dur = out->duration;
    if (st->nb_frames > 0) out->nb_frames = st->nb_frames;
    else if (dur > 0 && out->fps.num > 0) out->nb_frames = llround(dur * out->fps.num / out->fps.den);
}

static void fill_audio(const AVFormatContext *fmt, int aidx, reel_probe *out)
{
    const AVCodecParameters *par = fmt->streams[aidx]->codecpar;
    out->has_audio = 1;
    copy_str(out->acodec, sizeof out->acodec, avcodec_get_name(par->codec_id));
    out->sample_rate = par->sample_rate;
    out->channels = par->ch_layout.nb_channels;
    if (av_channel_layout_describe(&par->ch_layout, out->layout, sizeof out->layout) < 0)
        out->layout[0] = '\0';
    copy_str(out->sample_fmt, sizeof out->sample_fmt, av_get_sample_fmt_name(par->format));
}

int reel_media_fill_probe(const AVFormatContext *fmt, const char *path, reel_probe *out,
                          reel_err *e)
{
    memset(out, 0, sizeof *out);
    out->duration = -1;
    out->nb_frames = -1;
    out->sar.num = out->sar.den = 1;
    out->fps.den = 1;
    copy_str(out->format, sizeof out->format, fmt->iformat ? fmt->iformat->name : "");
    if (fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0)
        out->duration = fmt->duration / (double)AV_TIME_BASE;
    out->bit_rate = fmt->bit_rate;
    int vidx = reel_media_first_stream(fmt, AVMEDIA_TYPE_VIDEO);
    int aidx = reel_media_first_stream(fmt, AVMEDIA_TYPE_AUDIO);
    if (vidx < 0 && aidx < 0)
        return reel_errf(e, REEL_EMEDIA, "%s: no video or audio stream", path);
    if (vidx >= 0) fill_video(fmt, vidx, out);
    if (aidx >= 0) fill_audio(fmt, aidx, out);
    fill_timecode(fmt, vidx, out);
    return 0;
}

int reel_media_probe(const char *path, reel_probe *out, reel_err *e)
{
    AVFormatContext *fmt = NULL;
    reel_open_limits l;
    memset(out, 0, sizeof *out);
    reel_open_limits_default(&l);
    int rc = reel_media_open_input(&fmt, path, &l, e);
    if (rc < 0) goto done;
    rc = reel_media_fill_probe(fmt, path, out, e);
done:
    reel_media_close_input(&fmt);
    return rc;
}
