/* Loudness measurement against the EBU test signals, generated here from their definitions:
 * EBU Tech 3341 "minimum requirements" cases 1-6 (integrated), the short-term and momentary
 * window cases (a 1 kHz tone alternating -20 / -30 dBFS with the window's period: constant
 * -23 LUFS), bursts at shifted offsets for the maxima, true-peak signals whose inter-sample peak is
 * known analytically, and EBU Tech 3342 cases 1-4 (loudness range). Tolerances are the specs':
 * +-0.1 LU, true peak +0.2/-0.4 dB, LRA +-1 LU. The real-programme cases (3341 7/8, 3342 5/6) need
 * the EBU's files, which are not packaged. */
#include "audio/loudness.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { RATE = 48000 };

typedef struct sig {
    float *x;
    size_t n, cap;
    int ch;
} sig;

/* Append sec seconds of a 1 kHz sine at dbfs[c] dBFS peak on each channel (dbfs < -200: silence). */
static void tone_ch(sig *s, double sec, const double *dbfs, double freq, double phase)
{
    size_t k = (size_t)llround(sec * RATE);
    if (s->n + k > s->cap) {
        s->cap = (s->n + k) * 2;
        s->x = realloc(s->x, s->cap * (size_t)s->ch * sizeof *s->x);
    }
    for (size_t i = 0; i < k; i++) {
        double t = (double)(s->n + i) / RATE;
        for (int c = 0; c < s->ch; c++)
            s->x[(s->n + i) * (size_t)s->ch + c] =
                dbfs[c] < -200 ? 0 : (float)(pow(10, dbfs[c] / 20) * sin(2 * M_PI * freq * t + phase));
    }
    s->n += k;
}

static void tone(sig *s, double sec, double dbfs)
{
    double d[8];
    for (int c = 0; c < 8; c++) d[c] = dbfs;
    tone_ch(s, sec, d, 1000, 0);
}

static reel_loudness measure(sig *s)
{
    reel_loudness l;
    memset(&l, 0, sizeof l);
    if (reel_loudness_measure(s->x, s->n, RATE, s->ch, &l)) l.integrated = NAN;
    free(s->x);
    memset(s, 0, sizeof *s);
    return l;
}

#define NEAR(v, want, tol, what)                                                                    \
    do {                                                                                            \
        double v_ = (v);                                                                            \
        TAP_OK(fabs(v_ - (want)) <= (tol), "%s: %.3f (want %.2f +-%.1f)", what, v_, (double)(want), \
               (double)(tol));                                                                      \
    } while (0)

static void tech3341_integrated(void)
{
    sig s = {.ch = 2};
    tone(&s, 20, -23);
    reel_loudness l = measure(&s);
    NEAR(l.integrated, -23, 0.1, "3341-1 I (-23 dBFS 20 s)");
    NEAR(l.max_momentary, -23, 0.1, "3341-1 M");
    NEAR(l.max_short_term, -23, 0.1, "3341-1 S");
    s.ch = 2;
    tone(&s, 20, -33);
    l = measure(&s);
    NEAR(l.integrated, -33, 0.1, "3341-2 I (-33 dBFS 20 s)");
    NEAR(l.max_momentary, -33, 0.1, "3341-2 M");
    s.ch = 2;
    tone(&s, 10, -36), tone(&s, 60, -23), tone(&s, 10, -36);
    NEAR(measure(&s).integrated, -23, 0.1, "3341-3 I (-36/-23/-36 dBFS, relative gate)");
    s.ch = 2;
    tone(&s, 10, -72), tone(&s, 10, -36), tone(&s, 60, -23), tone(&s, 10, -36), tone(&s, 10, -72);
    NEAR(measure(&s).integrated, -23, 0.1, "3341-4 I (-72/-36/-23/-36/-72 dBFS, both gates)");
    s.ch = 2;
    tone(&s, 20, -26), tone(&s, 20.1, -20), tone(&s, 20, -26);
    NEAR(measure(&s).integrated, -23, 0.1, "3341-5 I (-26/-20/-26 dBFS)");
    s.ch = 5;
    double d5[] = {-28, -28, -24, -30, -30};
    tone_ch(&s, 20, d5, 1000, 0);
    NEAR(measure(&s).integrated, -23, 0.1, "3341-6 I (5.0: L R -28, C -24, Ls Rs -30 dBFS)");
    s.ch = 6; /* the same with a loud LFE, which BS.1770 leaves out */
    double d6[] = {-28, -28, -24, 0, -30, -30};
    tone_ch(&s, 20, d6, 1000, 0);
    NEAR(measure(&s).integrated, -23, 0.1, "3341-6 as 5.1 with a 0 dBFS LFE");
}

