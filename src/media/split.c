/* Splitting by stream copy: one demux pass indexes the video packets (presentation time, decode
 * position, key flag) to prove that every piece can be cut frame-exactly without decoding; a
 * second pass routes each packet to its piece's muxer. Pieces are written under a temporary name
 * and renamed only when complete. */
#include "media/safeopen.h"
#include "util/fsutil.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct vpkt {
    int64_t ts;
    int dec, key;
} vpkt;

typedef struct split_index {
    vpkt *f;      /* video packets, sorted into presentation order */
    int n;
    int missing;  /* packets without a presentation timestamp */
    double tb, start, half;
} split_index;

static int by_ts(const void *a, const void *b)
{
    const vpkt *x = a, *y = b;
    return x->ts < y->ts ? -1 : x->ts > y->ts;
}

/* A packet's presentation time: its pts, or its dts when the stream never reorders frames
 * (AVI and other containers without pts). */
static int64_t pkt_ts(const AVPacket *pkt, int reorders)
{
    return pkt->pts != AV_NOPTS_VALUE || reorders ? pkt->pts : pkt->dts;
}

static int index_push(split_index *ix, int *cap, const AVPacket *pkt, int reorders)
{
    if (ix->n == *cap) {
        int nc = *cap ? *cap * 2 : 1024;
        vpkt *f = realloc(ix->f, (size_t)nc * sizeof *f);
        if (!f) return REEL_ENOMEM;
        ix->f = f;
        *cap = nc;
    }
    int64_t ts = pkt_ts(pkt, reorders);
    if (ts == AV_NOPTS_VALUE) ix->missing++;
    ix->f[ix->n] = (vpkt){ts, ix->n, !!(pkt->flags & AV_PKT_FLAG_KEY)};
    ix->n++;
    return 0;
}

/* Read every packet of stream vs into ix. */
static int build_index(AVFormatContext *fmt, int vs, const char *path, split_index *ix, reel_err *e)
{
    AVStream *st = fmt->streams[vs];
    AVPacket *pkt = av_packet_alloc();
    int cap = 0, rc = pkt ? 0 : REEL_ENOMEM, r;
    while (!rc && (r = av_read_frame(fmt, pkt)) >= 0) {
        reel_media_touch(fmt);
        if (pkt->stream_index == vs) rc = index_push(ix, &cap, pkt, st->codecpar->video_delay > 0);
        av_packet_unref(pkt);
    }
    av_packet_free(&pkt);
    if (rc) return reel_errf(e, rc, "%s: out of memory indexing packets", path);
    if (r != AVERROR_EOF)
        return reel_errf(e, REEL_EMEDIA, "%s: read error while indexing packets (%s)", path,
                         reel_media_timed_out(fmt) ? "timed out" : av_err2str(r));
    qsort(ix->f, (size_t)ix->n, sizeof *ix->f, by_ts);
    AVRational fr = av_guess_frame_rate(fmt, st, NULL);
    ix->tb = av_q2d(st->time_base);
    ix->start = st->start_time == AV_NOPTS_VALUE ? 0.0 : st->start_time * ix->tb;
    ix->half = fr.num > 0 ? 0.5 * fr.den / fr.num : 0.001;
    return 0;
}

