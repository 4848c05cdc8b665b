/* De-clipping and de-clicking: the AR fit of a sinusoid; LSAR filling a gap in a sinusoid; the
 * clipping scan (both sides, one side, none, a tone's rounded peak); the streaming restorer:
 * clipped samples rebuilt at or beyond the clip level with every other sample untouched, the
 * error against the unclipped signal cut, clicks found and removed, a clean signal left as it
 * is, output aligned and independent of block size and channel count. */
#include "audio/arfill.h"
#include "audio/restore.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { RATE = 48000 };

static unsigned seed = 11;
static double noise(void)
{
    seed = seed * 1103515245u + 12345u;
    return ((seed >> 8) & 0xffff) / 32768.0 - 1;
}

/* A voice-like test signal: a 140 Hz pulse train's first harmonics with a syllable envelope and
 * a little noise. */
static float *voice(size_t n, int ch)
{
    float *x = malloc(n * (size_t)ch * sizeof *x);
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / RATE, env = 0.3 + 0.7 * fabs(sin(2 * M_PI * 3 * t)), v = 0;
        for (int k = 1; k <= 12; k++) v += sin(2 * M_PI * 140 * k * t + k * k) / k;
        for (int c = 0; c < ch; c++) x[i * (size_t)ch + (size_t)c] = (float)((0.25 * env * v + 0.002 * noise()) * (c ? -0.8 : 1));
    }
    return x;
}

static double sdr(const float *y, const float *ref, size_t n)
{
    double s = 0, e = 0;
    for (size_t i = 0; i < n; i++) s += (double)ref[i] * ref[i], e += ((double)y[i] - ref[i]) * ((double)y[i] - ref[i]);
    return e > 0 ? 10 * log10(s / e) : 200;
}

/* Run the restorer over x in blocks of `block` frames; the output (n frames) into y. */
static size_t run(const reel_clipping *clip, double k, const float *x, float *y, size_t n, int ch, size_t block,
                  long long *clipped, long long *clicks)
{
    reel_restore *r = reel_restore_new(RATE, ch, clip, k);
    float *out = malloc((n + reel_restore_latency(r) + block) * (size_t)ch * sizeof *out);
    size_t w = 0;
    for (size_t i = 0; i < n; i += block) w += reel_restore_run(r, x + i * (size_t)ch, out + w * (size_t)ch, n - i < block ? n - i : block);
    w += reel_restore_flush(r, out + w * (size_t)ch);
    memcpy(y, out, (w < n ? w : n) * (size_t)ch * sizeof *y);
    long long cs;
    reel_restore_stats(r, clipped, clicks, &cs);
    reel_restore_free(r);
    free(out);
    return w;
}

static void test_ar(void)
{
    enum { N = 2048, P = 16 };
    float x[N], y[N];
    double a[P + 1], w = 2 * M_PI * 440.0 / RATE;
    for (int i = 0; i < N; i++) x[i] = (float)(0.5 * sin(w * i) + 0.3 * sin(3.1 * w * i + 1));
    TAP_OK(reel_ar_fit(x, N, 2, a) == 0 && fabs(a[1] + 2 * cos(w)) < 0.2, "AR(2) of a near-sinusoid: a1 %.3f (about -2 cos w = %.3f)",
           a[1], -2 * cos(w));
    reel_ar_fit(x, N, P, a);
    memcpy(y, x, sizeof x);
    unsigned char miss[N] = {0};
    for (int i = 1000; i < 1040; i++) miss[i] = 1, y[i] = 0;
    double err = 0;
    TAP_OK(reel_ar_fill(y, miss, N, a, P) == 0, "LSAR fill of a 40-sample gap: done");
    for (int i = 0; i < N; i++) err = fmax(err, fabs(y[i] - x[i]));
    TAP_OK(err < 1e-3, "two sinusoids rebuilt across the gap (max error %.2g)", err);
    TAP_OK(reel_ar_fit(x, P, P, a) == -1, "a block no longer than the order: refused");
}

