/* PocketSphinx over the runs of speech in a clip (transcribe.h). The sound is read once at 16 kHz
 * mono; the speech detector marks its 20 ms frames; runs closer than PAUSE are joined, padded by
 * PAD on each side, cut at MAX_UTT, and each run decoded as one utterance. */
#include "audio/transcribe.h"

#include "audio/speech.h"
#include "media/media.h"

#include <math.h>
#include <pocketsphinx.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { RATE = 16000 };
#define PAUSE 0.30   /* seconds of non-speech that still join two runs */
#define PAD 0.25     /* seconds of context kept around each run */
#define MAX_UTT 30.0 /* seconds: longer runs are decoded in pieces */

typedef struct pcm {
    float *x;
    size_t n, cap;
} pcm;

static int pcm_add(pcm *p, const float *x, int n)
{
    if (p->n + (size_t)n > p->cap) {
        size_t cap = p->cap ? p->cap * 2 : (size_t)RATE * 60;
        while (cap < p->n + (size_t)n) cap *= 2;
        float *y = realloc(p->x, cap * sizeof *y);
        if (!y) return REEL_ENOMEM;
        p->x = y, p->cap = cap;
    }
    memcpy(p->x + p->n, x, (size_t)n * sizeof *x);
    p->n += (size_t)n;
    return 0;
}

/* The clip's sound at 16 kHz mono into p, its frames through the speech detector sp. */
static int read_sound(const char *path, pcm *p, reel_speech *sp, volatile int *cancel, reel_err *e)
{
    reel_reader_opts ro;
    reel_reader_opts_default(&ro);
    ro.want_video = 0, ro.want_audio = 1, ro.out_sample_rate = RATE, ro.out_channels = 1;
    reel_reader *r = NULL;
    int rc = reel_reader_open(&r, path, &ro, NULL, e);
    if (rc) return rc;
    reel_media_event ev;
    while (!rc && (rc = reel_reader_next(r, &ev, e)) > 0) {
        if (cancel && *cancel) rc = reel_errf(e, REEL_ECANCEL, "%s: transcription interrupted", path);
        else if (ev.kind == REEL_EV_AUDIO)
            rc = pcm_add(p, ev.samples, ev.nb_samples) ? reel_errf(e, REEL_ENOMEM, "out of memory")
                 : reel_speech_feed(sp, ev.samples, ev.nb_samples, 1) ? reel_errf(e, REEL_ENOMEM, "out of memory")
                                                                     : 0;
    }
    reel_reader_free(&r);
    if (rc < 0) return rc;
    if (!p->n) return reel_errf(e, REEL_EMEDIA, "%s: no sound to transcribe", path);
    return reel_speech_finish(sp) ? reel_errf(e, REEL_ENOMEM, "out of memory") : 0;
}

static ps_decoder_t *open_decoder(const reel_transcribe_opts *o, cmd_ln_t **cfg, reel_err *e)
{
    const char *dir = o && o->model_dir ? o->model_dir : getenv("REEL_ASR_MODEL");
    if (!dir || !*dir) dir = "/usr/share/pocketsphinx/model/en-us";
    char hmm[4096], lm[4096], dict[4096];
    struct stat st;
    snprintf(hmm, sizeof hmm, "%s/en-us", dir);
    snprintf(lm, sizeof lm, "%s/en-us.lm.bin", dir);
    snprintf(dict, sizeof dict, "%s/cmudict-en-us.dict", dir);
    if (stat(hmm, &st) || stat(lm, &st) || stat(dict, &st)) {
        reel_errf(e, REEL_ENOTFOUND, "%s: no English speech model there (en-us/, en-us.lm.bin, "
                  "cmudict-en-us.dict); install the Debian package pocketsphinx-en-us or set REEL_ASR_MODEL", dir);
        return NULL;
    }
    *cfg = cmd_ln_init(NULL, ps_args(), TRUE, "-hmm", hmm, "-lm", lm, "-dict", dict, "-logfn", "/dev/null", NULL);
    ps_decoder_t *ps = *cfg ? ps_init(*cfg) : NULL;
    if (!ps) reel_errf(e, REEL_EINVAL, "%s: the speech model could not be loaded", dir);
    return ps;
}

static int add_word(reel_transcript *t, const char *w, double start, double end, double conf)
{
    if (w[0] == '<' || w[0] == '[' || w[0] == '+' || !strcmp(w, "<sil>")) return 0; /* silence, noise, fillers */
    reel_heard_word *nw = realloc(t->w, (size_t)(t->n + 1) * sizeof *nw);
    if (!nw) return REEL_ENOMEM;
    t->w = nw;
    reel_heard_word *h = &t->w[t->n++];
    snprintf(h->word, sizeof h->word, "%s", w);
    char *alt = strchr(h->word, '('); /* read(2): a second pronunciation of read */
    if (alt) *alt = 0;
    h->start = start, h->end = end, h->conf = conf;
    return 0;
}

