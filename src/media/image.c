/* Frames and still images. It owns reel_frame memory (one aligned block per frame), the mapping of
 * reel pixel layouts to FFmpeg's, the cached swscale conversion the whole media layer shares, and
 * still image I/O: writing PNG (or JPEG for .jpg/.jpeg) atomically and reading any still the safe
 * open path accepts into RGB24. */
#include "media/frameconv.h"
#include "media/safeopen.h"
#include "util/fsutil.h"

#include <string.h>
#include <strings.h>

#include <libavcodec/avcodec.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

enum { LINE_ALIGN = 64, MAX_DIM = 32768 };

/* ---- frames ----------------------------------------------------------------------------------- */

static int align_up(int v, int a)
{
    return (v + a - 1) / a * a;
}

/* Plane count and per-plane (bytes per line, rows) of a layout. */
static int plane_shapes(int w, int h, reel_pixfmt fmt, int bytes[4], int rows[4])
{
    switch (fmt) {
    case REEL_PIX_GRAY8: bytes[0] = w; rows[0] = h; return 1;
    case REEL_PIX_RGB24: bytes[0] = 3 * w; rows[0] = h; return 1;
    case REEL_PIX_YUV420P:
        bytes[0] = w; rows[0] = h;
        bytes[1] = bytes[2] = (w + 1) / 2;
        rows[1] = rows[2] = (h + 1) / 2;
        return 3;
    case REEL_PIX_YUV444P:
    case REEL_PIX_RGBPF32:
        for (int i = 0; i < 3; i++) {
            bytes[i] = fmt == REEL_PIX_RGBPF32 ? 4 * w : w;
            rows[i] = h;
        }
        return 3;
    }
    return 0;
}

int reel_frame_alloc(reel_frame *f, int width, int height, reel_pixfmt fmt)
{
    int bytes[4] = {0}, rows[4] = {0};
    memset(f, 0, sizeof *f);
    if (width <= 0 || height <= 0 || width > MAX_DIM || height > MAX_DIM) return REEL_EINVAL;
    int n = plane_shapes(width, height, fmt, bytes, rows);
    if (n == 0) return REEL_EINVAL;
    size_t total = LINE_ALIGN, off[4] = {0};
    for (int i = 0; i < n; i++) {
        f->linesize[i] = align_up(bytes[i], LINE_ALIGN);
        off[i] = total - LINE_ALIGN;
        total += (size_t)f->linesize[i] * (size_t)rows[i];
    }
    uint8_t *buf = av_mallocz(total); /* LINE_ALIGN bytes of tail padding for SIMD over-reads */
    if (!buf) {
        memset(f, 0, sizeof *f);
        return REEL_ENOMEM;
    }
    for (int i = 0; i < n; i++) f->data[i] = buf + off[i];
    f->width = width;
    f->height = height;
    f->fmt = fmt;
    return 0;
}

void reel_frame_free(reel_frame *f)
{
    if (!f) return;
    av_free(f->data[0]);
    memset(f, 0, sizeof *f);
}

enum AVPixelFormat reel_pix_to_av(reel_pixfmt f)
{
    switch (f) {
    case REEL_PIX_GRAY8: return AV_PIX_FMT_GRAY8;
    case REEL_PIX_YUV420P: return AV_PIX_FMT_YUV420P;
    case REEL_PIX_YUV444P: return AV_PIX_FMT_YUV444P;
    case REEL_PIX_RGB24: return AV_PIX_FMT_RGB24;
    case REEL_PIX_RGBPF32: return AV_PIX_FMT_GBRPF32;
    }
    return AV_PIX_FMT_NONE;
}

void reel_frame_av_planes(const reel_frame *f, uint8_t *data[4], int linesize[4])
{
    for (int i = 0; i < 4; i++) {
        data[i] = f->data[i];
        linesize[i] = f->linesize[i];
    }
    if (f->fmt == REEL_PIX_RGBPF32) { /* FFmpeg's order is G, B, R; reel's is R, G, B */
        data[0] = f->data[1];
        data[1] = f->data[2];
        data[2] = f->data[0];
        linesize[0] = f->linesize[1];
        linesize[1] = f->linesize[2];
        linesize[2] = f->linesize[0];
    }
}

/* ---- swscale ---------------------------------------------------------------------------------- */

