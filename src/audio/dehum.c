/* Mains hum detection and removal (see dehum.h). */
#include "audio/dehum.h"
#include "audio/fbuf.h"
#include "audio/fft.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- detection ---------------------------------------------------------------------------- */

struct reel_hum_detect {
    int rate, ch, m;           /* rate: after decimation; m: FFT size, 0.25 Hz or finer */
    int dec, dfill;            /* decimation (the search stops at 4 kHz): 1 in dec samples, averaged */
    float dsum;
    reel_fft *fft;
    float *frame, *win, *re, *im;
    double *power;             /* summed power spectra */
    int fill, frames;
    long long samples;
};

reel_hum_detect *reel_hum_detect_new(int rate, int channels)
{
    if (rate < 8000 || channels < 1) return NULL;
    reel_hum_detect *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->dec = rate >= 24000 ? rate / 12000 : 1;
    h->rate = rate / h->dec, h->ch = channels, h->m = 1024;
    while (h->m < (1 << 20) && h->m < 4 * h->rate) h->m *= 2;
    int b = h->m / 2 + 1;
    h->fft = reel_fft_new(h->m);
    h->frame = calloc((size_t)h->m, sizeof *h->frame), h->win = malloc((size_t)h->m * sizeof *h->win);
    h->re = malloc((size_t)b * sizeof *h->re), h->im = malloc((size_t)b * sizeof *h->im);
    h->power = calloc((size_t)b, sizeof *h->power);
    if (!h->fft || !h->frame || !h->win || !h->re || !h->im || !h->power) {
        reel_hum_detect_free(h);
        return NULL;
    }
    for (int i = 0; i < h->m; i++) h->win[i] = (float)(0.5 - 0.5 * cos(2 * M_PI * i / h->m));
    return h;
}

void reel_hum_detect_free(reel_hum_detect *h)
{
    if (!h) return;
    reel_fft_free(h->fft);
    free(h->frame), free(h->win), free(h->re), free(h->im), free(h->power);
    free(h);
}

/* Add the spectrum of the frame as it is (zeros past fill when partial). */
static void add_frame(reel_hum_detect *h)
{
    float *x = malloc((size_t)h->m * sizeof *x);
    if (!x) return;
    for (int i = 0; i < h->m; i++) x[i] = h->frame[i] * h->win[i];
    reel_fft_forward(h->fft, x, h->re, h->im);
    for (int b = 0; b <= h->m / 2; b++) h->power[b] += (double)h->re[b] * h->re[b] + (double)h->im[b] * h->im[b];
    h->frames++;
    free(x);
}

