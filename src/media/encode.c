/* Encoding deliverables: an MP4/MOV (or any libavformat muxer) with one video stream (H.264 via
 * libx264, H.265 via libx265, ProRes 422 HQ or 4444 via prores_ks, DNxHR HQ or HQX via dnxhd)
 * and one audio stream (AAC, 16- or 24-bit PCM). It owns
 * the encoders, the per-frame conversion from any reel frame (one cached swscale context), the
 * audio FIFO that feeds the encoder whole frames, and the determinism rules: bitexact muxer and
 * codecs and a fixed encoder thread count (opts->threads, or 1 when 0: libx264 with two threads,
 * frame or sliced, was seen to vary its output from run to run), so the
 * same frames give byte-identical files on any machine with the same FFmpeg/x264 build. */
#include "media/frameconv.h"
#include "media/safeopen.h"

#include <stdio.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/avstring.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>

enum { DEFAULT_THREADS = 1, DEFAULT_CRF = 20, DEFAULT_AAC_BITRATE = 192000, PCM_FRAME = 1024 };

struct reel_encoder {
    char *path;
    AVFormatContext *oc;
    AVCodecContext *venc, *aenc;
    AVStream *vst, *ast;
    AVFrame *vframe, *aframe;
    AVPacket *pkt;
    reel_sws sws;
    SwrContext *swr;
    AVAudioFifo *fifo;    /* interleaved float waiting for a whole encoder frame */
    float *abuf;          /* one frame of interleaved float */
    int frame_size, channels;
    int64_t vpts, apts;
    int header_written;
};

static int fail_av(reel_encoder *enc, int code, int averr, const char *what, reel_err *e)
{
    char buf[AV_ERROR_MAX_STRING_SIZE];
    av_strerror(averr, buf, sizeof buf);
    return reel_errf(e, code, "%s: %s (FFmpeg: %s)", enc->path, what, buf);
}

void reel_encoder_free(reel_encoder **encp)
{
    if (!encp || !*encp) return;
    reel_encoder *enc = *encp;
    avcodec_free_context(&enc->venc);
    avcodec_free_context(&enc->aenc);
    av_frame_free(&enc->vframe);
    av_frame_free(&enc->aframe);
    av_packet_free(&enc->pkt);
    reel_sws_free(&enc->sws);
    swr_free(&enc->swr);
    if (enc->fifo) av_audio_fifo_free(enc->fifo);
    av_free(enc->abuf);
    if (enc->oc) {
        avio_closep(&enc->oc->pb);
        avformat_free_context(enc->oc);
    }
    av_free(enc->path);
    av_free(enc);
    *encp = NULL;
}

/* ---- video setup ------------------------------------------------------------------------------ */

static void video_common(AVCodecContext *c, const reel_enc_opts *o, int global_header)
{
    c->width = o->width;
    c->height = o->height;
    c->time_base = (AVRational){o->fps.den, o->fps.num};
    c->framerate = (AVRational){o->fps.num, o->fps.den};
    c->sample_aspect_ratio = (AVRational){1, 1};
    c->color_primaries = AVCOL_PRI_BT709;
    c->color_trc = AVCOL_TRC_BT709;
    c->colorspace = AVCOL_SPC_BT709;
    c->color_range = AVCOL_RANGE_MPEG;
    c->thread_count = o->threads > 0 ? o->threads : DEFAULT_THREADS;
    c->flags |= AV_CODEC_FLAG_BITEXACT;
    if (global_header) c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
}

/* The video codecs a deliverable may use: reel's name, the FFmpeg encoder, its pixel format and
 * profile, and whether it is 4:2:0 (even sizes only). */
typedef struct vcodec_info {
    const char *name, *alias, *encoder;
    enum AVPixelFormat pix;
    int profile; /* FF_PROFILE_UNKNOWN: none */
    const char *dnx_profile;
    int subsampled_420;
} vcodec_info;