/* First frame (presentation order) at or after time t on the reader's clock. */
static int frame_at(const split_index *ix, double t)
{
    int lo = 0, hi = ix->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (ix->f[mid].ts * ix->tb - ix->start < t - ix->half) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static void piece_frames(const split_index *ix, const reel_split_piece *p, int *a, int *b)
{
    *a = frame_at(ix, p->t0);
    *b = p->t1 < 0 ? ix->n : frame_at(ix, p->t1);
}

enum { EXACT = 0, NO_FRAMES, NOT_KEY, NOT_CLOSED };

/* EXACT when frames [a,b) are contiguous in decode order and the first decoded one is a key
 * frame, so the packets can be copied as they are. */
static int exact(const split_index *ix, int a, int b)
{
    if (a >= b) return NO_FRAMES;
    int lo = ix->f[a].dec, hi = lo, key = ix->f[a].key;
    for (int i = a + 1; i < b; i++) {
        if (ix->f[i].dec < lo) { lo = ix->f[i].dec; key = ix->f[i].key; }
        if (ix->f[i].dec > hi) hi = ix->f[i].dec;
    }
    return !key ? NOT_KEY : hi - lo + 1 != b - a ? NOT_CLOSED : EXACT;
}

static int codec_ok(const AVOutputFormat *of, const AVFormatContext *fmt, int s, char why[200])
{
    if (s < 0) return 1;
    enum AVCodecID id = fmt->streams[s]->codecpar->codec_id;
    /* the container is the source's own kind; only a definite "no" stops a copy */
    if (avformat_query_codec(of, id, FF_COMPLIANCE_NORMAL) != 0) return 1;
    snprintf(why, 200, "the %s container does not take %s by stream copy", of->name, avcodec_get_name(id));
    return 0;
}

static int check_pieces(const split_index *ix, const reel_split_piece *p, int n, char why[200])
{
    if (ix->missing) {
        snprintf(why, 200, "%d video packets carry no presentation timestamp", ix->missing);
        return 0;
    }
    for (int k = 0; k < n; k++) {
        int a, b;
        piece_frames(ix, &p[k], &a, &b);
        static const char *const what[] = {"", "has no frames", "does not start on a key frame",
                                           "does not end where a group of pictures ends"};
        int x = exact(ix, a, b);
        if (x != EXACT) {
            double t1 = b < ix->n ? ix->f[b].ts * ix->tb - ix->start : ix->f[ix->n - 1].ts * ix->tb - ix->start + 2 * ix->half;
            snprintf(why, 200, "piece %d (%.3f-%.3f s) %s", k + 1, p[k].t0, t1, what[x]);
            return 0;
        }
    }
    return 1;
}

int reel_split_copyable(const char *path, const reel_split_piece *p, int n, char why[200], reel_err *e)
{
    AVFormatContext *fmt = NULL;
    split_index ix = {0};
    why[0] = 0;
    int rc = reel_media_open_input(&fmt, path, NULL, e);
    if (rc) return rc;
    int vs = reel_media_first_stream(fmt, AVMEDIA_TYPE_VIDEO);
    const AVOutputFormat *of = n > 0 ? av_guess_format(NULL, p[0].path, NULL) : NULL;
    if (vs < 0) rc = reel_errf(e, REEL_EMEDIA, "%s: no video stream to split", path);
    else if (!of) snprintf(why, 200, "no muxer writes files named like %s", n > 0 ? p[0].path : "(none)");
    else if (codec_ok(of, fmt, vs, why) && codec_ok(of, fmt, reel_media_first_stream(fmt, AVMEDIA_TYPE_AUDIO), why)) {
        rc = build_index(fmt, vs, path, &ix, e);
        if (!rc) rc = check_pieces(&ix, p, n, why);
    }
    free(ix.f);
    reel_media_close_input(&fmt);
    return rc;
}

/* ---- the copy pass ---- */

typedef struct piece_out {
    AVFormatContext *oc;
    int ov, oa;           /* output stream indices, -1 when absent */
    int64_t voff, aoff;   /* subtracted from input timestamps */
    int last_dec, vdone, adone, done;
    char tmp[4200];
} piece_out;

typedef struct split_job {
    AVFormatContext *in;
    const char *path;
    const reel_split_piece *p;
    int n, vs, as;
    split_index ix;
    int *dec_piece;       /* decode position -> piece, -1 outside every piece */
    piece_out *out;
    double astart, atb;
} split_job;

static uint32_t out_tag(const AVOutputFormat *of, const AVCodecParameters *par)
{
    unsigned int tag = 0;
    if (!par->codec_tag) return 0;
    if (!of->codec_tag || av_codec_get_id(of->codec_tag, par->codec_tag) == par->codec_id ||
        !av_codec_get_tag2(of->codec_tag, par->codec_id, &tag))
        return par->codec_tag;
    return 0;
}

static int add_stream(AVFormatContext *oc, const AVStream *ist, const char *tc)
{
    AVStream *ost = avformat_new_stream(oc, NULL);
    if (!ost || avcodec_parameters_copy(ost->codecpar, ist->codecpar) < 0) return -1;
    ost->codecpar->codec_tag = out_tag(oc->oformat, ist->codecpar);
    ost->time_base = ist->time_base;
    ost->sample_aspect_ratio = ist->sample_aspect_ratio;
    ost->avg_frame_rate = ist->avg_frame_rate; /* the tmcd track needs a rate */
    ost->r_frame_rate = ist->r_frame_rate;
    for (int i = 0; i < ist->nb_side_data; i++) {
        uint8_t *d = av_stream_new_side_data(ost, ist->side_data[i].type, ist->side_data[i].size);
        if (d) memcpy(d, ist->side_data[i].data, ist->side_data[i].size);
    }
    if (tc && ist->codecpar->codec_type == AVMEDIA_TYPE_VIDEO) av_dict_set(&ost->metadata, "timecode", tc, 0);
    return ost->index;
}

static int open_piece(split_job *j, int k, reel_err *e)
{
    piece_out *o = &j->out[k];
    const reel_split_piece *p = &j->p[k];
    snprintf(o->tmp, sizeof o->tmp, "%s.part", p->path);
    char url[4300];
    snprintf(url, sizeof url, "file:%s", o->tmp); /* a ':' in the name is not a protocol */
    const AVOutputFormat *of = av_guess_format(NULL, p->path, NULL);
    if (!of || avformat_alloc_output_context2(&o->oc, of, NULL, url) < 0)
        return reel_errf(e, REEL_EMEDIA, "%s: cannot make a muxer for it", p->path);
    o->ov = add_stream(o->oc, j->in->streams[j->vs], p->timecode);
    o->oa = j->as >= 0 ? add_stream(o->oc, j->in->streams[j->as], NULL) : -1;
    if (o->ov < 0 || (j->as >= 0 && o->oa < 0)) return reel_errf(e, REEL_ENOMEM, "%s: cannot add streams", p->path);
    if (p->timecode) av_dict_set(&o->oc->metadata, "timecode", p->timecode, 0);
    if (!(of->flags & AVFMT_NOFILE) && avio_open(&o->oc->pb, url, AVIO_FLAG_WRITE) < 0)
        return reel_errf(e, REEL_EIO, "%s: cannot create", o->tmp);
    int r = avformat_write_header(o->oc, NULL);
    if (r < 0) return reel_errf(e, REEL_EMEDIA, "%s: cannot write the header (%s)", p->path, av_err2str(r));
    int a, b;
    piece_frames(&j->ix, p, &a, &b);
    o->voff = j->ix.f[a].ts;
    o->aoff = j->as >= 0 ? llround((p->t0 + j->astart) / j->atb) : 0;
    if (k == 0 && p->t0 <= 0 && j->as >= 0) o->aoff = llround(j->astart / j->atb);
    o->adone = j->as < 0;
    return 0;
}

static void drop_piece(piece_out *o)
{
    if (!o->oc) return;
    if (o->oc->pb) avio_closep(&o->oc->pb);
    avformat_free_context(o->oc);
    o->oc = NULL;
    unlink(o->tmp);
}

static int finish_piece(split_job *j, int k, reel_err *e)
{
    piece_out *o = &j->out[k];
    int r = av_write_trailer(o->oc);
    if (o->oc->pb) avio_closep(&o->oc->pb);
    avformat_free_context(o->oc);
    o->oc = NULL;
    o->done = 1;
    if (r < 0) {
        unlink(o->tmp);
        return reel_errf(e, REEL_EMEDIA, "%s: cannot finish the file (%s)", j->p[k].path, av_err2str(r));
    }
    return reel_commit_file(o->tmp, j->p[k].path, e);
}

/* The piece an audio packet at time t belongs to, or -1. */
static int audio_piece(const split_job *j, double t)
{
    if (t < j->p[0].t0) return j->p[0].t0 <= 0 ? 0 : -1;
    for (int k = j->n - 1; k >= 0; k--)
        if (t >= j->p[k].t0) return j->p[k].t1 < 0 || t < j->p[k].t1 ? k : -1;
    return -1;
}

static int write_pkt(split_job *j, int k, AVPacket *pkt, int video, reel_err *e)
{
    piece_out *o = &j->out[k];
    if (o->done) return 0;
    if (!o->oc && open_piece(j, k, e)) return e->code;
    const AVStream *ist = j->in->streams[pkt->stream_index];
    int64_t off = video ? o->voff : o->aoff;
    if (pkt->pts != AV_NOPTS_VALUE) pkt->pts -= off;
    if (pkt->dts != AV_NOPTS_VALUE) pkt->dts -= off;
    pkt->stream_index = video ? o->ov : o->oa;
    av_packet_rescale_ts(pkt, ist->time_base, o->oc->streams[pkt->stream_index]->time_base);
    pkt->pos = -1;
    int r = av_interleaved_write_frame(o->oc, pkt);
    if (r < 0) return reel_errf(e, REEL_EMEDIA, "%s: cannot write a packet (%s)", j->p[k].path, av_err2str(r));
    return 0;
}

/* Close every open piece whose video is complete and whose audio has passed its end. */
static int close_ready(split_job *j, reel_err *e)
{
    for (int k = 0; k < j->n; k++)
        if (j->out[k].oc && j->out[k].vdone && j->out[k].adone && finish_piece(j, k, e)) return e->code;
    return 0;
}

static int route(split_job *j, AVPacket *pkt, int *dec, reel_err *e)
{
    if (pkt->stream_index == j->vs) {
        int d = (*dec)++, k = d < j->ix.n ? j->dec_piece[d] : -1;
        if (k < 0) return 0;
        int rc = write_pkt(j, k, pkt, 1, e);
        if (!rc && d == j->out[k].last_dec) j->out[k].vdone = 1;
        return rc;
    }
    int64_t ts = pkt_ts(pkt, 0);
    if (pkt->stream_index != j->as || ts == AV_NOPTS_VALUE) return 0;
    double t = ts * j->atb - j->astart;
    for (int k = 0; k < j->n; k++)
        if (j->p[k].t1 >= 0 && t >= j->p[k].t1) j->out[k].adone = 1;
    int k = audio_piece(j, t);
    return k < 0 ? 0 : write_pkt(j, k, pkt, 0, e);
}

static int map_pieces(split_job *j, reel_err *e)
{
    j->dec_piece = malloc((size_t)(j->ix.n ? j->ix.n : 1) * sizeof *j->dec_piece);
    j->out = calloc((size_t)j->n, sizeof *j->out);
    if (!j->dec_piece || !j->out) return reel_errf(e, REEL_ENOMEM, "%s: out of memory", j->path);
    for (int i = 0; i < j->ix.n; i++) j->dec_piece[i] = -1;
    for (int k = 0; k < j->n; k++) {
        int a, b;
        piece_frames(&j->ix, &j->p[k], &a, &b);
        if (exact(&j->ix, a, b) != EXACT)
            return reel_errf(e, REEL_EINVAL, "%s: piece %d cannot be stream-copied exactly", j->path, k + 1);
        j->out[k].last_dec = -1;
        for (int i = a; i < b; i++) {
            j->dec_piece[j->ix.f[i].dec] = k;
            if (j->ix.f[i].dec > j->out[k].last_dec) j->out[k].last_dec = j->ix.f[i].dec;
        }
    }
    return 0;
}

static int copy_pass(split_job *j, const volatile int *cancel, reel_err *e)
{
    AVPacket *pkt = av_packet_alloc();
    int rc = pkt ? 0 : reel_errf(e, REEL_ENOMEM, "out of memory"), dec = 0, r = 0;
    while (!rc && (r = av_read_frame(j->in, pkt)) >= 0) {
        reel_media_touch(j->in);
        rc = route(j, pkt, &dec, e);
        av_packet_unref(pkt);
        if (!rc) rc = close_ready(j, e);
        if (!rc && cancel && *cancel) rc = reel_errf(e, REEL_ECANCEL, "%s: split interrupted", j->path);
    }
    av_packet_free(&pkt);
    if (!rc && r != AVERROR_EOF) rc = reel_errf(e, REEL_EMEDIA, "%s: read error (%s)", j->path, av_err2str(r));
    for (int k = 0; !rc && k < j->n; k++) {
        if (!j->out[k].oc && !j->out[k].done)
            rc = reel_errf(e, REEL_EMEDIA, "%s: piece %d received no packets", j->path, k + 1);
        else if (j->out[k].oc) rc = finish_piece(j, k, e);
    }
    return rc;
}

static int open_job(split_job *j, reel_err *e)
{
    int rc = reel_media_open_input(&j->in, j->path, NULL, e);
    if (rc) return rc;
    j->vs = reel_media_first_stream(j->in, AVMEDIA_TYPE_VIDEO);
    j->as = reel_media_first_stream(j->in, AVMEDIA_TYPE_AUDIO);
    if (j->vs < 0) return reel_errf(e, REEL_EMEDIA, "%s: no video stream to split", j->path);
    if ((rc = build_index(j->in, j->vs, j->path, &j->ix, e))) return rc;
    if (j->as >= 0) {
        const AVStream *a = j->in->streams[j->as];
        j->atb = av_q2d(a->time_base);
        j->astart = a->start_time == AV_NOPTS_VALUE ? 0.0 : a->start_time * j->atb;
    }
    if ((rc = map_pieces(j, e))) return rc;
    /* rewind for the copy pass: reopen rather than seek, which some demuxers do poorly */
    reel_media_close_input(&j->in);
    return reel_media_open_input(&j->in, j->path, NULL, e);
}

int reel_split_copy(const char *path, const reel_split_piece *p, int n, const volatile int *cancel,
                    reel_err *e)
{
    split_job j = {.path = path, .p = p, .n = n, .as = -1};
    int rc = n > 0 ? open_job(&j, e) : 0;
    if (!rc && n > 0) rc = copy_pass(&j, cancel, e);
    for (int k = 0; j.out && k < n; k++) drop_piece(&j.out[k]);
    if (j.out && !rc) reel_fsync_dir_of(p[0].path, NULL);
    free(j.out);
    free(j.dec_piece);
    free(j.ix.f);
    reel_media_close_input(&j.in);
    return rc;
}
