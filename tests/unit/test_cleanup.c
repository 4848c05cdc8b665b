/* Dialogue cleanup: the FFT against a direct DFT; the noise suppressor's exact pass-through at
 * strength 0 (perfect reconstruction, delay compensated, any block size, any channel count) and
 * its SI-SDR gain on a voiced signal in noise; hum detection (50 and 60 Hz, frequency offsets, no
 * false alarm on noise or on a steady tone off the mains) and removal (the hum goes, a tone
 * between the harmonics stays, sample for sample aligned). */
#include "audio/dehum.h"
#include "audio/denoise.h"
#include "audio/fft.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static unsigned seed = 7;
static double noise(void) /* uniform, zero mean, variance 1 */
{
    seed = seed * 1103515245u + 12345u;
    return (((seed >> 8) & 0xffff) / 32768.0 - 1) * sqrt(3.0);
}

static double sisdr(const float *est, const float *ref, size_t n)
{
    double er = 0, rr = 0, me = 0, mr = 0;
    for (size_t i = 0; i < n; i++) me += est[i], mr += ref[i];
    me /= n, mr /= n;
    for (size_t i = 0; i < n; i++) er += (est[i] - me) * (ref[i] - mr), rr += (ref[i] - mr) * (ref[i] - mr);
    double a = er / rr, t = 0, r = 0;
    for (size_t i = 0; i < n; i++) {
        double ti = a * (ref[i] - mr), ei = est[i] - me - ti;
        t += ti * ti, r += ei * ei;
    }
    return 10 * log10(t / r);
}

static void test_fft(void)
{
    int sizes[] = {4, 8, 16, 256, 4096};
    for (int z = 0; z < 5; z++) {
        int n = sizes[z];
        reel_fft *f = reel_fft_new(n);
        float *x = malloc(n * sizeof *x), *re = malloc((n / 2 + 1) * sizeof *re), *im = malloc((n / 2 + 1) * sizeof *im),
              *y = malloc(n * sizeof *y);
        for (int i = 0; i < n; i++) x[i] = (float)noise();
        reel_fft_forward(f, x, re, im);
        double err = 0, mag = 0;
        for (int k = 0; k <= n / 2; k++) {
            double sr = 0, si = 0;
            for (int i = 0; i < n; i++) sr += x[i] * cos(2 * M_PI * k * i / n), si -= x[i] * sin(2 * M_PI * k * i / n);
            err = fmax(err, hypot(re[k] - sr, im[k] - si)), mag = fmax(mag, hypot(sr, si));
        }
        TAP_OK(err < 1e-5 * mag * log2(n), "FFT %d: matches the direct DFT (max error %.2g of %.3g)", n, err, mag);
        reel_fft_inverse(f, re, im, y);
        double e2 = 0;
        for (int i = 0; i < n; i++) e2 = fmax(e2, fabs(y[i] - x[i]));
        TAP_OK(e2 < 1e-5, "FFT %d: inverse(forward(x)) = x (max error %.2g)", n, e2);
        reel_fft_free(f);
        free(x), free(re), free(im), free(y);
    }
    TAP_OK(!reel_fft_new(1000) && !reel_fft_new(2), "sizes that are not a power of two (or too small) refused");
}

/* Run a streaming processor over x in blocks; y gets every frame out. */
#define RUN(kind, p, x, y, n, ch, block)                                                            \
    do {                                                                                           \
        size_t w_ = 0;                                                                             \
        for (size_t i_ = 0; i_ < (n); i_ += (block)) {                                             \
            size_t k_ = (n) - i_ < (block) ? (n) - i_ : (block);                                   \
            w_ += reel_##kind##_run(p, (x) + i_ * (ch), (y) + w_ * (ch), k_);                      \
        }                                                                                          \
        w_ += reel_##kind##_flush(p, (y) + w_ * (ch));                                             \
        got = w_;                                                                                  \
    } while (0)

static void test_passthrough(void)
{
    int rate = 48000, ch = 2;
    size_t n = rate * 3 + 123, got;
    float *x = malloc(n * ch * sizeof *x), *y = calloc(n * ch + 65536, sizeof *y);
    for (size_t i = 0; i < n * ch; i++) x[i] = (float)(0.1 * noise() * (0.5 + 0.5 * sin(i * 1e-4)));
    reel_denoise *d = reel_denoise_new(rate, ch, 0);
    RUN(denoise, d, x, y, n, ch, 997);
    TAP_EQ_INT(got, n, "strength 0: as many frames out as in");
    double e = 0;
    for (size_t i = 0; i < n * ch; i++) e = fmax(e, fabs(y[i] - x[i]));
    TAP_OK(e < 1e-5, "strength 0: the output is the input, sample for sample (max error %.2g)", e);
    reel_denoise_free(d);
    d = reel_denoise_new(16000, 1, 0.7);
    float s[100], t[100 + 16384];
    for (int i = 0; i < 100; i++) s[i] = (float)(0.1 * noise());
    RUN(denoise, d, s, t, (size_t)100, 1, 7);
    TAP_EQ_INT(got, 100, "100 samples (under one frame): 100 out");
    reel_denoise_free(d);
    TAP_OK(!reel_denoise_new(48000, 1, 1.5) && !reel_denoise_new(0, 1, 0.5), "bad strength or rate refused");
    free(x), free(y);
}