static void test_scan(void)
{
    size_t n = RATE;
    float *x = voice(n, 1), *c = malloc(n * sizeof *c);
    reel_clipscan *s = reel_clipscan_new(1);
    reel_clipping k;
    reel_clipscan_feed(s, x, n);
    reel_clipscan_result(s, &k);
    TAP_OK(!k.found, "an unclipped signal: no clipping found (%lld flat runs at the top)", k.hi_runs);
    reel_clipscan_free(s);
    for (size_t i = 0; i < n; i++) c[i] = x[i] > 0.3f ? 0.3f : x[i] < -0.25f ? -0.25f : x[i];
    s = reel_clipscan_new(1);
    for (size_t i = 0; i < n; i += 333) reel_clipscan_feed(s, c + i, n - i < 333 ? n - i : 333);
    reel_clipscan_result(s, &k);
    TAP_OK(k.found && k.hi == 0.3f && k.lo == -0.25f && k.hi_runs >= 3 && k.lo_runs >= 3,
           "clipped at +0.3 and -0.25: both levels found (%g, %g; %lld and %lld runs)", k.hi, k.lo, k.hi_runs, k.lo_runs);
    reel_clipscan_free(s);
    for (size_t i = 0; i < n; i++) c[i] = x[i] > 0.3f ? 0.3f : x[i];
    s = reel_clipscan_new(1);
    reel_clipscan_feed(s, c, n);
    reel_clipscan_result(s, &k);
    TAP_OK(k.found && k.hi == 0.3f && k.lo == 0, "clipped at the top only: the bottom is left alone");
    reel_clipscan_free(s);
    free(x), free(c);
}

static void test_declip(void)
{
    size_t n = RATE * 2;
    int ch = 2;
    float *x = voice(n, ch), *c = malloc(n * ch * sizeof *c), *y = malloc(n * ch * sizeof *y), *y2 = malloc(n * ch * sizeof *y);
    float hi = 0.22f, lo = -0.2f;
    size_t nclip = 0;
    for (size_t i = 0; i < n * ch; i++) {
        c[i] = x[i] > hi ? hi : x[i] < lo ? lo : x[i];
        nclip += c[i] != x[i];
    }
    reel_clipping k = {.found = 1, .hi = hi, .lo = lo};
    long long clipped, clicks;
    size_t w = run(&k, 0, c, y, n, ch, 4096, &clipped, &clicks);
    TAP_OK(w == n, "every frame out (%zu of %zu)", w, n);
    int untouched = 1, beyond = 1;
    for (size_t i = 0; i < n * ch; i++) {
        if (c[i] < hi && c[i] > lo && y[i] != c[i]) untouched = 0;
        if ((c[i] == hi && y[i] < hi) || (c[i] == lo && y[i] > lo)) beyond = 0;
    }
    TAP_OK(untouched, "samples inside the clip levels untouched, in place (aligned)");
    TAP_OK(beyond, "every rebuilt sample at or beyond its clip level");
    double before = sdr(c, x, n * ch), after = sdr(y, x, n * ch);
    TAP_OK(after > before + 6, "%zu clipped samples (%.1f %%): SDR against the unclipped signal %.1f -> %.1f dB (+6 at least)",
           nclip, 100.0 * nclip / (n * ch), before, after);
    TAP_OK(clipped == (long long)nclip, "the count of rebuilt samples (%lld) is the count clipped", clipped);
    run(&k, 0, c, y2, n, ch, 1, &clipped, &clicks);
    TAP_OK(!memcmp(y, y2, n * ch * sizeof *y), "the same output fed one frame at a time");
    free(x), free(c), free(y), free(y2);
}

static void test_declick(void)
{
    size_t n = RATE * 2;
    float *x = voice(n, 1), *c = malloc(n * sizeof *c), *y = malloc(n * sizeof *y);
    memcpy(c, x, n * sizeof *c);
    int inserted = 0;
    for (size_t at = 2000; at + 10 < n; at += 4801, inserted++) /* 1 to 4 samples, either sign */
        for (size_t j = 0; j <= (at / 4801) % 4; j++) c[at + j] += (float)((inserted % 2 ? -0.3 : 0.35) * (1 - 0.2 * j));
    long long clipped, clicks;
    run(NULL, REEL_CLICK_THRESHOLD, c, y, n, 1, 1000, &clipped, &clicks);
    double before = sdr(c, x, n), after = sdr(y, x, n);
    TAP_OK(clicks >= inserted * 9 / 10 && clicks <= inserted + 2, "%d clicks inserted, %lld found", inserted, clicks);
    TAP_OK(after > before + 10, "clicks removed: SDR %.1f -> %.1f dB (+10 at least)", before, after);
    run(NULL, REEL_CLICK_THRESHOLD, x, y, n, 1, 1000, &clipped, &clicks);
    TAP_OK(clicks == 0 && sdr(y, x, n) > 100, "a signal without clicks: none found, nothing changed (%lld)", clicks);
    TAP_OK(!reel_restore_new(RATE, 0, NULL, 10) && !reel_restore_new(RATE, 1, NULL, -1), "no channels, a negative threshold: refused");
    free(x), free(c), free(y);
}

int main(void)
{
    test_ar();
    test_scan();
    test_declip();
    test_declick();
    return tap_done();
}