static const vcodec_info vcodecs[] = {
    {"h264", "libx264", "libx264", AV_PIX_FMT_YUV420P, FF_PROFILE_UNKNOWN, NULL, 1},
    {"h265", "hevc", "libx265", AV_PIX_FMT_YUV420P, FF_PROFILE_UNKNOWN, NULL, 1},
    {"prores_hq", "prores", "prores_ks", AV_PIX_FMT_YUV422P10LE, 3, NULL, 0},
    {"prores_4444", NULL, "prores_ks", AV_PIX_FMT_YUV444P10LE, 4, NULL, 0},
    {"dnxhr_hq", NULL, "dnxhd", AV_PIX_FMT_YUV422P, FF_PROFILE_UNKNOWN, "dnxhr_hq", 0},
    {"dnxhr_hqx", NULL, "dnxhd", AV_PIX_FMT_YUV422P10LE, FF_PROFILE_UNKNOWN, "dnxhr_hqx", 0},
    {NULL},
};

static const vcodec_info *vcodec_find(const char *name)
{
    for (const vcodec_info *v = vcodecs; v->name; v++)
        if (!strcmp(v->name, name) || (v->alias && !strcmp(v->alias, name))) return v;
    return NULL;
}

static void codec_options(AVCodecContext *c, const vcodec_info *v, const reel_enc_opts *o)
{
    if (v->profile != FF_PROFILE_UNKNOWN) c->profile = v->profile;
    if (v->dnx_profile) av_opt_set(c->priv_data, "profile", v->dnx_profile, 0);
    if (!strcmp(v->encoder, "libx264") || !strcmp(v->encoder, "libx265")) {
        av_opt_set_int(c->priv_data, "crf", o->crf >= 0 && o->crf <= 51 ? o->crf : DEFAULT_CRF, 0);
        av_opt_set(c->priv_data, "preset", o->preset && *o->preset ? o->preset : "medium", 0);
    }
    if (!strcmp(v->encoder, "libx265")) { /* a fixed pool: the same bytes on any machine */
        char params[96];
        snprintf(params, sizeof params, "log-level=error:pools=%d:frame-threads=1%s",
                 o->threads > 0 ? o->threads : DEFAULT_THREADS, o->crf == 0 ? ":lossless=1" : "");
        av_opt_set(c->priv_data, "x265-params", params, 0);
        c->codec_tag = MKTAG('h', 'v', 'c', '1'); /* what Apple's players want in MP4/MOV */
    }
}

static int configure_video(reel_encoder *enc, const reel_enc_opts *o, const AVCodec **codec,
                           reel_err *e)
{
    const vcodec_info *v = vcodec_find(o->vcodec);
    if (!v)
        return reel_errf(e, REEL_EINVAL, "%s: unknown video codec '%s' (use %s)", enc->path, o->vcodec,
                         REEL_VIDEO_CODECS);
    if (o->width <= 0 || o->height <= 0 || o->fps.num <= 0 || o->fps.den <= 0)
        return reel_errf(e, REEL_EINVAL, "%s: video needs a size and a frame rate (got %dx%d at %d/%d)",
                         enc->path, o->width, o->height, o->fps.num, o->fps.den);
    if (o->width % 2 || (v->subsampled_420 && o->height % 2))
        return reel_errf(e, REEL_EINVAL, "%s: %s needs an even %s, got %dx%d", enc->path, v->name,
                         v->subsampled_420 ? "width and height (4:2:0)" : "width (4:2:2)", o->width, o->height);
    *codec = avcodec_find_encoder_by_name(v->encoder);
    if (!*codec) return reel_errf(e, REEL_EMEDIA, "%s: this FFmpeg has no %s encoder", enc->path, v->encoder);
    enc->venc = avcodec_alloc_context3(*codec);
    if (!enc->venc) return reel_errf(e, REEL_ENOMEM, "out of memory");
    AVCodecContext *c = enc->venc;
    video_common(c, o, enc->oc->oformat->flags & AVFMT_GLOBALHEADER);
    c->pix_fmt = v->pix;
    codec_options(c, v, o);
    return 0;
}

