/* The true-peak limiter: sample-exact pass-through under the ceiling (latency compensated), true
 * peak (measured independently by libebur128) never over the ceiling on signals built to have
 * inter-sample peaks, gain reduction that recovers, any channel count, any block size. */
#include "audio/limiter.h"
#include "audio/loudness.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { RATE = 48000 };

/* Run the limiter over x (n frames) in blocks of `block`, into y (n frames). Frames written. */
static size_t run(reel_limiter *l, const float *x, float *y, size_t n, int ch, size_t block)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i += block) {
        size_t k = n - i < block ? n - i : block;
        w += reel_limiter_run(l, x + i * ch, y + w * ch, k);
    }
    return w + reel_limiter_flush(l, y + w * ch);
}

static double tp_db(const float *y, size_t n, int ch)
{
    reel_loudness m;
    return reel_loudness_measure(y, n, RATE, ch, &m) ? 99 : m.true_peak;
}

int main(void)
{
    reel_init();
    size_t n = RATE * 4;
    float *x = malloc(n * 2 * sizeof *x), *y = malloc(n * 2 * sizeof *y);
    unsigned seed = 1;
    /* speech-like: noise bursts at -20 dBFS under the ceiling */
    for (size_t i = 0; i < n * 2; i++) {
        seed = seed * 1103515245u + 12345u;
        x[i] = (float)(0.1 * (((seed >> 8) & 0xffff) / 32768.0 - 1) * (0.5 + 0.5 * sin(i * 0.0001)));
    }
    reel_limiter *l = reel_limiter_new(RATE, 2, -1, 5, 80);
    size_t w = run(l, x, y, n, 2, 997);
    TAP_EQ_INT((int)w, (int)n, "as many frames out as in");
    TAP_OK(!memcmp(x, y, n * 2 * sizeof *x), "under the ceiling: output identical to input, sample for sample");
    TAP_OK(reel_limiter_frames_limited(l) == 0, "nothing limited");
    reel_limiter_free(l);

    /* fs/4 sine with samples at 0 dBFS: true peak +3 dBTP, to be brought under -1 dBTP */
    for (size_t i = 0; i < n; i++)
        x[2 * i] = x[2 * i + 1] = (float)(sqrt(2.0) * sin(M_PI / 2 * i + M_PI / 4) * (i > n / 4 && i < n / 2 ? 1 : 0.1));
    l = reel_limiter_new(RATE, 2, -1, 5, 80);
    w = run(l, x, y, n, 2, 4096);
    double tp = tp_db(y, n, 2);
    TAP_OK(w == n && tp <= -1.0 + 0.05, "fs/4 sine at +3 dBTP limited to %.2f dBTP (ceiling -1)", tp);
    double steady = 20 * log10(fabs(y[2 * (3 * n / 8)] / x[2 * (3 * n / 8)]));
    TAP_OK(fabs(steady + 4.01) < 0.1, "steady gain in the loud part %.2f dB (exactly enough: -4.01)", steady);
    double late = 0;
    for (size_t i = n * 3 / 4; i < n; i++) late = fmax(late, fabs(y[2 * i] - x[2 * i]));
    TAP_OK(late < 1e-6, "the gain recovers after the loud part (max difference %.2g at the end)", late);
    double early = 0;
    for (size_t i = 0; i < n / 4 - RATE / 100; i++) early = fmax(early, fabs(y[2 * i] - x[2 * i]));
    TAP_OK(early < 1e-6, "and is untouched until 10 ms before it (look-ahead only: %.2g)", early);
    reel_limiter_free(l);

    /* white noise pushed to +6 dBFS peaks, 6 channels, tiny blocks */
    size_t n6 = RATE * 2;
    float *x6 = malloc(n6 * 6 * sizeof *x6), *y6 = malloc(n6 * 6 * sizeof *y6);
    for (size_t i = 0; i < n6 * 6; i++) {
        seed = seed * 1103515245u + 12345u;
        x6[i] = (float)(2.0 * (((seed >> 8) & 0xffff) / 32768.0 - 1));
    }
    l = reel_limiter_new(RATE, 6, -2, 1.5, 50);
    w = run(l, x6, y6, n6, 6, 7);
    tp = tp_db(y6, n6, 6);
    TAP_OK(w == n6 && tp <= -2.0 + 0.05, "6 channels of noise at +6 dBFS: %.2f dBTP (ceiling -2), blocks of 7 frames", tp);
    reel_limiter_free(l);
    /* bright noise (most of its energy near Nyquist: x[n] = -0.9 x[n-1] + w) and a 0.45 fs tone
     * stepping up in level: where peaks fall between samples at high frequency */
    float prev = 0;
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        prev = (float)(-0.9 * prev + 0.5 * (((seed >> 8) & 0xffff) / 32768.0 - 1));
        x[2 * i] = prev;
        x[2 * i + 1] = (float)((i < n / 2 ? 0.3 : 1.2) * sin(2 * M_PI * 0.45 * i + 0.3));
    }
    l = reel_limiter_new(RATE, 2, -1, 5, 80);
    w = run(l, x, y, n, 2, 512);
    tp = tp_db(y, n, 2);
    TAP_OK(w == n && tp <= -1.0 + 0.05, "bright noise and a 0.45 fs tone: %.2f dBTP (ceiling -1)", tp);
    reel_limiter_free(l);
    TAP_OK(reel_limiter_new(RATE, 0, -1, 5, 80) == NULL, "no channels: refused");
    free(x), free(y), free(x6), free(y6);
    return tap_done();
}
