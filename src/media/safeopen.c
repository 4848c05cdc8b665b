/* Safe opening of untrusted media files. It owns the checks made before FFmpeg sees a file
 * (exists, regular, readable, not empty), the options every input is opened with (file protocol
 * only, a whitelist of real media demuxers, stream/probe limits, a deadline that progress pushes
 * forward) and the translation of FFmpeg's failures into messages a person can act on. It also
 * routes FFmpeg's log into reel_log so that the library never prints. */
#include "media/safeopen.h"

#include "util/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavutil/avstring.h>
#include <libavutil/log.h>

/* Demuxers reel accepts. Never playlists (hls, concat), generators (lavfi) or network demuxers. */
static const char *const k_format_whitelist =
    "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpeg,mpegts,mpegvideo,mxf,wav,w64,aiff,flac,mp3,"
    "ogg,aac,ac3,mjpeg,image2,png_pipe,jpeg_pipe,bmp_pipe,tiff_pipe,webp_pipe,dpx_pipe,exr_pipe,"
    "dv,h264,hevc,m4v,yuv4mpegpipe";

/* Deadline state; lives in fmt->opaque for the life of the context. */
typedef struct open_guard {
    double deadline_s;
    double deadline_at;
} open_guard;

/* ---- logging ---------------------------------------------------------------------------------- */

static void av_log_to_reel(void *avcl, int level, const char *fmt, va_list vl)
{
    static _Thread_local int print_prefix = 1;
    if (level > AV_LOG_WARNING) return;
    char line[1024];
    av_log_format_line2(avcl, level, fmt, vl, line, sizeof line, &print_prefix);
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
    if (n > 0) reel_log(REEL_LOG_DEBUG, "ffmpeg: %s", line);
}

static void init_once(void)
{
    av_log_set_callback(av_log_to_reel);
}

void reel_media_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_once);
}

/* ---- deadline --------------------------------------------------------------------------------- */

static int interrupt_cb(void *opaque)
{
    const open_guard *g = opaque;
    return g && g->deadline_s > 0 && reel_now() > g->deadline_at;
}

void reel_media_touch(AVFormatContext *fmt)
{
    open_guard *g = fmt ? fmt->opaque : NULL;
    if (g) g->deadline_at = reel_now() + g->deadline_s;
}

int reel_media_timed_out(const AVFormatContext *fmt)
{
    return fmt && interrupt_cb(fmt->opaque);
}

void reel_media_close_input(AVFormatContext **fmt)
{
    if (!fmt || !*fmt) return;
    open_guard *g = (*fmt)->opaque;
    avformat_close_input(fmt);
    av_free(g);
    *fmt = NULL;
}

/* ---- checks before FFmpeg --------------------------------------------------------------------- */

/* A path that names a URL or protocol ("http://x", "concat:a|b", "lavfi:...") and no local file. */
static int looks_like_url(const char *path)
{
    const char *p = path;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
           *p == '+' || *p == '-' || *p == '.')
        p++;
    return p - path >= 2 && *p == ':';
}

static int stat_checks(const char *path, uint8_t *head, size_t *head_len, reel_err *e)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        if (errno == EACCES) return reel_errf(e, REEL_EIO, "%s: permission denied", path);
        if (looks_like_url(path))
            return reel_errf(e, REEL_ENOTFOUND,
                             "%s: no such file (reel opens local files only; URLs and protocols "
                             "such as http:, concat:, lavfi: are refused)", path);
        if (errno == ENOENT || errno == ENOTDIR)
            return reel_errf(e, REEL_ENOTFOUND, "%s: no such file", path);
        return reel_errf(e, REEL_EIO, "%s: cannot stat: %s", path, strerror(errno));
    }
    if (S_ISDIR(st.st_mode))
        return reel_errf(e, REEL_EMEDIA, "%s: is a directory, not a media file", path);
    if (!S_ISREG(st.st_mode))
        return reel_errf(e, REEL_EMEDIA, "%s: not a regular file (device, pipe or socket)", path);
    if (st.st_size == 0) return reel_errf(e, REEL_EMEDIA, "%s: empty file (0 bytes)", path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == EACCES || errno == EPERM)
            return reel_errf(e, REEL_EIO, "%s: permission denied", path);
        return reel_errf(e, REEL_EIO, "%s: cannot open: %s", path, strerror(errno));
    }
    ssize_t n = pread(fd, head, *head_len, 0);
    int err = errno;
    close(fd);
    if (n < 0) return reel_errf(e, REEL_EIO, "%s: cannot read: %s", path, strerror(err));
    *head_len = (size_t)n;
    return 0;
}