static int open_video(reel_encoder *enc, const reel_enc_opts *o, reel_err *e)
{
    const AVCodec *codec = NULL;
    int rc = configure_video(enc, o, &codec, e);
    if (rc < 0) return rc;
    int averr = avcodec_open2(enc->venc, codec, NULL);
    if (averr < 0) return fail_av(enc, REEL_EMEDIA, averr, "cannot open the video encoder", e);
    enc->vst = avformat_new_stream(enc->oc, NULL);
    enc->vframe = av_frame_alloc();
    if (!enc->vst || !enc->vframe) return reel_errf(e, REEL_ENOMEM, "out of memory");
    enc->vst->time_base = enc->venc->time_base;
    enc->vst->avg_frame_rate = enc->venc->framerate;
    enc->vst->r_frame_rate = enc->venc->framerate;
    enc->vst->sample_aspect_ratio = enc->venc->sample_aspect_ratio;
    if (avcodec_parameters_from_context(enc->vst->codecpar, enc->venc) < 0)
        return reel_errf(e, REEL_ENOMEM, "out of memory");
    enc->vframe->format = enc->venc->pix_fmt;
    enc->vframe->width = o->width;
    enc->vframe->height = o->height;
    if (av_frame_get_buffer(enc->vframe, 0) < 0) return reel_errf(e, REEL_ENOMEM, "out of memory");
    for (int i = 0; i < AV_NUM_DATA_POINTERS && enc->vframe->buf[i]; i++)
        memset(enc->vframe->buf[i]->data, 0, enc->vframe->buf[i]->size);
    return 0;
}

static int tag_timecode(reel_encoder *enc, const reel_enc_opts *o, reel_err *e)
{
    if (!o->timecode || !*o->timecode) return 0;
    if (!o->vcodec || reel_tc_parse(o->timecode, o->fps, NULL) < 0)
        return reel_errf(e, REEL_EINVAL, "%s: bad start timecode '%s' for %d/%d fps", enc->path,
                         o->timecode, o->fps.num, o->fps.den);
    if (av_dict_set(&enc->oc->metadata, "timecode", o->timecode, 0) < 0 ||
        av_dict_set(&enc->vst->metadata, "timecode", o->timecode, 0) < 0)
        return reel_errf(e, REEL_ENOMEM, "out of memory");
    return 0;
}

/* ---- audio setup ------------------------------------------------------------------------------ */

static int configure_audio(reel_encoder *enc, const reel_enc_opts *o, const AVCodec **codec,
                           reel_err *e)
{
    if (strcmp(o->acodec, "aac") && strcmp(o->acodec, "pcm_s16le") && strcmp(o->acodec, "pcm_s24le"))
        return reel_errf(e, REEL_EINVAL, "%s: unknown audio codec '%s' (use aac, pcm_s16le or pcm_s24le)",
                         enc->path, o->acodec);
    if (o->sample_rate <= 0 || o->channels <= 0 || o->channels > 64)
        return reel_errf(e, REEL_EINVAL, "%s: audio needs a sample rate and channels (got %d Hz, %d)",
                         enc->path, o->sample_rate, o->channels);
    *codec = avcodec_find_encoder_by_name(o->acodec);
    if (!*codec) return reel_errf(e, REEL_EMEDIA, "%s: this FFmpeg has no %s encoder", enc->path, o->acodec);
    enc->aenc = avcodec_alloc_context3(*codec);
    if (!enc->aenc) return reel_errf(e, REEL_ENOMEM, "out of memory");
    AVCodecContext *c = enc->aenc;
    c->sample_fmt = (*codec)->sample_fmts ? (*codec)->sample_fmts[0] : AV_SAMPLE_FMT_S16;
    c->sample_rate = o->sample_rate;
    av_channel_layout_default(&c->ch_layout, o->channels);
    c->time_base = (AVRational){1, o->sample_rate};
    c->flags |= AV_CODEC_FLAG_BITEXACT;
    c->thread_count = 1;
    if (!strcmp(o->acodec, "aac")) c->bit_rate = o->bitrate_audio > 0 ? o->bitrate_audio : DEFAULT_AAC_BITRATE;
    if (enc->oc->oformat->flags & AVFMT_GLOBALHEADER) c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    return 0;
}

