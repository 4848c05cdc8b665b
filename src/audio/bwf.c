/* Broadcast WAV writer (see bwf.h). Layout: RIFF/RF64 | JUNK or ds64 (28) | bext | fmt | [fact] |
 * data. */
#include "audio/bwf.h"
#include "util/fsutil.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { BEXT_FIXED = 602, DS64_LEN = 28, BUF_FRAMES = 4096 };

struct reel_wav_writer {
    FILE *f;
    char *path, *tmp;
    int rate, channels;
    reel_wav_fmt fmt;
    reel_bext bext;
    long bext_at, data_at;     /* file offsets of the bext payload and the data payload */
    long fact_at;              /* float: offset of the fact chunk's sample count, else 0 */
    uint64_t frames;
    uint32_t rng;
    unsigned char *buf;
};

static void le16(unsigned char *p, unsigned v) { p[0] = v & 255, p[1] = (v >> 8) & 255; }
static void le32(unsigned char *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (v >> (8 * i)) & 255; }
static void le64(unsigned char *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (v >> (8 * i)) & 255; }

/* The bext payload: BEXT_FIXED bytes and the coding history. */
static size_t bext_payload(const reel_bext *b, unsigned char *p)
{
    memset(p, 0, BEXT_FIXED);
    memcpy(p, b->description, strnlen(b->description, 256));
    memcpy(p + 256, b->originator, strnlen(b->originator, 32));
    memcpy(p + 288, b->originator_ref, strnlen(b->originator_ref, 32));
    memcpy(p + 320, b->date, strnlen(b->date, 10));
    memcpy(p + 330, b->time, strnlen(b->time, 8));
    le32(p + 338, (uint32_t)(b->time_reference & 0xffffffffu));
    le32(p + 342, (uint32_t)(b->time_reference >> 32));
    le16(p + 346, 2); /* version 2: loudness fields */
    if (b->has_loudness) { /* 0x7fff: not known */
        double v[5] = {b->loudness, b->range, b->true_peak, b->max_momentary, b->max_short_term};
        for (int i = 0; i < 5; i++)
            le16(p + 412 + 2 * i, isfinite(v[i]) ? (unsigned)(int16_t)lround(v[i] * 100) : 0x7fff);
    } else {
        for (int i = 0; i < 5; i++) le16(p + 412 + 2 * i, 0x7fff);
    }
    size_t n = strlen(b->coding_history);
    memcpy(p + BEXT_FIXED, b->coding_history, n);
    if (n & 1) p[BEXT_FIXED + n++] = 0;
    return BEXT_FIXED + n;
}

static uint32_t channel_mask(int ch)
{
    switch (ch) {
    case 1: return 0x4;    /* FC */
    case 2: return 0x3;    /* FL FR */
    case 3: return 0x7;    /* FL FR FC */
    case 4: return 0x33;   /* FL FR BL BR */
    case 5: return 0x607;  /* FL FR FC SL SR */
    case 6: return 0x60f;  /* FL FR FC LFE SL SR (5.1) */
    case 7: return 0x70f;  /* FL FR FC LFE BC SL SR (6.1) */
    case 8: return 0x63f;  /* FL FR FC LFE BL BR SL SR (7.1) */
    default: return 0;
    }
}

static size_t fmt_payload(const reel_wav_writer *w, unsigned char *p)
{
    int bits = w->fmt, bytes = bits / 8, ext = w->channels > 2;
    unsigned tag = ext ? 0xfffe : w->fmt == REEL_WAV_FLOAT32 ? 3 : 1;
    le16(p, tag);
    le16(p + 2, (unsigned)w->channels);
    le32(p + 4, (uint32_t)w->rate);
    le32(p + 8, (uint32_t)((uint64_t)w->rate * (uint64_t)w->channels * (uint64_t)bytes));
    le16(p + 12, (unsigned)(w->channels * bytes));
    le16(p + 14, (unsigned)bits);
    if (!ext) {
        if (tag == 3) { le16(p + 16, 0); return 18; }
        return 16;
    }
    le16(p + 16, 22);
    le16(p + 18, (unsigned)bits);
    le32(p + 20, channel_mask(w->channels));
    static const unsigned char guid_tail[14] = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                                                0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71};
    le16(p + 24, w->fmt == REEL_WAV_FLOAT32 ? 3 : 1);
    memcpy(p + 26, guid_tail, sizeof guid_tail);
    return 40;
}

static int put(reel_wav_writer *w, const void *p, size_t n, reel_err *e)
{
    if (fwrite(p, 1, n, w->f) == n) return 0;
    return reel_errf(e, REEL_EIO, "%s: write failed: %s", w->tmp, strerror(errno));
}