/* Printable text (ASCII or UTF-8) with no NUL bytes and almost no control characters. */
static int looks_like_text(const uint8_t *p, size_t n)
{
    if (n == 0) return 0;
    size_t ctrl = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (c == 0) return 0;
        if (c < 32 && c != '\t' && c != '\n' && c != '\r' && c != '\f') ctrl++;
        if (c == 127) ctrl++;
    }
    return ctrl * 100 <= n;
}

/* ISO BMFF (MP4/MOV): walk the top-level boxes; 1 when it is one and has no complete 'moov'. */
static int mp4_missing_moov(const char *path, const uint8_t *head, size_t head_len)
{
    if (head_len < 12) return 0;
    if (memcmp(head + 4, "ftyp", 4) && memcmp(head + 4, "mdat", 4) && memcmp(head + 4, "wide", 4) &&
        memcmp(head + 4, "free", 4))
        return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    struct stat st;
    int missing = 1;
    if (fstat(fd, &st) < 0) goto done;
    uint64_t off = 0, size = (uint64_t)st.st_size;
    for (int guard = 0; off + 8 <= size && guard < 100000; guard++) {
        uint8_t b[16];
        if (pread(fd, b, 16, (off_t)off) < 8) break;
        uint64_t len = ((uint64_t)b[0] << 24) | ((uint64_t)b[1] << 16) | ((uint64_t)b[2] << 8) | b[3];
        if (len == 1) {
            len = 0;
            for (int i = 8; i < 16; i++) len = (len << 8) | b[i];
        } else if (len == 0) {
            len = size - off;
        }
        if (len < 8) break;
        if (!memcmp(b + 4, "moov", 4) && off + len <= size) {
            missing = 0;
            break;
        }
        off += len;
    }
done:
    close(fd);
    return missing;
}

static int is_playlist(const uint8_t *p, size_t n)
{
    return (n >= 8 && !memcmp(p, "ffconcat", 8)) || (n >= 7 && !memcmp(p, "#EXTM3U", 7));
}

/* Turn an FFmpeg open failure into a message naming what is wrong with the file. */
static int explain_open_failure(const char *path, const uint8_t *head, size_t head_len, int averr,
                                reel_err *e)
{
    if (averr == AVERROR_EXIT)
        return reel_errf(e, REEL_EMEDIA, "%s: timed out while opening (no progress)", path);
    if (averr == AVERROR(ENOMEM)) return reel_errf(e, REEL_ENOMEM, "%s: out of memory", path);
    if (is_playlist(head, head_len))
        return reel_errf(e, REEL_EMEDIA,
                         "%s: playlist or concat files are refused (not on reel's format "
                         "whitelist); pass the media files themselves", path);
    if (looks_like_text(head, head_len))
        return reel_errf(e, REEL_EMEDIA, "%s: not a media file reel can read (looks like text)",
                         path);
    if (mp4_missing_moov(path, head, head_len))
        return reel_errf(e, REEL_EMEDIA,
                         "%s: truncated or incomplete MP4/MOV: no 'moov' index (the file was "
                         "probably cut short while being written or copied)", path);
    char buf[AV_ERROR_MAX_STRING_SIZE];
    av_strerror(averr, buf, sizeof buf);
    return reel_errf(e, REEL_EMEDIA, "%s: unrecognised or corrupt media (FFmpeg: %s)", path, buf);
}

/* ---- open ------------------------------------------------------------------------------------- */

void reel_open_limits_default(reel_open_limits *l)
{
    l->deadline_s = 30.0;
    l->max_streams = 64;
    l->probesize = 32 * 1024 * 1024;
    l->analyzeduration_us = 10 * 1000 * 1000;
}