static int audio_buffers(reel_encoder *enc, reel_err *e)
{
    AVCodecContext *c = enc->aenc;
    enc->channels = c->ch_layout.nb_channels;
    enc->frame_size = c->frame_size > 0 && !(c->codec->capabilities & AV_CODEC_CAP_VARIABLE_FRAME_SIZE)
                          ? c->frame_size : PCM_FRAME;
    enc->fifo = av_audio_fifo_alloc(AV_SAMPLE_FMT_FLT, enc->channels, enc->frame_size * 2);
    enc->abuf = av_malloc_array((size_t)enc->frame_size * enc->channels, sizeof(float));
    enc->aframe = av_frame_alloc();
    if (!enc->fifo || !enc->abuf || !enc->aframe) return reel_errf(e, REEL_ENOMEM, "out of memory");
    enc->aframe->format = c->sample_fmt;
    enc->aframe->nb_samples = enc->frame_size;
    enc->aframe->sample_rate = c->sample_rate;
    if (av_channel_layout_copy(&enc->aframe->ch_layout, &c->ch_layout) < 0 ||
        av_frame_get_buffer(enc->aframe, 0) < 0)
        return reel_errf(e, REEL_ENOMEM, "out of memory");
    if (swr_alloc_set_opts2(&enc->swr, &c->ch_layout, c->sample_fmt, c->sample_rate, &c->ch_layout,
                            AV_SAMPLE_FMT_FLT, c->sample_rate, 0, NULL) < 0 || swr_init(enc->swr) < 0)
        return reel_errf(e, REEL_EMEDIA, "%s: cannot set up audio conversion", enc->path);
    return 0;
}

static int open_audio(reel_encoder *enc, const reel_enc_opts *o, reel_err *e)
{
    const AVCodec *codec = NULL;
    int rc = configure_audio(enc, o, &codec, e);
    if (rc < 0) return rc;
    int averr = avcodec_open2(enc->aenc, codec, NULL);
    if (averr < 0) return fail_av(enc, REEL_EMEDIA, averr, "cannot open the audio encoder", e);
    enc->ast = avformat_new_stream(enc->oc, NULL);
    if (!enc->ast) return reel_errf(e, REEL_ENOMEM, "out of memory");
    enc->ast->time_base = enc->aenc->time_base;
    if (avcodec_parameters_from_context(enc->ast->codecpar, enc->aenc) < 0)
        return reel_errf(e, REEL_ENOMEM, "out of memory");
    return audio_buffers(enc, e);
}

/* ---- open ------------------------------------------------------------------------------------- */

static int open_container(reel_encoder *enc, const reel_enc_opts *o, reel_err *e)
{
    int averr = avformat_alloc_output_context2(&enc->oc, NULL, o->container, enc->path);
    if (averr < 0 || !enc->oc)
        return reel_errf(e, REEL_EINVAL, "%s: unknown container '%s'", enc->path,
                         o->container ? o->container : "(from the file name)");
    enc->oc->flags |= AVFMT_FLAG_BITEXACT;
    av_free(enc->oc->url); /* "file:" so that a ':' in the name is never a protocol */
    enc->oc->url = av_asprintf("file:%s", enc->path);
    if (!enc->oc->url) return reel_errf(e, REEL_ENOMEM, "out of memory");
    return 0;
}