static int chunk(reel_wav_writer *w, const char *id, const unsigned char *p, size_t n, reel_err *e)
{
    unsigned char h[8];
    memcpy(h, id, 4);
    le32(h + 4, (uint32_t)n);
    return put(w, h, 8, e) || put(w, p, n, e) ? REEL_EIO : 0;
}

static void stamp_now(reel_bext *b)
{
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    if (!b->date[0]) strftime(b->date, sizeof b->date, "%Y-%m-%d", &tm);
    if (!b->time[0]) strftime(b->time, sizeof b->time, "%H:%M:%S", &tm);
}

static int write_header(reel_wav_writer *w, reel_err *e)
{
    unsigned char junk[DS64_LEN] = {0}, *bx = malloc(BEXT_FIXED + sizeof w->bext.coding_history + 2), fm[40];
    if (!bx) return reel_errf(e, REEL_ENOMEM, "out of memory");
    unsigned char riff[12];
    memcpy(riff, "RIFF", 4), le32(riff + 4, 0), memcpy(riff + 8, "WAVE", 4);
    int rc = put(w, riff, 12, e);
    if (!rc) rc = chunk(w, "JUNK", junk, DS64_LEN, e);
    w->bext_at = 12 + 8 + DS64_LEN + 8;
    if (!rc) rc = chunk(w, "bext", bx, bext_payload(&w->bext, bx), e);
    if (!rc) rc = chunk(w, "fmt ", fm, fmt_payload(w, fm), e);
    if (!rc && w->fmt == REEL_WAV_FLOAT32) { /* non-PCM data needs a fact chunk */
        w->fact_at = ftell(w->f) + 8;
        rc = chunk(w, "fact", junk, 4, e);
    }
    unsigned char dh[8];
    memcpy(dh, "data", 4), le32(dh + 4, 0);
    if (!rc) rc = put(w, dh, 8, e);
    w->data_at = ftell(w->f);
    free(bx);
    return rc;
}

int reel_wav_open(reel_wav_writer **out, const char *path, int rate, int channels, reel_wav_fmt fmt,
                  const reel_bext *bext, reel_err *e)
{
    *out = NULL;
    if (rate <= 0 || rate > 768000 || channels <= 0 || channels > 64 ||
        (fmt != REEL_WAV_PCM16 && fmt != REEL_WAV_PCM24 && fmt != REEL_WAV_FLOAT32))
        return reel_errf(e, REEL_EINVAL, "%s: cannot write %d channels at %d Hz, %d-bit", path, channels, rate, fmt);
    reel_wav_writer *w = calloc(1, sizeof *w);
    size_t n = strlen(path) + 6;
    if (!w || !(w->path = strdup(path)) || !(w->tmp = malloc(n)) ||
        !(w->buf = malloc((size_t)BUF_FRAMES * (size_t)channels * 4))) {
        reel_wav_abort(w);
        return reel_errf(e, REEL_ENOMEM, "out of memory");
    }
    snprintf(w->tmp, n, "%s.part", path);
    w->rate = rate, w->channels = channels, w->fmt = fmt, w->rng = 0x9e3779b9u;
    if (bext) w->bext = *bext;
    if (!w->bext.blank_date) stamp_now(&w->bext);
    if (!(w->f = fopen(w->tmp, "wb"))) {
        int rc = reel_errf(e, REEL_EIO, "%s: cannot create: %s", w->tmp, strerror(errno));
        reel_wav_abort(w);
        return rc;
    }
    int rc = write_header(w, e);
    if (rc) { reel_wav_abort(w); return rc; }
    *out = w;
    return 0;
}

/* TPDF dither of one LSB: the difference of two uniform values. */
static double tpdf(reel_wav_writer *w)
{
    w->rng ^= w->rng << 13, w->rng ^= w->rng >> 17, w->rng ^= w->rng << 5;
    double a = (w->rng & 0xffff) / 65536.0, b = (w->rng >> 16) / 65536.0;
    return a - b;
}

static void pack(reel_wav_writer *w, const float *x, size_t n)
{
    unsigned char *p = w->buf;
    if (w->fmt == REEL_WAV_FLOAT32) {
        for (size_t i = 0; i < n; i++, p += 4) {
            union { float f; uint32_t u; } v = {x[i]};
            le32(p, v.u);
        }
        return;
    }
    double full = w->fmt == REEL_WAV_PCM16 ? 32768.0 : 8388608.0;
    for (size_t i = 0; i < n; i++) {
        double v = floor(x[i] * full + tpdf(w) + 0.5);
        long q = v >= full ? (long)full - 1 : v < -full ? -(long)full : (long)v;
        if (w->fmt == REEL_WAV_PCM16) le16(p, (unsigned)(q & 0xffff)), p += 2;
        else p[0] = q & 255, p[1] = (q >> 8) & 255, p[2] = (q >> 16) & 255, p += 3;
    }
}