/* A tone alternating hi for a s and lo for b s: a window of a+b s always holds the same energy. */
static void window_constant(double a, double b, int shortterm, const char *what)
{
    sig s = {.ch = 2};
    while ((double)s.n / RATE < 20) tone(&s, a, -20), tone(&s, b, -30);
    reel_loud_meter *m = reel_loud_meter_new(RATE, 2);
    double lo = 1e9, hi = -1e9, win = a + b, M, S;
    for (size_t i = 0; i + RATE / 100 <= s.n; i += RATE / 100) {
        reel_loud_meter_feed(m, s.x + i * 2, RATE / 100);
        if ((double)(i + RATE / 100) / RATE < win) continue;
        reel_loud_meter_now(m, &M, &S);
        double v = shortterm ? S : M;
        lo = fmin(lo, v), hi = fmax(hi, v);
    }
    reel_loud_meter_free(m);
    free(s.x);
    TAP_OK(fabs(lo + 23) <= 0.1 && fabs(hi + 23) <= 0.1, "%s: %.3f .. %.3f LUFS every 10 ms (want -23 +-0.1)", what, lo, hi);
}

/* Maxima: a burst of the window's length at -23 dBFS after silence of varying length. */
static void burst_maxima(void)
{
    int ok_s = 1, ok_m = 1;
    double worst_s = 0, worst_m = 0;
    for (int k = 0; k < 20; k++) {
        double pad = 0.5 + k * 0.0137, sil[2] = {-999, -999};
        sig s = {.ch = 2};
        tone_ch(&s, pad, sil, 1000, 0), tone(&s, 3.0, -23), tone_ch(&s, 1.0, sil, 1000, 0);
        reel_loudness l = measure(&s);
        worst_s = fmax(worst_s, fabs(l.max_short_term + 23));
        ok_s &= fabs(l.max_short_term + 23) <= 0.1;
        s.ch = 2;
        tone_ch(&s, pad, sil, 1000, 0), tone(&s, 0.4, -23), tone_ch(&s, 3.0, sil, 1000, 0);
        l = measure(&s);
        worst_m = fmax(worst_m, fabs(l.max_momentary + 23));
        ok_m &= fabs(l.max_momentary + 23) <= 0.1;
    }
    TAP_OK(ok_s, "max short-term of a 3 s burst at 20 offsets: -23 +-0.1 (worst error %.3f)", worst_s);
    TAP_OK(ok_m, "max momentary of a 0.4 s burst at 20 offsets: -23 +-0.1 (worst error %.3f)", worst_m);
}

/* fs/4 sines with a 45 degree phase: every sample at +-A/sqrt(2), the waveform peaks at A between
 * samples, so the true peak is 3.01 dB over the sample peak. */