static int write_header(reel_encoder *enc, reel_err *e)
{
    AVDictionary *opts = NULL;
    int averr = avio_open2(&enc->oc->pb, enc->oc->url, AVIO_FLAG_WRITE, NULL, NULL);
    if (averr < 0) return fail_av(enc, REEL_EIO, averr, "cannot create the file", e);
    if (!strcmp(enc->oc->oformat->name, "mp4")) av_dict_set(&opts, "movflags", "+faststart", 0);
    averr = avformat_write_header(enc->oc, &opts);
    av_dict_free(&opts);
    if (averr < 0) return fail_av(enc, REEL_EMEDIA, averr, "cannot write the container header", e);
    enc->header_written = 1;
    return 0;
}

int reel_encoder_open(reel_encoder **encp, const char *path, const reel_enc_opts *o, reel_err *e)
{
    reel_encoder *enc = av_mallocz(sizeof *enc);
    int rc;
    *encp = NULL;
    reel_media_init();
    if (!enc || !(enc->path = av_strdup(path)) || !(enc->pkt = av_packet_alloc())) {
        rc = reel_errf(e, REEL_ENOMEM, "%s: out of memory", path);
        goto done;
    }
    if (!o || ((!o->vcodec || !*o->vcodec) && (!o->acodec || !*o->acodec))) {
        rc = reel_errf(e, REEL_EINVAL, "%s: nothing to encode (no video or audio codec)", path);
        goto done;
    }
    rc = open_container(enc, o, e);
    if (rc >= 0 && o->vcodec && *o->vcodec) rc = open_video(enc, o, e);
    if (rc >= 0 && o->vcodec && *o->vcodec) rc = tag_timecode(enc, o, e);
    if (rc >= 0 && o->acodec && *o->acodec) rc = open_audio(enc, o, e);
    if (rc >= 0) rc = write_header(enc, e);
    if (rc < 0) goto done;
    *encp = enc;
    enc = NULL;
done:
    reel_encoder_free(&enc);
    return rc;
}

/* ---- encoding --------------------------------------------------------------------------------- */

/* Send frame (NULL: flush) to c and write every packet it gives back. */
static int encode_write(reel_encoder *enc, AVCodecContext *c, AVStream *st, const AVFrame *frame,
                        reel_err *e)
{
    int averr = avcodec_send_frame(c, frame);
    if (averr < 0) return fail_av(enc, REEL_EMEDIA, averr, "encoder rejected a frame", e);
    for (;;) {
        averr = avcodec_receive_packet(c, enc->pkt);
        if (averr == AVERROR(EAGAIN) || averr == AVERROR_EOF) return 0;
        if (averr < 0) return fail_av(enc, REEL_EMEDIA, averr, "encoding failed", e);
        av_packet_rescale_ts(enc->pkt, c->time_base, st->time_base);
        enc->pkt->stream_index = st->index;
        averr = av_interleaved_write_frame(enc->oc, enc->pkt);
        if (averr < 0) return fail_av(enc, REEL_EIO, averr, "write failed", e);
    }
}

int reel_encoder_video(reel_encoder *enc, const reel_frame *f, reel_err *e)
{
    if (!enc || !enc->venc) return reel_errf(e, REEL_EINVAL, "encoder has no video stream");
    if (!f || !f->data[0] || f->width <= 0 || f->height <= 0)
        return reel_errf(e, REEL_EINVAL, "%s: empty video frame", enc->path);
    if (av_frame_make_writable(enc->vframe) < 0) return reel_errf(e, REEL_ENOMEM, "out of memory");
    reel_image_desc src = {.width = f->width, .height = f->height, .fmt = reel_pix_to_av(f->fmt),
                           .full_range = f->full_range || f->fmt == REEL_PIX_RGB24 ||
                                         f->fmt == REEL_PIX_RGBPF32,
                           .colorspace = AVCOL_SPC_BT709};
    reel_frame_av_planes(f, src.data, src.linesize);
    reel_image_desc dst = {.width = enc->vframe->width, .height = enc->vframe->height,
                           .fmt = enc->vframe->format, .colorspace = AVCOL_SPC_BT709};
    for (int i = 0; i < 4; i++) {
        dst.data[i] = enc->vframe->data[i];
        dst.linesize[i] = enc->vframe->linesize[i];
    }
    int rc = reel_sws_convert(&enc->sws, &src, &dst, e);
    if (rc < 0) return reel_err_prefix(e, "%s", enc->path);
    enc->vframe->pts = enc->vpts++;
    enc->vframe->sample_aspect_ratio = (AVRational){1, 1};
    enc->vframe->color_range = AVCOL_RANGE_MPEG;
    enc->vframe->colorspace = AVCOL_SPC_BT709;
    enc->vframe->color_primaries = AVCOL_PRI_BT709;
    enc->vframe->color_trc = AVCOL_TRC_BT709;
    return encode_write(enc, enc->venc, enc->vst, enc->vframe, e);
}