void reel_hum_detect_feed(reel_hum_detect *h, const float *x, size_t nb)
{
    for (size_t i = 0; i < nb; i++) {
        for (int c = 0; c < h->ch; c++) h->dsum += x[i * (size_t)h->ch + (size_t)c];
        h->samples++;
        if (++h->dfill < h->dec) continue;
        h->frame[h->fill++] = h->dsum / (float)h->dec;
        h->dsum = 0, h->dfill = 0;
        if (h->fill == h->m) {
            add_frame(h);
            memmove(h->frame, h->frame + h->m / 2, (size_t)(h->m / 2) * sizeof *h->frame);
            h->fill = h->m / 2;
        }
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* How far the line near f stands over the spectrum 4 to 12 Hz either side (dB), its refined
 * frequency, and its power over the neighbourhood's. */
static double line_at(const double *p, int bins, double df, double f, double *freq, double *excess)
{
    int lo = (int)ceil((f - 2) / df), hi = (int)floor((f + 2) / df), best = lo;
    if (lo < 1 || (int)((f + 12) / df) >= bins - 1) return -99;
    for (int b = lo; b <= hi; b++)
        if (p[b] > p[best]) best = b;
    double nb[512];
    int n = 0;
    for (int b = (int)ceil((f - 12) / df); b <= (int)floor((f + 12) / df) && n < 512; b++)
        if (fabs(b * df - f) >= 4) nb[n++] = p[b];
    if (!n) return -99;
    qsort(nb, (size_t)n, sizeof *nb, cmp_double);
    double med = nb[n / 2] + 1e-30;
    double l0 = log(p[best - 1] + 1e-30), l1 = log(p[best] + 1e-30), l2 = log(p[best + 1] + 1e-30);
    double den = l0 - 2 * l1 + l2, delta = den < 0 ? 0.5 * (l0 - l2) / den : 0;
    *freq = (best + fmax(-0.5, fmin(0.5, delta))) * df;
    double e = 0; /* the line's power: the Hann main lobe, +-2 bins */
    for (int b = best - 2; b <= best + 2; b++) e += fmax(0, p[b] - med);
    *excess = e;
    return 10 * log10(p[best] / med);
}

/* The harmonics of f present in p, into hum (unless it holds stronger hum already). The first line
 * found at 1 to 3 times f sets the fundamental, refined by each line accepted after it; a line
 * counts only where that fundamental puts it (within 0.2 Hz plus 0.005 Hz per harmonic): a voice
 * or an instrument holding a note near some multiple of the mains is not hum. */
static void try_mains(const reel_hum_detect *h, double f, reel_hum *hum)
{
    reel_hum t = {0};
    int bins = h->m / 2 + 1;
    double df = (double)h->rate / h->m, num = 0, den = 0, excess = 0, total = 0, f1 = 0;
    for (int b = 1; b < bins; b++) total += h->power[b];
    for (int k = 1; k * f <= fmin(4000, 0.45 * h->rate) && t.n < REEL_HUM_MAX; k++) {
        double fk, ek, over = line_at(h->power, bins, df, k * f, &fk, &ek);
        if (over < 10 || (f1 > 0 ? fabs(fk - k * f1) >= 0.2 + 0.005 * k : k > 3)) continue;
        t.k[t.n] = k, t.over_db[t.n++] = over;
        num += k * fk, den += (double)k * k, excess += ek;
        f1 = num / den;
    }
    /* two lines, or one low line standing far out: a steady tone at 50 or 60 Hz (or twice or
     * three times that) within a fraction of a hertz is mains, not voice or music */
    if (!f1 || (t.n < 2 && t.over_db[0] < 15)) return;
    t.f0 = num / den;
    t.level_db = total > 0 && excess > 0 ? 10 * log10(excess / total) : -99;
    if (hum->n && hum->level_db >= t.level_db) return; /* both mains: the stronger */
    t.seconds = hum->seconds;
    *hum = t;
}

void reel_hum_detect_result(reel_hum_detect *h, reel_hum *hum)
{
    memset(hum, 0, sizeof *hum);
    hum->seconds = (double)h->samples / (h->rate * h->dec);
    if (!h->frames && h->fill < h->m / 4) return; /* under a second: too short to tell */
    double *saved = NULL;
    int frames = h->frames;
    if (!h->frames) { /* one partial frame, counted without changing the running state */
        if (!(saved = malloc((size_t)(h->m / 2 + 1) * sizeof *saved))) return;
        memcpy(saved, h->power, (size_t)(h->m / 2 + 1) * sizeof *saved);
        add_frame(h);
    }
    try_mains(h, 50, hum);
    try_mains(h, 60, hum);
    if (saved) {
        memcpy(h->power, saved, (size_t)(h->m / 2 + 1) * sizeof *saved);
        h->frames = frames;
        free(saved);
    }
}

/* ---- removal ------------------------------------------------------------------------------ */

enum { STAGES = 4 };

/* Four moving averages of L blocks in cascade over vectors of w complex values (the last one
 * the indicator: 1 for a block of input, 0 before the start and past the end). */
typedef struct cascade {
    int L, w, pos;
    float *ring;               /* STAGES x L x w x 2 */
    double *sum;               /* STAGES x w x 2 */
} cascade;

struct reel_dehum {
    int rate, ch, nh, B, h;    /* B: block length; h: half a block */
    double w[REEL_HUM_MAX];    /* radians per sample of each harmonic */
    double rc[REEL_HUM_MAX], rs[REEL_HUM_MAX]; /* cos and sin of w */
    double c2[REEL_HUM_MAX];   /* 2 cos w: the Goertzel and oscillator recurrences */
    cascade cs;
    double *g1, *g2;           /* the current block's Goertzel states s[n-1], s[n-2]: ch x nh */
    double *acc;               /* the block's demodulated sums, once it is complete: ch x nh x 2 */
    double *vin, *vout;        /* a block's vector into and out of the cascade */
    double *a0, *a1;           /* the last two smoothed amplitudes: ch x nh x 2 */
    float *delay;              /* input samples waiting for their hum estimate: ring of cap frames */
    long long cap;
    long long in, blocks, steps, smoothed, out; /* samples in, blocks in, cascade steps, smoothed blocks, samples out */
    int fill, flushing;
    double e_in, e_hum;
    float *scratch;
    size_t scap;
};

static int cascade_init(cascade *c, int L, int w)
{
    c->L = L, c->w = w;
    c->ring = calloc((size_t)STAGES * (size_t)L * (size_t)w * 2, sizeof *c->ring);
    c->sum = calloc((size_t)STAGES * (size_t)w * 2, sizeof *c->sum);
    return c->ring && c->sum ? 0 : -1;
}

/* Push one vector (w complex, interleaved) through; out: the cascade's output, centred
 * 2 (L - 1) steps back. */
static void cascade_step(cascade *c, const double *in, double *out)
{
    size_t w2 = (size_t)c->w * 2;
    const double *x = in;
    for (int s = 0; s < STAGES; s++) {
        float *r = c->ring + ((size_t)s * (size_t)c->L + (size_t)c->pos) * w2;
        double *sum = c->sum + (size_t)s * w2;
        for (size_t i = 0; i < w2; i++) {
            sum[i] += x[i] - r[i];
            r[i] = (float)x[i];
            out[i] = sum[i] / c->L;
        }
        x = out;
    }
    c->pos = (c->pos + 1) % c->L;
}

reel_dehum *reel_dehum_new(int rate, int channels, const reel_hum *hum)
{
    if (rate < 8000 || channels < 1 || !hum || hum->n < 1 || hum->n > REEL_HUM_MAX || !(hum->f0 >= 40 && hum->f0 <= 70))
        return NULL;
    reel_dehum *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->rate = rate, d->ch = channels, d->nh = hum->n;
    d->B = rate / 250, d->h = d->B / 2;
    for (int i = 0; i < d->nh; i++) {
        d->w[i] = 2 * M_PI * hum->f0 * hum->k[i] / rate;
        d->rc[i] = cos(d->w[i]), d->rs[i] = sin(d->w[i]), d->c2[i] = 2 * d->rc[i];
    }
    int L = 2 * (int)lround(0.5 * rate / d->B) + 1; /* 1 s, odd: the average is centred */
    size_t v = (size_t)channels * (size_t)d->nh * 2;
    d->cap = (long long)(2 * (L - 1) + 4) * d->B;
    int ok = !cascade_init(&d->cs, L, channels * d->nh + 1) && (d->acc = calloc(v, sizeof *d->acc)) &&
             (d->g1 = calloc(v / 2, sizeof *d->g1)) && (d->g2 = calloc(v / 2, sizeof *d->g2)) &&
             (d->vin = calloc(v + 2, sizeof *d->vin)) && (d->vout = calloc(v + 2, sizeof *d->vout)) &&
             (d->a0 = calloc(v, sizeof *d->a0)) && (d->a1 = calloc(v, sizeof *d->a1)) &&
             (d->delay = calloc((size_t)d->cap * (size_t)channels, sizeof *d->delay));
    if (!ok) {
        reel_dehum_free(d);
        return NULL;
    }
    return d;
}

void reel_dehum_free(reel_dehum *d)
{
    if (!d) return;
    free(d->cs.ring), free(d->cs.sum), free(d->acc), free(d->g1), free(d->g2), free(d->vin), free(d->vout), free(d->a0), free(d->a1);
    free(d->delay), free(d->scratch);
    free(d);
}

size_t reel_dehum_latency(const reel_dehum *d) { return (size_t)d->cap; }

double reel_dehum_removed_db(const reel_dehum *d)
{
    return d->e_in > 0 && d->e_hum > 0 ? 10 * log10(d->e_hum / d->e_in) : -99;
}

/* Subtract the hum from ring frames [p, p + n), samples from .. from + n - 1 of the input, with
 * each harmonic's complex amplitude moving linearly from a0 at base to a1 at base + B. The
 * harmonic is Re(a0 e^{iwj}) + f Re((a1 - a0) e^{iwj}), f = (j - base) / B; each of the two
 * sinusoids follows y[j+1] = 2 cos w y[j] - y[j-1], seeded exactly at the run's start. The
 * harmonics advance side by side, sample by sample (independent recurrences the processor
 * overlaps and the compiler vectorises). Returns the energy taken out. */
static double subtract_run(reel_dehum *d, long long base, long long from, size_t p, size_t n)
{
    double u[REEL_HUM_MAX], u1[REEL_HUM_MAX], v[REEL_HUM_MAX], v1[REEL_HUM_MAX], t[REEL_HUM_MAX];
    double e = 0, inv_b = 1.0 / d->B;
    int nh = d->nh;
    size_t nch = (size_t)d->ch;
    for (size_t ch = 0; ch < nch; ch++) {
        const double *a0 = d->a0 + ch * (size_t)nh * 2, *a1 = d->a1 + ch * (size_t)nh * 2;
        for (int k = 0; k < nh; k++) {
            double ph = fmod(d->w[k] * (double)from, 2 * M_PI), c = cos(ph), s = sin(ph);
            double cp = c * d->rc[k] + s * d->rs[k], sp = s * d->rc[k] - c * d->rs[k]; /* one sample back */
            double ar = a0[2 * k], ai = a0[2 * k + 1], dr = a1[2 * k] - ar, di = a1[2 * k + 1] - ai;
            u[k] = ar * c - ai * s, u1[k] = ar * cp - ai * sp;
            v[k] = dr * c - di * s, v1[k] = dr * cp - di * sp;
        }
        size_t q = p;
        for (size_t i = 0; i < n; i++) {
            double f = (double)(from + (long long)i - base) * inv_b, h0 = 0, h1 = 0;
            for (int k = 0; k < nh; k++) {
                t[k] = u[k] + f * v[k];
                double un = d->c2[k] * u[k] - u1[k], vn = d->c2[k] * v[k] - v1[k];
                u1[k] = u[k], u[k] = un, v1[k] = v[k], v[k] = vn;
            }
            int k = 0;
            for (; k + 1 < nh; k += 2) h0 += t[k], h1 += t[k + 1];
            if (k < nh) h0 += t[k];
            double hv = 2 * (h0 + h1);
            float *x = d->delay + q * nch + ch;
            *x = (float)(*x - hv);
            e += hv * hv;
            if (++q == (size_t)d->cap) q = 0;
        }
    }
    return e;
}

/* Output samples [from, to) with the amplitude moving linearly from a0 at base to a1 at base + B. */
static size_t emit(reel_dehum *d, long long base, long long from, long long to, float *out)
{
    size_t cap = (size_t)d->cap, nch = (size_t)d->ch, p0 = (size_t)(from % d->cap), n = (size_t)(to - from);
    size_t first = n < cap - p0 ? n : cap - p0; /* the run up to the ring's end, then the rest */
    d->e_hum += subtract_run(d, base, from, p0, first);
    if (first < n) d->e_hum += subtract_run(d, base, from + (long long)first, 0, n - first);
    memcpy(out, d->delay + p0 * nch, first * nch * sizeof *out);
    if (first < n) memcpy(out + first * nch, d->delay, (n - first) * nch * sizeof *out);
    return n;
}

/* One cascade step (the block just completed, or an empty one while flushing); when it yields
 * a smoothed block, the samples it completes go out. */
static size_t step(reel_dehum *d, int have_block, double weight, float *out)
{
    size_t v = (size_t)d->ch * (size_t)d->nh * 2;
    for (size_t i = 0; i < v; i++) d->vin[i] = have_block ? d->acc[i] / d->B : 0;
    d->vin[v] = weight, d->vin[v + 1] = 0;
    memset(d->acc, 0, v * sizeof *d->acc);
    cascade_step(&d->cs, d->vin, d->vout);
    long long j = d->steps++ - 2 * (d->cs.L - 1); /* the block the output is centred on */
    if (j < 0) return 0;
    double norm = d->vout[v] > 1e-9 ? 1 / d->vout[v] : 0;
    memcpy(d->a0, d->a1, v * sizeof *d->a0);
    for (size_t i = 0; i < v; i++) d->a1[i] = d->vout[i] * norm;
    d->smoothed = j + 1;
    long long to = j * d->B + d->h;
    if (to > d->in) to = d->in;
    if (j == 0) memcpy(d->a0, d->a1, v * sizeof *d->a0);
    long long from = j == 0 ? 0 : (j - 1) * d->B + d->h;
    if (from < d->out) from = d->out;
    if (to <= from) return 0;
    size_t w = emit(d, (j - 1) * d->B + d->h, from, to, out);
    d->out = to;
    return w;
}

/* Demodulate one input frame into the current block: a Goertzel step per harmonic and channel,
 * s[n] = x[n] + 2 cos w s[n-1] - s[n-2] (3 operations where turning a phasor takes 8). */
static void demodulate(reel_dehum *d, const float *x)
{
    int nh = d->nh;
    for (int ch = 0; ch < d->ch; ch++) {
        double xv = x[ch], *restrict g1 = d->g1 + (size_t)ch * (size_t)nh, *restrict g2 = d->g2 + (size_t)ch * (size_t)nh;
        for (int k = 0; k < nh; k++) {
            double s0 = xv + d->c2[k] * g1[k] - g2[k];
            g2[k] = g1[k], g1[k] = s0;
        }
    }
}

/* The block of n samples just completed (its last one, d->in - 1): its sums of x[j] e^{-iwj}
 * into acc, and the Goertzel states cleared. Goertzel gives sum x[m] e^{iw(n-1-m)} over the block
 * as s[n-1] - e^{-iw} s[n-2]; turned by e^{-iw (in - 1)} it is the sum over absolute j. */
static void finish_block(reel_dehum *d)
{
    int nh = d->nh;
    for (int k = 0; k < nh; k++) {
        double ph = fmod(d->w[k] * (double)(d->in - 1), 2 * M_PI), c = cos(ph), s = sin(ph);
        for (int ch = 0; ch < d->ch; ch++) {
            size_t j = (size_t)ch * (size_t)nh + (size_t)k;
            double yr = d->g1[j] - d->rc[k] * d->g2[j], yi = d->rs[k] * d->g2[j];
            d->acc[2 * j] = c * yr + s * yi, d->acc[2 * j + 1] = c * yi - s * yr;
            d->g1[j] = d->g2[j] = 0;
        }
    }
}

size_t reel_dehum_run(reel_dehum *d, const float *in, float *out, size_t nb)
{
    size_t n = nb * (size_t)d->ch, w = 0;
    if (d->flushing || reel_floats_reserve(&d->scratch, &d->scap, n)) return 0;
    memcpy(d->scratch, in, n * sizeof *in);
    size_t pos = (size_t)(d->in % d->cap);
    for (size_t i = 0; i < nb; i++) {
        const float *x = d->scratch + i * (size_t)d->ch;
        memcpy(d->delay + pos * (size_t)d->ch, x, (size_t)d->ch * sizeof *x);
        if (++pos == (size_t)d->cap) pos = 0;
        for (int c = 0; c < d->ch; c++) d->e_in += (double)x[c] * x[c];
        demodulate(d, x);
        d->in++;
        if (++d->fill == d->B) {
            finish_block(d);
            d->fill = 0;
            d->blocks++;
            w += step(d, 1, 1, out + w * (size_t)d->ch);
        }
    }
    return w;
}

size_t reel_dehum_flush(reel_dehum *d, float *out)
{
    size_t w = 0;
    if (d->flushing) return 0;
    d->flushing = 1;
    if (d->fill) { /* the partial last block: its mean over the samples it has */
        finish_block(d);
        w += step(d, 1, (double)d->fill / d->B, out); /* its sums over B: the weight times its mean */
        d->fill = 0, d->blocks++;
    }
    while (d->smoothed < d->blocks) w += step(d, 0, 0, out + w * (size_t)d->ch);
    if (d->out < d->in) { /* past the last block's centre: its amplitude held */
        memcpy(d->a0, d->a1, (size_t)d->ch * (size_t)d->nh * 2 * sizeof *d->a0);
        w += emit(d, d->out, d->out, d->in, out + w * (size_t)d->ch);
        d->out = d->in;
    }
    return w;
}