/* Decode samples [a, b) of p as one utterance; words into t with times from the clip's start. */
static int decode_run(ps_decoder_t *ps, const pcm *p, size_t a, size_t b, reel_transcript *t)
{
    int16_t *s = malloc((b - a) * sizeof *s);
    if (!s) return REEL_ENOMEM;
    for (size_t i = a; i < b; i++) {
        float v = p->x[i] * 32767.0f;
        s[i - a] = (int16_t)lrintf(v > 32767.0f ? 32767.0f : v < -32768.0f ? -32768.0f : v);
    }
    int rc = ps_start_utt(ps) < 0 || ps_process_raw(ps, s, b - a, FALSE, TRUE) < 0 || ps_end_utt(ps) < 0;
    free(s);
    if (rc) return 0; /* an utterance the decoder refused holds no words */
    logmath_t *lmath = ps_get_logmath(ps);
    double t0 = (double)a / RATE;
    for (ps_seg_t *seg = ps_seg_iter(ps); seg; seg = ps_seg_next(seg)) {
        int sf, ef;
        ps_seg_frames(seg, &sf, &ef);
        int32 ascr, lscr, lback;
        double conf = logmath_exp(lmath, ps_seg_prob(seg, &ascr, &lscr, &lback));
        if (add_word(t, ps_seg_word(seg), t0 + sf / 100.0, t0 + (ef + 1) / 100.0, conf)) {
            ps_seg_free(seg);
            return REEL_ENOMEM;
        }
    }
    return 0;
}

/* The runs of speech as sample ranges: frames on, joined over short pauses, padded, cut at MAX_UTT;
 * each decoded in turn. */
static int decode_runs(ps_decoder_t *ps, const pcm *p, const unsigned char *on, int nf, reel_transcript *t,
                       volatile int *cancel)
{
    const int gap = (int)lround(PAUSE / REEL_SPEECH_FRAME);
    for (int f = 0; f < nf;) {
        if (!on[f]) {
            f++;
            continue;
        }
        int g = f, quiet = 0;
        for (int k = f; k < nf && quiet <= gap; k++) quiet = on[k] ? (g = k + 1, 0) : quiet + 1;
        t->speech += (g - f) * REEL_SPEECH_FRAME;
        double a = f * REEL_SPEECH_FRAME - PAD, b = g * REEL_SPEECH_FRAME + PAD;
        for (double x = a < 0 ? 0 : a; x < b; x += MAX_UTT) {
            if (cancel && *cancel) return REEL_ECANCEL;
            size_t sa = (size_t)(x * RATE), sb = (size_t)(fmin(x + MAX_UTT, b) * RATE);
            if (sb > p->n) sb = p->n;
            int rc = sa < sb ? decode_run(ps, p, sa, sb, t) : 0;
            if (rc) return rc;
        }
        f = g;
    }
    return 0;
}

int reel_transcribe_file(const char *path, const reel_transcribe_opts *o, reel_transcript *t, reel_err *e)
{
    memset(t, 0, sizeof *t);
    cmd_ln_t *cfg = NULL;
    ps_decoder_t *ps = open_decoder(o, &cfg, e);
    if (!ps) {
        if (cfg) cmd_ln_free_r(cfg);
        return e && e->code ? e->code : REEL_EINVAL;
    }
    pcm p = {0};
    reel_speech sp;
    int rc = reel_speech_init(&sp, RATE) ? reel_errf(e, REEL_ENOMEM, "out of memory")
                                         : read_sound(path, &p, &sp, o ? o->cancel : NULL, e);
    unsigned char *on = rc ? NULL : calloc((size_t)sp.n_frames + 1, 1);
    if (!rc && !on) rc = reel_errf(e, REEL_ENOMEM, "out of memory");
    if (!rc) {
        double floor_db;
        reel_speech_decide(&sp, on, &floor_db);
        t->seconds = (double)p.n / RATE;
        rc = decode_runs(ps, &p, on, sp.n_frames, t, o ? o->cancel : NULL);
        if (rc) rc = reel_errf(e, rc, rc == REEL_ECANCEL ? "%s: transcription interrupted" : "%s: out of memory", path);
    }
    free(on), free(p.x);
    reel_speech_free(&sp);
    ps_free(ps);
    cmd_ln_free_r(cfg);
    if (rc) reel_transcript_free(t);
    return rc;
}

void reel_transcript_free(reel_transcript *t)
{
    free(t->w);
    memset(t, 0, sizeof *t);
}