int reel_wav_write(reel_wav_writer *w, const float *x, size_t nb, reel_err *e)
{
    size_t bytes = (size_t)w->fmt / 8 * (size_t)w->channels;
    while (nb > 0) {
        size_t k = nb < BUF_FRAMES ? nb : BUF_FRAMES;
        pack(w, x, k * (size_t)w->channels);
        if (put(w, w->buf, k * bytes, e)) return REEL_EIO;
        x += k * (size_t)w->channels;
        nb -= k;
        w->frames += k;
    }
    return 0;
}

static int patch(reel_wav_writer *w, long at, const void *p, size_t n, reel_err *e)
{
    if (fseek(w->f, at, SEEK_SET)) return reel_errf(e, REEL_EIO, "%s: seek failed: %s", w->tmp, strerror(errno));
    return put(w, p, n, e);
}

/* Sizes into the RIFF header, or RF64 + ds64 past 4 GiB. */
static int finish_sizes(reel_wav_writer *w, reel_err *e)
{
    uint64_t data = w->frames * (uint64_t)(w->fmt / 8) * (uint64_t)w->channels;
    int rc = 0;
    if (data & 1) rc = put(w, "", 1, e); /* pad byte */
    uint64_t riff = (uint64_t)w->data_at + data + (data & 1) - 8;
    unsigned char b[8 + DS64_LEN];
    le32(b, w->frames > 0xffffffffu ? 0xffffffffu : (uint32_t)w->frames);
    if (!rc && w->fact_at) rc = patch(w, w->fact_at, b, 4, e);
    if (riff <= 0xffffffffu) {
        le32(b, (uint32_t)riff);
        if (!rc) rc = patch(w, 4, b, 4, e);
        le32(b, (uint32_t)data);
        return rc ? rc : patch(w, w->data_at - 4, b, 4, e);
    }
    memcpy(b, "RF64", 4), le32(b + 4, 0xffffffffu);
    if (!rc) rc = patch(w, 0, b, 8, e);
    memcpy(b, "ds64", 4), le32(b + 4, DS64_LEN);
    le64(b + 8, riff), le64(b + 16, data), le64(b + 24, w->frames), le32(b + 32, 0);
    if (!rc) rc = patch(w, 12, b, 8 + DS64_LEN, e);
    le32(b, 0xffffffffu);
    return rc ? rc : patch(w, w->data_at - 4, b, 4, e);
}

static int wav_end(reel_wav_writer *w, const reel_bext *final, int commit, reel_err *e)
{
    if (final) { /* the coding history keeps its size from open: only the fixed part changes */
        reel_bext b = *final;
        if (!b.date[0]) memcpy(b.date, w->bext.date, sizeof b.date);
        if (!b.time[0]) memcpy(b.time, w->bext.time, sizeof b.time);
        memcpy(b.coding_history, w->bext.coding_history, sizeof b.coding_history);
        w->bext = b;
    }
    unsigned char *bx = malloc(BEXT_FIXED + sizeof w->bext.coding_history + 2);
    int rc = bx ? finish_sizes(w, e) : reel_errf(e, REEL_ENOMEM, "out of memory");
    if (!rc) bext_payload(&w->bext, bx);
    if (!rc) rc = patch(w, w->bext_at, bx, BEXT_FIXED, e);
    free(bx);
    if (!rc && fflush(w->f)) rc = reel_errf(e, REEL_EIO, "%s: write failed: %s", w->tmp, strerror(errno));
    if (fclose(w->f) && !rc) rc = reel_errf(e, REEL_EIO, "%s: close failed: %s", w->tmp, strerror(errno));
    w->f = NULL;
    if (!rc && commit) rc = reel_commit_file(w->tmp, w->path, e);
    if (!rc && commit) reel_fsync_dir_of(w->path, NULL);
    if (rc) unlink(w->tmp);
    free(w->tmp), w->tmp = NULL;
    reel_wav_abort(w);
    return rc;
}

int reel_wav_close(reel_wav_writer *w, const reel_bext *final, reel_err *e)
{
    return wav_end(w, final, 1, e);
}

int reel_wav_finish_part(reel_wav_writer *w, const reel_bext *final, reel_err *e)
{
    return wav_end(w, final, 0, e);
}

void reel_wav_abort(reel_wav_writer *w)
{
    if (!w) return;
    if (w->f) fclose(w->f);
    if (w->tmp) unlink(w->tmp);
    free(w->tmp);
    free(w->path);
    free(w->buf);
    free(w);
}
