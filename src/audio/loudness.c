/* Loudness measurement (see loudness.h). */
#include "audio/loudness.h"
#include "audio/speech.h"
#include "audio/truepeak.h"

#include <ebur128.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct reel_loud_meter {
    ebur128_state *st;
    int rate, channels;
    size_t hop, pos;          /* 10 ms hops for the M/S maxima */
    long long hops, frames;
    double ring[300];         /* mean-square energy of the last 300 hops (3 s) */
    double max_m, max_s;
    double *block;            /* mean-square energy of each 400 ms block, every 100 ms */
    int n_block, cap_block;
    reel_speech speech;
    reel_tpeak *peak;
};

static const int map51[] = {EBUR128_LEFT, EBUR128_RIGHT, EBUR128_CENTER, EBUR128_UNUSED,
                            EBUR128_LEFT_SURROUND, EBUR128_RIGHT_SURROUND};
static const int map71[] = {EBUR128_LEFT, EBUR128_RIGHT, EBUR128_CENTER, EBUR128_UNUSED,
                            EBUR128_Mp135, EBUR128_Mm135, EBUR128_LEFT_SURROUND, EBUR128_RIGHT_SURROUND};
static const int map50[] = {EBUR128_LEFT, EBUR128_RIGHT, EBUR128_CENTER, EBUR128_LEFT_SURROUND,
                            EBUR128_RIGHT_SURROUND};
static const int map61[] = {EBUR128_LEFT, EBUR128_RIGHT, EBUR128_CENTER, EBUR128_UNUSED, EBUR128_Mp180,
                            EBUR128_LEFT_SURROUND, EBUR128_RIGHT_SURROUND};
static const int map40[] = {EBUR128_LEFT, EBUR128_RIGHT, EBUR128_LEFT_SURROUND, EBUR128_RIGHT_SURROUND};

static void set_map(ebur128_state *st, int channels)
{
    const int *m = channels == 6 ? map51 : channels == 8 ? map71 : channels == 7 ? map61 :
                   channels == 5 ? map50 : channels == 4 ? map40 : NULL;
    for (int c = 0; m && c < channels; c++) ebur128_set_channel(st, (unsigned)c, m[c]);
    if (channels == 3) ebur128_set_channel(st, 2, EBUR128_CENTER);
}

reel_loud_meter *reel_loud_meter_new(int rate, int channels)
{
    if (rate < 8000 || channels < 1 || channels > 64) return NULL;
    reel_loud_meter *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->st = ebur128_init((unsigned)channels, (unsigned long)rate,
                         EBUR128_MODE_M | EBUR128_MODE_S | EBUR128_MODE_I | EBUR128_MODE_LRA);
    if (!m->st || !(m->peak = reel_tpeak_new(channels)) || reel_speech_init(&m->speech, rate)) {
        reel_loud_meter_free(m);
        return NULL;
    }
    set_map(m->st, channels);
    m->rate = rate;
    m->channels = channels;
    m->hop = (size_t)rate / 100;
    m->max_m = m->max_s = -HUGE_VAL;
    return m;
}

static double lufs(double energy) { return energy > 0 ? 10 * log10(energy) - 0.691 : -HUGE_VAL; }

/* Mean energy of the last k hops (k <= 300, k <= hops). */
static double recent(const reel_loud_meter *m, int k)
{
    double sum = 0;
    for (int i = 1; i <= k; i++) sum += m->ring[(m->hops - i) % 300];
    return sum / k;
}

/* Each 10 ms hop's energy comes from libebur128's K-weighted, channel-weighted filter state
 * (a 10 ms window is cheap where asking it for 3 s every hop is not); momentary and short-term
 * loudness are then running means of 40 and 300 hops, and BS.1770's gating blocks are the
 * momentary values every 100 ms. */
static int end_hop(reel_loud_meter *m)
{
    double v;
    if (ebur128_loudness_window(m->st, 10, &v) != EBUR128_SUCCESS) v = -HUGE_VAL;
    m->ring[m->hops % 300] = isfinite(v) ? pow(10, (v + 0.691) / 10) : 0;
    m->hops++;
    if (m->hops >= 40) m->max_m = fmax(m->max_m, lufs(recent(m, 40)));
    if (m->hops >= 300) m->max_s = fmax(m->max_s, lufs(recent(m, 300)));
    if (m->hops % 10 || m->hops < 40) return 0;
    if (m->n_block == m->cap_block) {
        int c = m->cap_block ? m->cap_block * 2 : 1024;
        double *nb = realloc(m->block, (size_t)c * sizeof *nb);
        if (!nb) return REEL_ENOMEM;
        m->block = nb;
        m->cap_block = c;
    }
    m->block[m->n_block++] = recent(m, 40);
    return 0;
}

int reel_loud_meter_feed(reel_loud_meter *m, const float *x, size_t nb)
{
    if (reel_speech_feed(&m->speech, x, (int)nb, m->channels)) return REEL_ENOMEM;
    reel_tpeak_feed(m->peak, x, nb);
    while (nb > 0) {
        size_t take = m->hop - m->pos;
        if (take > nb) take = nb;
        if (ebur128_add_frames_float(m->st, x, take) != EBUR128_SUCCESS) return REEL_ENOMEM;
        x += take * (size_t)m->channels;
        nb -= take;
        m->pos += take;
        m->frames += (long long)take;
        if (m->pos == m->hop) {
            m->pos = 0;
            if (end_hop(m)) return REEL_ENOMEM;
        }
    }
    return 0;
}

