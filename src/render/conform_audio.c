/* The conform's sound pass (conform.h): each item's sound cut to its range and laid end to end,
 * crossfaded over dissolves, into the dialogue stem, measured on the way. */
#include "audio/bwf.h"
#include "render/conform.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct apass {
    reel_wav_writer *w;
    reel_loud_meter *m;
    int rate, ch;
    float *hold;          /* the previous item's last samples, for the next item's dissolve */
    int64_t n_hold;
    reel_err *e;
} apass;

static int emit(apass *a, const float *x, int64_t n)
{
    if (n <= 0) return 0;
    if (reel_loud_meter_feed(a->m, x, (size_t)n) < 0) return reel_errf(a->e, REEL_ENOMEM, "out of memory");
    return reel_wav_write(a->w, x, (size_t)n, a->e);
}

/* Samples k.. of an item, of n_total: the first n_in mix with the held tail (equal power), the
 * last n_out are held for the next item; the rest go out. */
typedef struct itemcur {
    int64_t k, n_total, n_in, n_out;
    float *next_hold;
} itemcur;

static int place(apass *a, itemcur *c, float *x, int64_t n)
{
    int ch = a->ch;
    for (int64_t i = 0; i < n && c->k + i < c->n_in; i++) { /* the outgoing tail fades out as this fades in */
        int64_t k = c->k + i;
        double t = (k + 0.5) / c->n_in, gi = sin(t * M_PI / 2), go = cos(t * M_PI / 2);
        for (int q = 0; q < ch; q++) x[i * ch + q] = (float)(x[i * ch + q] * gi + a->hold[k * ch + q] * go);
    }
    int64_t keep = c->n_total - c->n_out, ne = keep - c->k;
    ne = ne < 0 ? 0 : ne > n ? n : ne;
    int rc = emit(a, x, ne);
    if (ne < n) memcpy(c->next_hold + (c->k + ne - keep) * ch, x + ne * ch, sizeof *x * (size_t)((n - ne) * ch));
    c->k += n;
    return rc;
}

static int item_sound(apass *a, const reel_tl_item *it, itemcur *c, const volatile int *cancel)
{
    const char *src = it->audio[0] ? it->audio : it->path;
    reel_reader *rd = NULL;
    reel_reader_opts ro;
    reel_reader_opts_default(&ro);
    ro.want_video = 0, ro.want_audio = 1, ro.out_sample_rate = a->rate, ro.out_channels = a->ch;
    reel_probe pr;
    int rc = 0;
    int64_t skip = llround(it->src_in * a->rate);
    if (!it->black && !reel_media_probe(src, &pr, NULL) && pr.has_audio) rc = reel_reader_open(&rd, src, &ro, NULL, a->e);
    reel_media_event ev;
    while (!rc && rd && c->k < c->n_total && (rc = reel_reader_next(rd, &ev, a->e)) > 0) {
        rc = 0;
        int64_t n = ev.nb_samples, off = skip < n ? skip : n;
        skip -= off;
        n -= off;
        if (n > c->n_total - c->k) n = c->n_total - c->k;
        rc = place(a, c, (float *)ev.samples + off * a->ch, n); /* the reader's buffer is ours until the next call */
        if (!rc && cancel && *cancel) rc = reel_errf(a->e, REEL_ECANCEL, "interrupted");
    }
    reel_reader_free(&rd);
    float zero[2048];
    memset(zero, 0, sizeof zero);
    while (rc >= 0 && c->k < c->n_total) { /* silence where the source has no sound (or less) */
        int64_t n = c->n_total - c->k, cap = (int64_t)(sizeof zero / sizeof *zero) / a->ch;
        rc = place(a, c, zero, n < cap ? n : cap);
        memset(zero, 0, sizeof zero);
    }
    return rc < 0 ? rc : 0;
}

int reel_conform_audio(const reel_timeline *tl, int rate, int channels, const char *wav, reel_loudness *loud,
                       const volatile int *cancel, reel_err *e)
{
    apass a = {.rate = rate, .ch = channels, .e = e};
    reel_bext b = {.blank_date = 1};
    snprintf(b.description, sizeof b.description, "reel: dialogue stem of the cut");
    snprintf(b.originator, sizeof b.originator, "reel %s", REEL_VERSION);
    int rc = reel_wav_open(&a.w, wav, rate, channels, REEL_WAV_PCM24, &b, e);
    if (!rc && !(a.m = reel_loud_meter_new(rate, channels))) rc = reel_errf(e, REEL_ENOMEM, "out of memory");
    for (int i = 0; !rc && i < tl->n; i++) {
        const reel_tl_item *it = &tl->items[i];
        double next_d = i + 1 < tl->n ? tl->items[i + 1].dissolve : 0;
        itemcur c = {.n_total = llround((it->src_out - it->src_in) * rate), .n_in = llround(it->dissolve * rate),
                     .n_out = llround(next_d * rate)};
        if (c.n_in > a.n_hold) c.n_in = a.n_hold;
        if (c.n_out > c.n_total - c.n_in) c.n_out = c.n_total - c.n_in > 0 ? c.n_total - c.n_in : 0;
        if (c.n_out && !(c.next_hold = calloc((size_t)(c.n_out * channels), sizeof(float))))
            rc = reel_errf(e, REEL_ENOMEM, "out of memory");
        if (!rc) rc = item_sound(&a, it, &c, cancel);
        free(a.hold);
        a.hold = c.next_hold, a.n_hold = c.n_out;
    }
    if (!rc && a.n_hold) rc = emit(&a, a.hold, a.n_hold); /* no next item took it */
    if (!rc && (reel_loud_meter_finish(a.m) < 0 || reel_loud_meter_result(a.m, loud) < 0))
        rc = reel_errf(e, REEL_ENOMEM, "out of memory");
    if (!rc) {
        b.has_loudness = 1, b.loudness = loud->integrated, b.range = loud->range, b.true_peak = loud->true_peak;
        b.max_momentary = loud->max_momentary, b.max_short_term = loud->max_short_term;
        rc = reel_wav_close(a.w, &b, e);
        a.w = NULL;
    }
    if (a.w) reel_wav_abort(a.w);
    reel_loud_meter_free(a.m);
    free(a.hold);
    return rc;
}