/* Take n samples from the FIFO, convert to the encoder's format and encode them. */
static int encode_audio_frame(reel_encoder *enc, int n, reel_err *e)
{
    if (av_frame_make_writable(enc->aframe) < 0) return reel_errf(e, REEL_ENOMEM, "out of memory");
    void *in[1] = {enc->abuf};
    if (av_audio_fifo_read(enc->fifo, in, n) != n)
        return reel_errf(e, REEL_EMEDIA, "%s: audio FIFO underrun", enc->path);
    const uint8_t *src[1] = {(const uint8_t *)enc->abuf};
    if (swr_convert(enc->swr, enc->aframe->data, n, src, n) != n)
        return reel_errf(e, REEL_EMEDIA, "%s: audio conversion failed", enc->path);
    enc->aframe->nb_samples = n;
    enc->aframe->pts = enc->apts;
    enc->apts += n;
    return encode_write(enc, enc->aenc, enc->ast, enc->aframe, e);
}

int reel_encoder_audio(reel_encoder *enc, const float *samples, int nb_samples, reel_err *e)
{
    if (!enc || !enc->aenc) return reel_errf(e, REEL_EINVAL, "encoder has no audio stream");
    if (nb_samples <= 0) return 0;
    if (!samples) return reel_errf(e, REEL_EINVAL, "%s: no audio samples", enc->path);
    void *in[1] = {(void *)samples};
    if (av_audio_fifo_write(enc->fifo, in, nb_samples) != nb_samples)
        return reel_errf(e, REEL_ENOMEM, "out of memory");
    while (av_audio_fifo_size(enc->fifo) >= enc->frame_size) {
        int rc = encode_audio_frame(enc, enc->frame_size, e);
        if (rc < 0) return rc;
    }
    return 0;
}

static int flush_all(reel_encoder *enc, reel_err *e)
{
    int rc = 0, left = enc->fifo ? av_audio_fifo_size(enc->fifo) : 0;
    if (left > 0) rc = encode_audio_frame(enc, left, e);
    if (rc >= 0 && enc->venc) rc = encode_write(enc, enc->venc, enc->vst, NULL, e);
    if (rc >= 0 && enc->aenc) rc = encode_write(enc, enc->aenc, enc->ast, NULL, e);
    return rc;
}

int reel_encoder_finish(reel_encoder **encp, reel_err *e)
{
    if (!encp || !*encp) return reel_errf(e, REEL_EINVAL, "no encoder");
    reel_encoder *enc = *encp;
    int rc = flush_all(enc, e);
    if (rc >= 0) {
        int averr = av_write_trailer(enc->oc);
        if (averr < 0) rc = fail_av(enc, REEL_EIO, averr, "cannot finish the file", e);
    }
    if (rc >= 0 && avio_closep(&enc->oc->pb) < 0)
        rc = reel_errf(e, REEL_EIO, "%s: close failed", enc->path);
    reel_encoder_free(encp);
    return rc;
}

int reel_vcodec_is_420(const char *codec)
{
    const vcodec_info *v = codec ? vcodec_find(codec) : NULL;
    return v ? v->subsampled_420 : -1;
}
