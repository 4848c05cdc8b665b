/* The BS.1770-4 Annex 2 true-peak meter: skipping the blocks that cannot hold a new maximum
 * changes nothing (bit-identical to interpolating everything) while most blocks of a
 * speech-like signal are skipped; agreement with libebur128's own (differently designed)
 * interpolator on band-limited signals; an inter-sample peak; any block size and channel count. */
#include "audio/truepeak.h"
#include "tap.h"

#include <ebur128.h>
#include <math.h>
#include <stdlib.h>

static unsigned seed = 7;
static double noise(void)
{
    seed = seed * 1103515245u + 12345u;
    return ((seed >> 8) & 0xffff) / 32768.0 - 1;
}

/* Noise low-passed at fs/4 (a 63-tap Hann-windowed sinc: interpolators built differently agree
 * on band-limited signals, not near Nyquist), in bursts with a syllable-like envelope (4 Hz)
 * under a slow phrase envelope, with a few louder transients: most of it far below its peak, as
 * speech is. */
static float *speechlike(size_t n, int ch, int rate)
{
    enum { LP = 63 };
    double h[LP], w[LP] = {0};
    for (int k = 0; k < LP; k++) {
        double u = k - (LP - 1) / 2.0;
        h[k] = (u == 0 ? 0.5 : sin(M_PI / 2 * u) / (M_PI * u)) * (0.5 - 0.5 * cos(2 * M_PI * (k + 1) / (LP + 1)));
    }
    float *x = malloc(n * (size_t)ch * sizeof *x);
    for (size_t i = 0; i < n; i++) {
        for (int k = LP - 1; k > 0; k--) w[k] = w[k - 1];
        w[0] = noise();
        double v = 0;
        for (int k = 0; k < LP; k++) v += h[k] * w[k];
        double t = (double)i / rate, env = fabs(sin(2 * M_PI * 4 * t)) * (0.3 + 0.7 * fabs(sin(0.7 * t)));
        double kick = (i % (size_t)(rate * 1.3)) < 64 ? 3 : 1;
        for (int c = 0; c < ch; c++) x[i * (size_t)ch + (size_t)c] = (float)(0.3 * env * kick * v * (c + 1) / ch);
    }
    return x;
}

static double meter(const float *x, size_t n, int rate, int ch, size_t chunk, int all, double *work, double *sp)
{
    reel_tpeak *t = reel_tpeak_new(ch);
    if (all) reel_tpeak_exhaustive(t);
    for (size_t i = 0; i < n; i += chunk) reel_tpeak_feed(t, x + i * (size_t)ch, n - i < chunk ? n - i : chunk);
    double v = reel_tpeak_true(t);
    if (work) *work = reel_tpeak_work(t);
    if (sp) *sp = reel_tpeak_sample(t);
    reel_tpeak_free(t);
    return v;
}

/* libebur128 oversamples 4x only under 96 kHz: the samples go to it labelled 48 kHz whatever
 * their rate, so that it interpolates them 4x as well (the filters scale with the rate). */
static double ebur(const float *x, size_t n, int ch)
{
    ebur128_state *st = ebur128_init((unsigned)ch, 48000, EBUR128_MODE_TRUE_PEAK);
    ebur128_add_frames_float(st, x, n);
    double m = 0, v;
    for (int c = 0; c < ch; c++)
        if (ebur128_true_peak(st, (unsigned)c, &v) == EBUR128_SUCCESS && v > m) m = v;
    ebur128_destroy(&st);
    return m;
}

int main(void)
{
    int rates[] = {44100, 48000, 96000};
    for (int r = 0; r < 3; r++) {
        int rate = rates[r], ch = 2;
        size_t n = (size_t)rate * 6;
        float *x = speechlike(n, ch, rate);
        double work, all = meter(x, n, rate, ch, n, 1, NULL, NULL), fast = meter(x, n, rate, ch, n, 0, &work, NULL);
        TAP_OK(fast == all, "%d Hz: true peak with skipping %.9f = interpolating every block %.9f", rate, fast, all);
        TAP_OK(work < 0.5, "%d Hz: %.0f %% of the blocks interpolated (under 50 %%)", rate, 100 * work);
        double e = ebur(x, n, ch);
        TAP_OK(fabs(20 * log10(fast / e)) < 0.1, "%d Hz: %.3f dBTP, libebur128 %.3f dBTP (within 0.1 dB)", rate,
               20 * log10(fast), 20 * log10(e));
        int same = 1;
        size_t chunks[] = {1, 7, 255, 256, 257, 4096};
        for (int k = 0; k < 6; k++) same &= meter(x, n, rate, ch, chunks[k], 0, NULL, NULL) == fast;
        TAP_OK(same, "%d Hz: the same figure fed 1, 7, 255, 256, 257 or 4096 frames at a time", rate);
        free(x);
    }
    /* an inter-sample peak: fs/4 sine at 45 degrees, samples at 0.5, true peak 0.707 */
    size_t n = 48000;
    float *x = malloc(n * 6 * sizeof *x);
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < 6; c++) x[i * 6 + (size_t)c] = c == 4 ? (float)(0.70710678 * sin(M_PI / 2 * i + M_PI / 4)) : 0.01f;
    double sp, tp = meter(x, n, 48000, 6, 1000, 0, NULL, &sp);
    TAP_OK(fabs(20 * log10(tp / 0.7071)) < 0.2 && fabs(sp - 0.5) < 1e-6,
           "5.1, one channel an fs/4 sine with samples at 0.5: true peak %.4f (0.7071), sample peak %.4f", tp, sp);
    free(x);
    float z[64] = {0};
    tp = meter(z, 32, 48000, 2, 32, 0, NULL, &sp);
    TAP_OK(tp == 0 && sp == 0, "silence: peaks 0");
    return tap_done();
}