/* Whether the 400 ms block b is at least half speech: the 20 ms speech frames it overlaps, placed
 * by sample position (a hop is rate / 100 frames, a speech frame rate / 50: at 22050 Hz the two
 * do not divide evenly and counting in frames would drift). */
static int block_is_speech(const reel_loud_meter *m, int b, const unsigned char *on, int n_on)
{
    long long s0 = (long long)b * 10 * (long long)m->hop, s1 = s0 + 40 * (long long)m->hop;
    long long fl = m->speech.frame_len, f0 = s0 / fl, f1 = (s1 + fl - 1) / fl;
    int speech = 0, n = 0;
    for (long long f = f0; f < f1 && f < n_on; f++, n++) speech += on[f];
    return n > 0 && 2 * speech >= n;
}

double reel_gated_loudness(const double *energy, const unsigned char *sel, int n_block)
{
    double sum = 0, abs_gate = pow(10, (-70 + 0.691) / 10);
    int n = 0;
    for (int pass = 0; pass < 2; pass++) {
        double gate = pass ? fmax(abs_gate, sum / n * 0.1) : abs_gate, s2 = 0; /* -10 LU = x0.1 */
        int n2 = 0;
        for (int b = 0; b < n_block; b++) {
            if (energy[b] <= gate || (sel && !sel[b])) continue;
            s2 += energy[b];
            n2++;
        }
        if (!n2) return -HUGE_VAL;
        sum = s2;
        n = n2;
    }
    return 10 * log10(sum / n) - 0.691;
}

static double speech_gated(const reel_loud_meter *m, const unsigned char *on, int n_on)
{
    unsigned char *sel = malloc((size_t)(m->n_block ? m->n_block : 1));
    if (!sel) return -HUGE_VAL;
    for (int b = 0; b < m->n_block; b++) sel[b] = (unsigned char)block_is_speech(m, b, on, n_on);
    double v = reel_gated_loudness(m->block, sel, m->n_block);
    free(sel);
    return v;
}

int reel_loud_meter_blocks(reel_loud_meter *m, double **energy, unsigned char **speech, double *step)
{
    int n = m->n_block, nf = m->speech.n_frames;
    *energy = malloc((size_t)(n ? n : 1) * sizeof **energy);
    *speech = malloc((size_t)(n ? n : 1));
    unsigned char *on = malloc((size_t)(nf ? nf : 1));
    double floor_db;
    if (!*energy || !*speech || !on || reel_speech_decide(&m->speech, on, &floor_db) < 0) {
        free(*energy), free(*speech), free(on);
        *energy = NULL, *speech = NULL;
        return REEL_ENOMEM;
    }
    for (int b = 0; b < n; b++) {
        (*energy)[b] = m->block[b];
        (*speech)[b] = (unsigned char)block_is_speech(m, b, on, nf);
    }
    free(on);
    *step = 10.0 * (double)m->hop;
    return n;
}

void reel_loud_meter_now(const reel_loud_meter *m, double *momentary, double *short_term)
{
    *momentary = m->hops >= 40 ? lufs(recent(m, 40)) : -HUGE_VAL;
    *short_term = m->hops >= 300 ? lufs(recent(m, 300)) : -HUGE_VAL;
}

int reel_loud_meter_finish(reel_loud_meter *m)
{
    return reel_speech_finish(&m->speech);
}

int reel_loud_meter_result(reel_loud_meter *m, reel_loudness *o)
{
    memset(o, 0, sizeof *o);
    o->rate = m->rate;
    o->channels = m->channels;
    o->seconds = (double)m->frames / m->rate;
    o->integrated = o->speech_integrated = -HUGE_VAL;
    if (o->seconds >= 0.4 && ebur128_loudness_global(m->st, &o->integrated) != EBUR128_SUCCESS)
        o->integrated = -HUGE_VAL;
    if (ebur128_loudness_range(m->st, &o->range) != EBUR128_SUCCESS) o->range = 0;
    o->max_momentary = m->max_m;
    o->max_short_term = m->max_s;
    double tp = reel_tpeak_true(m->peak), sp = reel_tpeak_sample(m->peak), v;
    o->true_peak = tp > 0 ? 20 * log10(tp) : -HUGE_VAL;
    o->sample_peak = sp > 0 ? 20 * log10(sp) : -HUGE_VAL;
    int n = m->speech.n_frames; /* whole 20 ms frames so far */
    if (n > 0) {
        unsigned char *on = malloc((size_t)n);
        if (!on) return REEL_ENOMEM;
        int speech = reel_speech_decide(&m->speech, on, &v);
        if (speech > 0) {
            o->speech_ratio = (double)speech / n;
            o->speech_integrated = speech_gated(m, on, n);
        }
        free(on);
        if (speech < 0) return speech;
    }
    return 0;
}

void reel_loud_meter_free(reel_loud_meter *m)
{
    if (!m) return;
    if (m->st) ebur128_destroy(&m->st);
    reel_speech_free(&m->speech);
    reel_tpeak_free(m->peak);
    free(m->block);
    free(m);
}

int reel_loudness_measure(const float *x, size_t nb, int rate, int channels, reel_loudness *out)
{
    reel_loud_meter *m = reel_loud_meter_new(rate, channels);
    if (!m) return REEL_ENOMEM;
    int rc = reel_loud_meter_feed(m, x, nb);
    if (!rc) rc = reel_loud_meter_finish(m);
    if (!rc) rc = reel_loud_meter_result(m, out);
    reel_loud_meter_free(m);
    return rc;
}