/* A voiced signal: harmonics of a gliding 110-180 Hz pitch, in syllables of 200 ms with pauses. */
static void voiced(float *x, size_t n, int rate)
{
    double ph = 0;
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / rate, f0 = 145 + 35 * sin(2 * M_PI * 0.7 * t);
        ph += 2 * M_PI * f0 / rate;
        double env = fmod(t, 0.5) < 0.3 ? sin(M_PI * fmod(t, 0.5) / 0.3) : 0, v = 0;
        for (int k = 1; k * f0 < 4000; k++) v += sin(k * ph) / k;
        x[i] = (float)(0.1 * env * v);
    }
}

static void test_suppression(void)
{
    int rate = 16000;
    size_t n = rate * 10, got;
    float *s = malloc(n * sizeof *s), *x = malloc(n * sizeof *x), *y = calloc(n + 65536, sizeof *y);
    voiced(s, n, rate);
    double es = 0;
    for (size_t i = 0; i < n; i++) es += (double)s[i] * s[i];
    for (size_t i = 0; i < n; i++) x[i] = (float)(s[i] + sqrt(es / n / 10) * noise()); /* 10 dB SNR */
    double in = sisdr(x, s, n);
    reel_denoise *d = reel_denoise_new(rate, 1, 0.7);
    RUN(denoise, d, x, y, n, 1, 4096);
    double out = sisdr(y, s, n);
    TAP_OK(got == n && out > in + 5, "voiced signal in white noise at 10 dB SNR: SI-SDR %.1f -> %.1f dB (>= +5)", in, out);
    TAP_OK(reel_denoise_reduction_db(d) > 0.3, "the noise taken out shows in the reduction figure (%.2f dB; "
           "all of the noise is 0.41 dB of the input)", reel_denoise_reduction_db(d));
    reel_denoise_free(d);
    free(s), free(x), free(y);
}

static void hum_signal(float *x, size_t n, int rate, double f0, double amp)
{
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / rate, v = 0;
        for (int k = 1; k <= 9; k++) v += (k % 2 ? 1.0 : 0.3) / k * sin(2 * M_PI * f0 * k * t + k);
        x[i] = (float)(amp * v * (1 + 0.05 * sin(2 * M_PI * 0.2 * t)));
    }
}

static void test_hum(void)
{
    int rate = 48000;
    size_t n = rate * 8, got;
    float *h = malloc(n * sizeof *h), *x = malloc(n * sizeof *x), *y = calloc(n + rate * 4, sizeof *y),
          *tone = malloc(n * sizeof *tone);
    struct { double f0; } cases[] = {{50.03}, {59.97}};
    for (int c = 0; c < 2; c++) {
        hum_signal(h, n, rate, cases[c].f0, 0.02);
        for (size_t i = 0; i < n; i++) {
            tone[i] = (float)(0.1 * sin(2 * M_PI * 437 * (double)i / rate) * (0.6 + 0.4 * sin(i * 2e-5)));
            x[i] = (float)(tone[i] + h[i] + 0.002 * noise());
        }
        reel_hum_detect *hd = reel_hum_detect_new(rate, 1);
        reel_hum_detect_feed(hd, x, n);
        reel_hum hum;
        reel_hum_detect_result(hd, &hum);
        reel_hum_detect_free(hd);
        int k123 = hum.n >= 3 && hum.k[0] == 1 && hum.k[1] == 2 && hum.k[2] == 3;
        TAP_OK(fabs(hum.f0 - cases[c].f0) < 0.01 && k123, "%.2f Hz hum found: %.4f Hz, %d harmonics", cases[c].f0, hum.f0, hum.n);
        reel_dehum *d = reel_dehum_new(rate, 1, &hum);
        RUN(dehum, d, x, y, n, 1, 1000);
        TAP_EQ_INT(got, n, "dehum: as many frames out as in");
        /* against the tone: the hiss added with the hum stays, so the best there is is the tone + hiss */
        for (size_t i = 0; i < n; i++) h[i] = x[i] - h[i];
        double before = sisdr(x, tone, n), after = sisdr(y, tone, n), best = sisdr(h, tone, n);
        TAP_OK(after > before + 15 && after > best - 2, "%.2f Hz hum removed: the 437 Hz tone's SI-SDR %.1f -> %.1f dB "
               "(%.1f with no hum at all)", cases[c].f0, before, after, best);
        hum_signal(h, n, rate, cases[c].f0, 0.02);
        double eh = 0, er = 0;
        for (size_t i = 0; i < (size_t)rate; i++) eh += (double)h[i] * h[i], er += pow(y[i] - tone[i] - (x[i] - tone[i] - h[i]), 2);
        TAP_OK(10 * log10(er / eh) < -20, "the first second is cleaned too (hum left: %.1f dB)", 10 * log10(er / eh));
        reel_dehum_free(d);
    }
    for (size_t i = 0; i < n; i++) x[i] = (float)(0.05 * noise() + 0.1 * sin(2 * M_PI * 331 * (double)i / rate));
    reel_hum_detect *hd = reel_hum_detect_new(rate, 1);
    reel_hum_detect_feed(hd, x, n);
    reel_hum hum;
    reel_hum_detect_result(hd, &hum);
    reel_hum_detect_free(hd);
    TAP_OK(hum.f0 == 0 && hum.n == 0, "noise with a steady 331 Hz tone: no hum reported (f0 %.2f)", hum.f0);
    TAP_OK(!reel_dehum_new(rate, 1, &hum), "no harmonics: nothing to remove, refused");
    free(h), free(x), free(y), free(tone);
}

int main(void)
{
    test_fft();
    test_passthrough();
    test_suppression();
    test_hum();
    return tap_done();
}