/* Copy l (may be NULL) with every unset (zero or negative) field taken from the defaults. */
static void normalise_limits(reel_open_limits *out, const reel_open_limits *l)
{
    reel_open_limits_default(out);
    if (!l) return;
    if (l->deadline_s > 0) out->deadline_s = l->deadline_s;
    if (l->max_streams > 0) out->max_streams = l->max_streams;
    if (l->probesize > 0) out->probesize = l->probesize;
    if (l->analyzeduration_us > 0) out->analyzeduration_us = l->analyzeduration_us;
}

static int build_options(AVDictionary **opts, const reel_open_limits *l)
{
    int rc = 0;
    rc |= av_dict_set(opts, "protocol_whitelist", "file", 0);
    rc |= av_dict_set(opts, "format_whitelist", k_format_whitelist, 0);
    rc |= av_dict_set_int(opts, "max_streams", l->max_streams, 0);
    rc |= av_dict_set_int(opts, "probesize", l->probesize, 0);
    rc |= av_dict_set_int(opts, "analyzeduration", l->analyzeduration_us, 0);
    /* image2 would expand %d in a file name into a numbered sequence of sibling files */
    rc |= av_dict_set(opts, "pattern_type", "none", 0);
    return rc < 0 ? REEL_ENOMEM : 0;
}

static int alloc_context(AVFormatContext **fmt, const reel_open_limits *l)
{
    open_guard *g = av_mallocz(sizeof *g);
    *fmt = avformat_alloc_context();
    if (!g || !*fmt) {
        av_free(g);
        avformat_free_context(*fmt);
        *fmt = NULL;
        return REEL_ENOMEM;
    }
    g->deadline_s = l->deadline_s;
    g->deadline_at = reel_now() + l->deadline_s;
    (*fmt)->opaque = g;
    (*fmt)->interrupt_callback.callback = interrupt_cb;
    (*fmt)->interrupt_callback.opaque = g;
    return 0;
}

int reel_media_open_input(AVFormatContext **fmt, const char *path, const reel_open_limits *l,
                          reel_err *e)
{
    reel_open_limits lim;
    uint8_t head[4096];
    size_t head_len = sizeof head;
    AVDictionary *opts = NULL;
    AVFormatContext *ctx = NULL;
    char *url = NULL;
    open_guard *g = NULL;
    int rc;

    *fmt = NULL;
    reel_media_init();
    normalise_limits(&lim, l);
    l = &lim;
    rc = stat_checks(path, head, &head_len, e);
    if (rc < 0) goto fail;
    url = av_asprintf("file:%s", path); /* "file:" so that a name with ':' is never a protocol */
    if (!url || build_options(&opts, l) < 0 || alloc_context(&ctx, l) < 0) {
        rc = reel_errf(e, REEL_ENOMEM, "%s: out of memory", path);
        goto fail;
    }
    g = ctx->opaque;
    int averr = avformat_open_input(&ctx, url, NULL, &opts);
    if (averr < 0) { /* ctx was freed by FFmpeg */
        rc = explain_open_failure(path, head, head_len, averr, e);
        goto fail;
    }
    reel_media_touch(ctx);
    averr = avformat_find_stream_info(ctx, NULL);
    if (averr < 0) {
        char buf[AV_ERROR_MAX_STRING_SIZE];
        av_strerror(averr, buf, sizeof buf);
        rc = reel_errf(e, REEL_EMEDIA, "%s: cannot read stream information (FFmpeg: %s)", path,
                       buf);
        reel_media_close_input(&ctx);
        g = NULL;
        goto fail;
    }
    reel_media_touch(ctx);
    *fmt = ctx;
    g = NULL;
    rc = 0;
fail:
    if (rc < 0 && g) av_free(g); /* avformat_open_input freed ctx but not our guard */
    av_dict_free(&opts);
    av_free(url);
    return rc;
}

/* ---- streams and probe ------------------------------------------------------------------------ */

int reel_media_first_stream(const AVFormatContext *fmt, enum AVMediaType type)
{
    for (unsigned i = 0; i < fmt->nb_streams; i++) {
        const AVStream *st = fmt->streams[i];
        if (st->codecpar->codec_type != type) continue;
        if (type == AVMEDIA_TYPE_VIDEO && (st->disposition & AV_DISPOSITION_ATTACHED_PIC)) continue;
        return (int)i;
    }
    return -1;
}
