/* Look-ahead true-peak limiter (see limiter.h).
 *
 * Timeline: when input frame j arrives, the true peak of frame m = j - 16 is known (its
 * interpolation reaches 16 frames ahead), hence the gain it needs, r[m]. The held gain
 * h[k] = min(r[k .. k+L-1]) is then known for k = m - L + 1, and the applied gain
 * g[k] = mean(h[k-L+1 .. k]) (each term is a minimum over a window that holds k, so g[k] <= r[k]),
 * then released. Output frame k leaves L + 15 frames after it came in. */
#include "audio/limiter.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { TAPS = 32, AHEAD = 16, MAXP = 32 }; /* interpolation: 15 frames back, 16 ahead */

struct reel_limiter {
    int ch;
    size_t L, R;              /* look-ahead frames; ring size (power of two) */
    double ceil, rel;
    double gain_bound;        /* the largest sum of |taps| over the phases: |interpolated| <= it x max|x| */
    long long last_hot;       /* the last frame in with |x| x gain_bound over the ceiling */
    int P;                    /* oversampling: 8x, more under 48 kHz (at least 384 kHz in all) */
    float fir[MAXP - 1][TAPS];/* phases 1/P .. (P-1)/P */
    float *x;                 /* input ring, R frames */
    double *rv;               /* needed gain r, ring */
    size_t *dq;               /* sliding-minimum deque of indices into rv */
    size_t dq_head, dq_len;
    double *h, hsum;          /* held gains, ring; running sum of the last L */
    double g_prev;
    long long in, out, total; /* frames in, frames out, frames to output in all (-1: unknown) */
    double min_gain;
    long long limited;
};

static double bessel_i0(double x)
{
    double sum = 1, term = 1;
    for (int k = 1; k < 40; k++) {
        term *= (x / (2 * k)) * (x / (2 * k));
        sum += term;
    }
    return sum;
}

/* Kaiser-windowed sinc, beta 5 over +-16.5 frames: under 0.05 dB of error up to 0.45 fs. */
static void design(reel_limiter *l)
{
    for (int p = 1; p < l->P; p++) {
        double sum = 0;
        for (int t = 0; t < TAPS; t++) {
            double x = (t - (AHEAD - 1)) - (double)p / l->P; /* tap t: frame m - 15 + t; point m + p/P */
            double s = fabs(x) < 1e-12 ? 1 : sin(M_PI * x) / (M_PI * x), r = x / (TAPS / 2 + 0.5);
            double w = bessel_i0(5 * sqrt(fmax(0, 1 - r * r))) / bessel_i0(5);
            l->fir[p - 1][t] = (float)(s * w);
            sum += s * w;
        }
        double abs_sum = 0;
        for (int t = 0; t < TAPS; t++) {
            l->fir[p - 1][t] = (float)(l->fir[p - 1][t] / sum);
            abs_sum += fabs(l->fir[p - 1][t]);
        }
        l->gain_bound = fmax(l->gain_bound, abs_sum * 1.0001);
    }
}

reel_limiter *reel_limiter_new(int rate, int channels, double ceiling_db, double lookahead_ms,
                               double release_ms)
{
    if (rate <= 0 || channels <= 0 || lookahead_ms <= 0 || release_ms <= 0) return NULL;
    reel_limiter *l = calloc(1, sizeof *l);
    if (!l) return NULL;
    l->ch = channels;
    l->P = (384000 + rate - 1) / rate;
    l->P = l->P < 8 ? 8 : l->P > MAXP ? MAXP : l->P;
    l->L = (size_t)fmax(1, round(lookahead_ms * rate / 1000));
    for (l->R = 64; l->R < 2 * l->L + 2 * TAPS; l->R *= 2) {}
    l->ceil = pow(10, ceiling_db / 20);
    l->rel = 1 - exp(-1000.0 / (release_ms * rate));
    l->x = calloc(l->R * (size_t)channels, sizeof *l->x);
    l->rv = calloc(l->R, sizeof *l->rv);
    l->dq = calloc(l->R, sizeof *l->dq);
    l->h = calloc(l->R, sizeof *l->h);
    if (!l->x || !l->rv || !l->dq || !l->h) {
        reel_limiter_free(l);
        return NULL;
    }
    l->g_prev = 1;
    l->min_gain = 1;
    l->total = -1;
    l->last_hot = -(1LL << 40);
    design(l);
    return l;
}

size_t reel_limiter_latency(const reel_limiter *l) { return l->L + AHEAD - 1; }

static float xin(const reel_limiter *l, long long f, int c)
{
    return f < 0 ? 0 : l->x[((size_t)f & (l->R - 1)) * (size_t)l->ch + (size_t)c];
}