/* yuvj* formats are yuv* with full range; swscale wants the plain format and a range flag. */
static enum AVPixelFormat plain_fmt(enum AVPixelFormat f, int *full)
{
    switch (f) {
    case AV_PIX_FMT_YUVJ420P: *full = 1; return AV_PIX_FMT_YUV420P;
    case AV_PIX_FMT_YUVJ422P: *full = 1; return AV_PIX_FMT_YUV422P;
    case AV_PIX_FMT_YUVJ444P: *full = 1; return AV_PIX_FMT_YUV444P;
    case AV_PIX_FMT_YUVJ440P: *full = 1; return AV_PIX_FMT_YUV440P;
    case AV_PIX_FMT_YUVJ411P: *full = 1; return AV_PIX_FMT_YUV411P;
    default: return f;
    }
}

static int matrix_of(int colorspace, int height)
{
    if (colorspace == AVCOL_SPC_UNSPECIFIED || colorspace == AVCOL_SPC_RGB)
        return height >= 720 ? SWS_CS_ITU709 : SWS_CS_ITU601;
    return colorspace;
}

void reel_sws_free(reel_sws *c)
{
    if (!c) return;
    sws_freeContext(c->ctx);
    memset(c, 0, sizeof *c);
}

static int sws_setup(reel_sws *c, const reel_image_desc *s, enum AVPixelFormat sf, int sfull,
                     const reel_image_desc *d, enum AVPixelFormat df, int dfull, reel_err *e)
{
    int key[10] = {s->width, s->height, sf, sfull, s->colorspace,
                   d->width, d->height, df, dfull, d->colorspace};
    if (c->ctx && !memcmp(key, c->key, sizeof key)) return 0;
    sws_freeContext(c->ctx);
    c->ctx = sws_getContext(s->width, s->height, sf, d->width, d->height, df,
                            SWS_AREA | SWS_ACCURATE_RND | SWS_BITEXACT, NULL, NULL, NULL);
    if (!c->ctx)
        return reel_errf(e, REEL_EMEDIA, "cannot convert %s %dx%d to %s %dx%d",
                         av_get_pix_fmt_name(sf), s->width, s->height, av_get_pix_fmt_name(df),
                         d->width, d->height);
    sws_setColorspaceDetails(c->ctx, sws_getCoefficients(matrix_of(s->colorspace, s->height)),
                             sfull, sws_getCoefficients(matrix_of(d->colorspace, d->height)), dfull,
                             0, 1 << 16, 1 << 16);
    memcpy(c->key, key, sizeof key);
    return 0;
}

int reel_sws_convert(reel_sws *c, const reel_image_desc *src, const reel_image_desc *dst,
                     reel_err *e)
{
    int sfull = src->full_range, dfull = dst->full_range;
    enum AVPixelFormat sf = plain_fmt(src->fmt, &sfull), df = plain_fmt(dst->fmt, &dfull);
    int rc = sws_setup(c, src, sf, sfull, dst, df, dfull, e);
    if (rc < 0) return rc;
    sws_scale(c->ctx, (const uint8_t *const *)src->data, src->linesize, 0, src->height,
              dst->data, dst->linesize);
    return 0;
}

static reel_image_desc desc_of_frame(const reel_frame *f)
{
    reel_image_desc d = {.width = f->width, .height = f->height, .fmt = reel_pix_to_av(f->fmt),
                         .full_range = f->full_range, .colorspace = AVCOL_SPC_BT709};
    reel_frame_av_planes(f, d.data, d.linesize);
    if (f->fmt == REEL_PIX_RGB24 || f->fmt == REEL_PIX_RGBPF32) d.full_range = 1;
    return d;
}

static reel_image_desc desc_of_avframe(const AVFrame *fr)
{
    reel_image_desc d = {.width = fr->width, .height = fr->height, .fmt = fr->format,
                         .full_range = fr->color_range == AVCOL_RANGE_JPEG,
                         .colorspace = fr->colorspace};
    for (int i = 0; i < 4; i++) {
        d.data[i] = fr->data[i];
        d.linesize[i] = fr->linesize[i];
    }
    const AVPixFmtDescriptor *pd = av_pix_fmt_desc_get(fr->format);
    if (pd && (pd->flags & AV_PIX_FMT_FLAG_RGB)) d.full_range = 1;
    return d;
}

/* ---- image write ------------------------------------------------------------------------------ */

static int ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcasecmp(s + n - m, suffix);
}