static void true_peak(void)
{
    static const struct { double amp_db, want; const char *what; } c[] = {
        {-6.0, -6.0, "fs/4 sine, true peak -6 dBTP"},
        {0.0, 0.0, "fs/4 sine, true peak 0 dBTP (samples at -3 dBFS)"},
        {3.01, 3.0, "fs/4 sine, samples at 0 dBFS: true peak +3 dBTP"},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        sig s = {.ch = 2};
        double d[2] = {c[i].amp_db, c[i].amp_db};
        tone_ch(&s, 3, d, RATE / 4.0, M_PI / 4);
        reel_loudness l = measure(&s);
        double e = l.true_peak - c[i].want;
        TAP_OK(e >= -0.4 && e <= 0.2, "%s: %.2f dBTP (sample peak %.2f)", c[i].what, l.true_peak, l.sample_peak);
    }
    sig s = {.ch = 2};
    tone(&s, 3, 0);
    reel_loudness l = measure(&s);
    TAP_OK(l.true_peak >= -0.4 && l.true_peak <= 0.2 && fabs(l.sample_peak) < 0.01,
           "1 kHz full-scale sine: %.2f dBTP, sample peak %.2f dBFS", l.true_peak, l.sample_peak);
}

static void tech3342(void)
{
    static const struct { int n; double lv[5]; double want; } c[] = {
        {2, {-20, -30}, 10}, {2, {-20, -15}, 5}, {2, {-40, -20}, 20}, {5, {-50, -35, -20, -35, -50}, 15},
    };
    for (int i = 0; i < 4; i++) {
        sig s = {.ch = 2};
        for (int k = 0; k < c[i].n; k++) tone(&s, 20, c[i].lv[k]);
        reel_loudness l = measure(&s);
        TAP_OK(fabs(l.range - c[i].want) <= 1, "3342-%d LRA: %.2f LU (want %.0f +-1)", i + 1, l.range, c[i].want);
    }
}

static void edges(void)
{
    sig s = {.ch = 2};
    tone(&s, 0.3, -23);
    reel_loudness l = measure(&s);
    TAP_OK(!isfinite(l.integrated), "0.3 s: integrated loudness undefined (shorter than a 400 ms block)");
    s.ch = 1;
    double sil[1] = {-999};
    tone_ch(&s, 5, sil, 1000, 0);
    l = measure(&s);
    TAP_OK(!isfinite(l.integrated) && !isfinite(l.true_peak), "silence: integrated and peak undefined");
    TAP_OK(l.speech_ratio == 0 && !isfinite(l.speech_integrated), "silence: no speech, no dialogue loudness");
    s.ch = 1;
    tone(&s, 20, -23);
    l = measure(&s);
    NEAR(l.integrated, -26.01, 0.1, "mono -23 dBFS sine (one channel, weight 1)");
}

/* Dialogue gating at a rate where 10 ms hops and 20 ms speech frames do not divide evenly:
 * 10 minutes of 5 s of a 300 Hz tone (speech to the detector) and 5 s of white noise (too many
 * zero crossings for speech), at 22050 and 44100 Hz: the same dialogue loudness. */
static double gated_at(int rate)
{
    size_t n = (size_t)rate * 600;
    float *x = malloc(n * sizeof *x);
    unsigned seed = 5;
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        int tone = (i / ((size_t)rate * 5)) % 2 == 0;
        x[i] = tone ? (float)(0.1 * sin(2 * M_PI * 300 * (double)i / rate))
                    : (float)(0.03 * (((seed >> 8) & 0xffff) / 32768.0 - 1));
    }
    reel_loudness l;
    int rc = reel_loudness_measure(x, n, rate, 1, &l);
    free(x);
    return rc ? NAN : l.speech_integrated;
}

int main(void)
{
    reel_init();
    tech3341_integrated();
    window_constant(1.34, 1.66, 1, "short-term of 1.34 s at -20 / 1.66 s at -30 dBFS after 3 s");
    window_constant(0.18, 0.22, 0, "momentary of 0.18 s at -20 / 0.22 s at -30 dBFS after 0.4 s");
    burst_maxima();
    true_peak();
    tech3342();
    edges();
    double g22 = gated_at(22050), g44 = gated_at(44100);
    TAP_OK(fabs(g22 - g44) < 0.2, "dialogue-gated loudness at 22050 Hz %.2f, at 44100 Hz %.2f LUFS (the same)", g22, g44);
    return tap_done();
}