/* True peak of frame m: the sample and the P - 1 points after it, over all channels; 0 when no
 * sample within the interpolator's reach is loud enough for any of them to reach the ceiling
 * (then the value does not matter). */
static double peak(const reel_limiter *l, long long m)
{
    double pk = 0;
    if (l->last_hot < m - (AHEAD - 1)) return 0; /* nothing in reach can come near the ceiling */
    for (int c = 0; c < l->ch; c++) {
        pk = fmax(pk, fabs(xin(l, m, c)));
        float w[TAPS];
        for (int t = 0; t < TAPS; t++) w[t] = xin(l, m - (AHEAD - 1) + t, c);
        for (int p = 0; p < l->P - 1; p++) {
            float s = 0;
            for (int t = 0; t < TAPS; t++) s += l->fir[p][t] * w[t];
            pk = fmax(pk, fabs(s));
        }
    }
    return pk;
}

/* r[m] known: push it into the sliding minimum; return h for k = m - L + 1. */
static double held(reel_limiter *l, long long m, double r)
{
    size_t R = l->R;
    l->rv[(size_t)m & (R - 1)] = r;
    while (l->dq_len && l->rv[l->dq[(l->dq_head + l->dq_len - 1) & (R - 1)] & (R - 1)] >= r) l->dq_len--;
    l->dq[(l->dq_head + l->dq_len++) & (R - 1)] = (size_t)m;
    long long k = m - (long long)l->L + 1;
    while ((long long)l->dq[l->dq_head & (R - 1)] < k) l->dq_head++, l->dq_len--;
    return l->rv[l->dq[l->dq_head & (R - 1)] & (R - 1)];
}

/* Advance one frame (already in the input ring as frame l->in); emit at most one frame. */
static size_t step(reel_limiter *l, float *out)
{
    long long j = l->in++, m = j - AHEAD;
    if (m < 0) return 0;
    double pk = peak(l, m), r = pk > l->ceil ? l->ceil / pk : 1;
    double hk = held(l, m, r);
    long long k = m - (long long)l->L + 1;
    if (k < 0) return 0;
    size_t R = l->R;
    if (k == 0) { /* the frames before the first stand in with the first's held gain, which */
        for (long long i = -(long long)l->L; i < 0; i++) l->h[(size_t)i & (R - 1)] = hk; /* covers */
        l->hsum = (double)l->L * hk;                                          /* frames 0..L-1 */
    }
    l->hsum += hk - l->h[(size_t)(k - (long long)l->L) & (R - 1)];
    l->h[(size_t)k & (R - 1)] = hk;
    if ((k & 0xffff) == 0) { /* keep the running sum exact */
        l->hsum = 0;
        for (size_t i = 0; i < l->L; i++) l->hsum += l->h[(size_t)(k - (long long)i) & (R - 1)];
    }
    double g = fmin(1, l->hsum / (double)l->L); /* mean of the last L held gains */
    if (g > l->g_prev) g = l->g_prev + (g - l->g_prev) * l->rel;
    l->g_prev = g;
    if (l->total >= 0 && l->out >= l->total) return 0;
    if (g < 1) l->limited++;
    if (g < l->min_gain) l->min_gain = g;
    for (int c = 0; c < l->ch; c++) out[c] = (float)(xin(l, k, c) * g);
    l->out++;
    return 1;
}

size_t reel_limiter_run(reel_limiter *l, const float *in, float *out, size_t nb)
{
    size_t written = 0;
    if (l->total >= 0) return 0; /* flushed: the stream has ended */
    for (size_t i = 0; i < nb; i++) {
        const float *f = in + i * (size_t)l->ch;
        for (int c = 0; c < l->ch; c++)
            if (fabsf(f[c]) * l->gain_bound > l->ceil) l->last_hot = l->in;
        memcpy(l->x + ((size_t)l->in & (l->R - 1)) * (size_t)l->ch, f, sizeof(float) * (size_t)l->ch);
        written += step(l, out + written * (size_t)l->ch);
    }
    return written;
}

size_t reel_limiter_flush(reel_limiter *l, float *out)
{
    size_t written = 0;
    if (l->total < 0) l->total = l->in; /* a second flush writes nothing more */
    while (l->out < l->total) {
        memset(l->x + ((size_t)l->in & (l->R - 1)) * (size_t)l->ch, 0, sizeof(float) * (size_t)l->ch);
        written += step(l, out + written * (size_t)l->ch);
    }
    return written;
}

double reel_limiter_max_reduction_db(const reel_limiter *l) { return l->min_gain < 1 ? -20 * log10(l->min_gain) : 0; }
long long reel_limiter_frames_limited(const reel_limiter *l) { return l->limited; }

void reel_limiter_free(reel_limiter *l)
{
    if (!l) return;
    free(l->x);
    free(l->rv);
    free(l->dq);
    free(l->h);
    free(l);
}