static int open_image_encoder(AVCodecContext **cc, int jpeg, int w, int h, reel_err *e)
{
    const AVCodec *codec = avcodec_find_encoder(jpeg ? AV_CODEC_ID_MJPEG : AV_CODEC_ID_PNG);
    if (!codec) return reel_errf(e, REEL_EMEDIA, "no %s encoder in this FFmpeg", jpeg ? "JPEG" : "PNG");
    *cc = avcodec_alloc_context3(codec);
    if (!*cc) return REEL_ENOMEM;
    AVCodecContext *c = *cc;
    c->width = w;
    c->height = h;
    c->time_base = (AVRational){1, 25};
    c->pix_fmt = jpeg ? AV_PIX_FMT_YUVJ444P : AV_PIX_FMT_RGB24;
    c->flags |= AV_CODEC_FLAG_BITEXACT;
    c->thread_count = 1;
    if (jpeg) {
        c->flags |= AV_CODEC_FLAG_QSCALE;
        c->global_quality = 2 * FF_QP2LAMBDA;
        c->color_range = AVCOL_RANGE_JPEG;
    }
    int averr = avcodec_open2(c, codec, NULL);
    if (averr < 0) return reel_errf(e, REEL_EMEDIA, "cannot open the %s encoder (%dx%d)",
                                    jpeg ? "JPEG" : "PNG", w, h);
    return 0;
}

/* Encode f to one packet with c. */
static int encode_still(AVCodecContext *c, const reel_frame *f, AVPacket *pkt, reel_err *e)
{
    reel_sws sws = {0};
    AVFrame *fr = av_frame_alloc();
    int rc = REEL_ENOMEM;
    if (!fr) goto done;
    fr->format = c->pix_fmt;
    fr->width = c->width;
    fr->height = c->height;
    fr->color_range = c->color_range;
    if (av_frame_get_buffer(fr, 0) < 0) goto done;
    reel_image_desc s = desc_of_frame(f), d = desc_of_avframe(fr);
    d.full_range = 1;
    d.colorspace = AVCOL_SPC_BT470BG; /* JPEG (JFIF) is BT.601 full range */
    rc = reel_sws_convert(&sws, &s, &d, e);
    if (rc < 0) goto done;
    rc = REEL_EMEDIA;
    if (avcodec_send_frame(c, fr) < 0 || avcodec_send_frame(c, NULL) < 0 ||
        avcodec_receive_packet(c, pkt) < 0) {
        reel_errf(e, REEL_EMEDIA, "image encoder failed");
        goto done;
    }
    rc = 0;
done:
    if (rc == REEL_ENOMEM) reel_errf(e, rc, "out of memory");
    av_frame_free(&fr);
    reel_sws_free(&sws);
    return rc;
}

int reel_image_encode(const reel_frame *f, int jpeg, uint8_t **out, size_t *len, reel_err *e)
{
    AVCodecContext *c = NULL;
    AVPacket *pkt = NULL;
    int rc;
    *out = NULL;
    *len = 0;
    reel_media_init();
    if (!f || !f->data[0] || f->width <= 0 || f->height <= 0) return reel_errf(e, REEL_EINVAL, "no image to encode");
    rc = open_image_encoder(&c, jpeg, f->width, f->height, e);
    if (rc < 0) goto done;
    pkt = av_packet_alloc();
    rc = pkt ? encode_still(c, f, pkt, e) : reel_errf(e, REEL_ENOMEM, "out of memory");
    if (rc < 0) goto done;
    if (!(*out = malloc((size_t)pkt->size))) {
        rc = reel_errf(e, REEL_ENOMEM, "out of memory");
        goto done;
    }
    memcpy(*out, pkt->data, (size_t)pkt->size);
    *len = (size_t)pkt->size;
done:
    av_packet_free(&pkt);
    avcodec_free_context(&c);
    return rc;
}

int reel_image_write(const char *path, const reel_frame *f, reel_err *e)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    int jpeg = ends_with_ci(path, ".jpg") || ends_with_ci(path, ".jpeg");
    int rc = reel_image_encode(f, jpeg, &buf, &len, e);
    if (!rc) rc = reel_write_atomic(path, buf, len, e);
    if (rc < 0 && e && !strstr(e->msg, path)) reel_err_prefix(e, "%s", path);
    free(buf);
    return rc;
}

/* ---- image read ------------------------------------------------------------------------------- */

static int open_decoder(AVCodecContext **dc, const AVStream *st, const char *path, reel_err *e)
{
    const AVCodec *codec = avcodec_find_decoder(st->codecpar->codec_id);
    if (!codec)
        return reel_errf(e, REEL_EMEDIA, "%s: no decoder for %s", path,
                         avcodec_get_name(st->codecpar->codec_id));
    *dc = avcodec_alloc_context3(codec);
    if (!*dc) return reel_errf(e, REEL_ENOMEM, "out of memory");
    if (avcodec_parameters_to_context(*dc, st->codecpar) < 0 || avcodec_open2(*dc, codec, NULL) < 0)
        return reel_errf(e, REEL_EMEDIA, "%s: cannot open the %s decoder", path, codec->name);
    return 0;
}

/* Decode the first picture of stream idx into fr. */
static int decode_first(AVFormatContext *fmt, AVCodecContext *dc, int idx, AVFrame *fr,
                        const char *path, reel_err *e)
{
    AVPacket *pkt = av_packet_alloc();
    int rc = REEL_ENOMEM, eof = 0;
    if (!pkt) goto done;
    for (;;) {
        int r = avcodec_receive_frame(dc, fr);
        if (r >= 0) {
            rc = 0;
            break;
        }
        if (r != AVERROR(EAGAIN) || eof) {
            rc = reel_errf(e, REEL_EMEDIA, "%s: no picture could be decoded", path);
            break;
        }
        r = av_read_frame(fmt, pkt);
        if (r < 0) {
            eof = 1;
            avcodec_send_packet(dc, NULL);
            continue;
        }
        reel_media_touch(fmt);
        if (pkt->stream_index == idx) avcodec_send_packet(dc, pkt);
        av_packet_unref(pkt);
    }
done:
    if (rc == REEL_ENOMEM) reel_errf(e, rc, "out of memory");
    av_packet_free(&pkt);
    return rc;
}

int reel_image_read(const char *path, reel_frame *f, reel_err *e)
{
    AVFormatContext *fmt = NULL;
    AVCodecContext *dc = NULL;
    AVFrame *fr = NULL;
    reel_sws sws = {0};
    memset(f, 0, sizeof *f);
    int rc = reel_media_open_input(&fmt, path, NULL, e);
    if (rc < 0) goto done;
    int idx = reel_media_first_stream(fmt, AVMEDIA_TYPE_VIDEO);
    if (idx < 0) {
        rc = reel_errf(e, REEL_EMEDIA, "%s: not an image (no picture stream)", path);
        goto done;
    }
    rc = open_decoder(&dc, fmt->streams[idx], path, e);
    if (rc < 0) goto done;
    fr = av_frame_alloc();
    rc = fr ? decode_first(fmt, dc, idx, fr, path, e) : reel_errf(e, REEL_ENOMEM, "out of memory");
    if (rc < 0) goto done;
    rc = reel_frame_alloc(f, fr->width, fr->height, REEL_PIX_RGB24);
    if (rc < 0) {
        reel_errf(e, rc, "%s: cannot allocate a %dx%d image", path, fr->width, fr->height);
        goto done;
    }
    f->full_range = 1;
    reel_image_desc s = desc_of_avframe(fr), d = desc_of_frame(f);
    rc = reel_sws_convert(&sws, &s, &d, e);
done:
    if (rc < 0) reel_frame_free(f);
    reel_sws_free(&sws);
    av_frame_free(&fr);
    avcodec_free_context(&dc);
    reel_media_close_input(&fmt);
    return rc;
}

/* ---- scaling into a rectangle --------------------------------------------------------------- */

struct reel_scaler {
    reel_sws sws;
};

reel_scaler *reel_scaler_new(void) { return calloc(1, sizeof(reel_scaler)); }

int reel_scaler_run(reel_scaler *s, const reel_frame *src, reel_frame *dst, int x, int y, int w, int h, reel_err *e)
{
    int yuv = src->fmt == REEL_PIX_YUV420P;
    if ((src->fmt != REEL_PIX_RGB24 && !yuv) || dst->fmt != src->fmt || x < 0 || y < 0 || w < 1 || h < 1 ||
        x + w > dst->width || y + h > dst->height || (yuv && ((x | y | w | h) & 1)))
        return reel_errf(e, REEL_EINVAL, "scaler: RGB24 or YUV420P (even rectangle) into a rectangle inside the frame only");
    reel_image_desc sd = desc_of_frame(src), dd = desc_of_frame(dst);
    if (yuv) {
        for (int p = 0; p < 3; p++)
            dd.data[p] += (size_t)(y >> !!p) * dd.linesize[p] + (size_t)(x >> !!p);
    } else
        dd.data[0] += (size_t)y * dd.linesize[0] + (size_t)x * 3;
    dd.width = w, dd.height = h;
    return reel_sws_convert(&s->sws, &sd, &dd, e);
}

void reel_scaler_free(reel_scaler **s)
{
    if (!*s) return;
    reel_sws_free(&(*s)->sws);
    free(*s);
    *s = NULL;
}
