/* Spectral suppressor with a look-ahead noise estimate (see denoise.h).
 *
 * Frames: frame f is the N samples ending at input sample (f + 1) * hop. Three stages run on
 * every channel, each behind the one before by H frames (H: about 1 s):
 *   analyse   frame f: spectrum and periodogram P into a ring of frames;
 *   estimate  frame m = f - H: the noise level n0 as the 20th percentile of P over frames
 *             m - H .. m + H (a running histogram of levels in 0.5 dB steps, per bin), scaled to
 *             a mean (the periodogram of noise is exponential: its 20th percentile is 0.223 times
 *             its mean); and the weight of the frame as noise, 1 - p, p the posterior probability
 *             of speech given P / n0 (a-priori SNR of speech 15 dB, even priors);
 *   suppress  frame t = m - H: the noise level as the mean of P over t - H .. t + H weighted by
 *             how likely each frame is noise only (a percentile alone reads high where speech
 *             fills the bin half the time, a tracker that only looks back lags), raised where
 *             the local SNR is low (over-subtraction: up to 3 dB at 0 dB SNR, none at 20 dB and
 *             over); then the gain, and overlap-add.
 * Frames that hold samples from before the start or past the end (zeros) are suppressed like the
 * rest but left out of the statistics. Output lags input by 2 H hops plus N - hop samples: the
 * pre-roll is dropped and the flush pushes zeros through until every input sample is out. */
#include "audio/denoise.h"
#include "audio/fbuf.h"
#include "audio/fft.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { LEVELS = 480 };         /* periodogram histogram: 0.5 dB steps from -160 dB */
/* Tables: the LSA gain's exp(E1(v) / 2) over v = 2^-27 .. 2^5 in 64 steps per octave (placed by
 * the float's exponent and top mantissa bits); the weight as noise over x = 0 .. 32 in steps of
 * 1/64; log2 of the mantissa in 1024 steps. */
enum { LSA_OCT = 64, LSA_LO = -27, LSA_N = 32 * LSA_OCT + 1, W_STEP = 64, W_N = 32 * W_STEP + 1, MANT = 1024 };
#define LEVEL_LO (-160.0)
#define QUANTILE 0.2
#define XI1 31.62              /* a-priori SNR under speech presence, 15 dB */

typedef struct chan {
    float *in, *acc;           /* last N input samples; overlap-add accumulator */
    float *re, *im, *pw;       /* rings of R frames x bins: spectrum, periodogram */
    float *n0, *w;             /* rings: percentile noise level, weight as noise (1 - p) */
    uint16_t *lvl;             /* ring: histogram level of each P */
    double *tp, *tn;           /* rings: per frame, sum over bins of P and of n0 */
    uint16_t *hist;            /* bins x LEVELS: levels of P in the estimate window */
    int *qb, *below;           /* per bin: the percentile's level, count of P under it */
    double *swp, *sw;          /* per bin: sums of w P and w over the suppress window */
    double stp, stn;           /* sums of tp and tn over the suppress window */
    float *clean;              /* last frame's clean power G^2 P (decision-directed rule) */
} chan;

struct reel_denoise {
    int rate, ch, n, hop, bins, H, R;
    double gmin, a_dd;
    double level_pow[LEVELS];  /* the power at the middle of each histogram level */
    float lsa[LSA_N], wt[W_N], mant[MANT];
    reel_fft *fft;
    float *win, *x, *g, *vv, *scratch;
    size_t scap;
    unsigned char *whole;      /* ring: the frame holds input samples only */
    chan *c;
    int fill;                  /* samples into the current hop */
    long long fa, fm, ft;      /* frames analysed, estimated, suppressed */
    long long hist_n, box_n;   /* whole frames in the estimate and suppress windows */
    long long hist_hi, box_hi; /* the next frame to enter each window */
    long long real, in_total, out_total, drop;
    int ended;
    double e_in, e_out;
};

/* Exponential integral E1(v), v > 0 (Abramowitz and Stegun 5.1.53 and 5.1.56: under 5e-5). */
static double expint1(double v)
{
    if (v < 1)
        return -log(v) - 0.57721566 +
               v * (0.99999193 + v * (-0.24991055 + v * (0.05519968 + v * (-0.00976004 + v * 0.00107857))));
    if (v > 30) return 0;
    return (v * v + 2.334733 * v + 0.250621) / (v * v + 3.330657 * v + 1.681534) / (v * exp(v));
}

static void tables(reel_denoise *d)
{
    for (int i = 0; i < LSA_N; i++) {
        double v = ldexp(1 + (double)(i % LSA_OCT) / LSA_OCT, LSA_LO + i / LSA_OCT);
        d->lsa[i] = (float)exp(0.5 * expint1(v));
    }
    for (int i = 0; i < W_N; i++) d->wt[i] = (float)(1 - 1 / (1 + (1 + XI1) * exp(-(double)i / W_STEP)));
    for (int i = 0; i < MANT; i++) d->mant[i] = (float)log2(1 + (i + 0.5) / MANT);
}

typedef union { float f; uint32_t u; } fbits;

/* exp(E1(v) / 2), v > 0, from the table: linear between its points (1 past it, and for a NaN
 * from a damaged input, which must not index the table). */
static inline float lsa_factor(const reel_denoise *d, float v)
{
    if (!(v < 32)) return 1;
    if (v <= 0x1p-27f) v = 0x1p-27f;
    fbits b = {v};
    int e = (int)(b.u >> 23) - 127 - LSA_LO;
    int i = e * LSA_OCT + (int)((b.u >> (23 - 6)) & (LSA_OCT - 1));
    float t = (float)(b.u & ((1u << (23 - 6)) - 1)) * (1.0f / (1u << (23 - 6)));
    return d->lsa[i] + t * (d->lsa[i + 1] - d->lsa[i]);
}

/* The weight of a frame as noise only, 1 - p, for x = P / n0 x xi1 / (1 + xi1) >= 0. */
static inline float noise_weight(const reel_denoise *d, float x)
{
    if (!(x < 32)) return 0;
    float u = x * W_STEP;
    int i = (int)u;
    return d->wt[i] + (u - (float)i) * (d->wt[i + 1] - d->wt[i]);
}

/* log2(p), p a positive normal float: to 0.0007. */
static inline float fast_log2(const reel_denoise *d, float p)
{
    fbits b = {p};
    return (float)((int)(b.u >> 23) - 127) + d->mant[(b.u >> 13) & (MANT - 1)];
}

#define NEW(p, count) ((p) = calloc((size_t)(count), sizeof *(p)))

static int chan_init(chan *c, int n, int bins, int R)
{
    size_t rb = (size_t)R * (size_t)bins;
    return NEW(c->in, n) && NEW(c->acc, n) && NEW(c->re, rb) && NEW(c->im, rb) && NEW(c->pw, rb) &&
                   NEW(c->n0, rb) && NEW(c->w, rb) && NEW(c->lvl, rb) && NEW(c->tp, R) && NEW(c->tn, R) &&
                   NEW(c->hist, (size_t)bins * LEVELS) && NEW(c->qb, bins) && NEW(c->below, bins) &&
                   NEW(c->swp, bins) && NEW(c->sw, bins) && NEW(c->clean, bins)
               ? 0
               : -1;
}

static void chan_free(chan *c)
{
    free(c->in), free(c->acc), free(c->re), free(c->im), free(c->pw), free(c->n0), free(c->w);
    free(c->lvl), free(c->tp), free(c->tn), free(c->hist), free(c->qb), free(c->below);
    free(c->swp), free(c->sw), free(c->clean);
}

reel_denoise *reel_denoise_new(int rate, int channels, double strength)
{
    if (rate < 8000 || rate > 768000 || channels < 1 || channels > 64 || !(strength >= 0 && strength <= 1))
        return NULL;
    reel_denoise *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->rate = rate, d->ch = channels;
    d->n = reel_pow2_near(rate * 0.03, 256, 4096), d->hop = d->n / 4, d->bins = d->n / 2 + 1;
    d->H = (int)ceil(1.0 * rate / d->hop);
    d->R = 3 * d->H + 4;
    d->drop = d->n - d->hop;
    d->gmin = pow(10, -24 * strength / 20);
    d->a_dd = pow(0.95, (double)d->hop / rate / 0.008);
    int ok = (d->fft = reel_fft_new(d->n)) && NEW(d->win, d->n) && NEW(d->x, d->n) && NEW(d->g, d->bins) && NEW(d->vv, d->bins) &&
             NEW(d->whole, d->R) && NEW(d->c, channels);
    for (int k = 0; ok && k < channels; k++) ok = !chan_init(&d->c[k], d->n, d->bins, d->R);
    if (!ok) {
        reel_denoise_free(d);
        return NULL;
    }
    tables(d);
    for (int l = 0; l < LEVELS; l++) d->level_pow[l] = pow(10, (LEVEL_LO + (l + 0.5) * 0.5) / 10);
    /* sqrt(Hann) twice is Hann; periodic Hann at 75 % overlap sums to 2 */
    for (int i = 0; i < d->n; i++) d->win[i] = (float)sqrt((0.5 - 0.5 * cos(2 * M_PI * i / d->n)) / 2);
    return d;
}

void reel_denoise_free(reel_denoise *d)
{
    if (!d) return;
    for (int k = 0; d->c && k < d->ch; k++) chan_free(&d->c[k]);
    free(d->c);
    reel_fft_free(d->fft);
    free(d->win), free(d->x), free(d->g), free(d->vv), free(d->whole), free(d->scratch);
    free(d);
}

size_t reel_denoise_latency(const reel_denoise *d) { return (size_t)(2 * d->H + 1) * (size_t)d->hop + (size_t)d->n; }

double reel_denoise_reduction_db(const reel_denoise *d)
{
    return d->e_in > 0 && d->e_out > 0 ? 10 * log10(d->e_in / d->e_out) : 0;
}

/* Windowed spectrum of the N samples at in into re, im; periodogram into pw. */
static void spectrum(reel_denoise *d, const float *in, float *re, float *im, float *pw)
{
    for (int i = 0; i < d->n; i++) d->x[i] = in[i] * d->win[i];
    reel_fft_forward(d->fft, d->x, re, im);
    for (int k = 0; k < d->bins; k++) pw[k] = re[k] * re[k] + im[k] * im[k] + 1e-20f;
}

static int level_of(const reel_denoise *d, float p)
{
    int l = (int)floorf((float)(20 * M_LN2 / M_LN10) * fast_log2(d, p) - (float)(2 * LEVEL_LO));
    return l < 0 ? 0 : l >= LEVELS ? LEVELS - 1 : l;
}

/* Add (+1) or remove (-1) frame f's levels in the estimate window's histograms. */
static void hist_move(reel_denoise *d, long long f, int dir)
{
    size_t s = (size_t)(f % d->R) * (size_t)d->bins;
    for (int k = 0; k < d->ch; k++) {
        chan *c = &d->c[k];
        for (int b = 0; b < d->bins; b++) {
            int l = c->lvl[s + (size_t)b];
            c->hist[(size_t)b * LEVELS + (size_t)l] = (uint16_t)(c->hist[(size_t)b * LEVELS + (size_t)l] + dir);
            if (l < c->qb[b]) c->below[b] += dir;
        }
    }
    d->hist_n += dir;
}

/* The level under which QUANTILE of the window's periodograms lie, for bin b, as a power. */
static double percentile(reel_denoise *d, chan *c, int b)
{
    const uint16_t *h = c->hist + (size_t)b * LEVELS;
    long long r = (long long)(QUANTILE * (double)d->hist_n);
    int q = c->qb[b], below = c->below[b];
    while (q > 0 && below > r) below -= h[--q];
    while (q < LEVELS - 1 && below + h[q] <= r) below += h[q++];
    c->qb[b] = q, c->below[b] = below;
    return d->level_pow[q];
}

/* Stage 2 for frame m: n0 and the weight as noise. */
static void estimate(reel_denoise *d, long long m)
{
    for (; d->hist_hi <= m + d->H && d->hist_hi < d->fa; d->hist_hi++)
        if (d->whole[d->hist_hi % d->R]) hist_move(d, d->hist_hi, +1);
    if (m - d->H - 1 >= 0 && d->whole[(m - d->H - 1) % d->R]) hist_move(d, m - d->H - 1, -1);
    size_t s = (size_t)(m % d->R) * (size_t)d->bins;
    const double k1 = XI1 / (1 + XI1);
    for (int k = 0; k < d->ch; k++) {
        chan *c = &d->c[k];
        double tn = 0;
        for (int b = 0; b < d->bins; b++) {
            double p = c->pw[s + (size_t)b];
            double n0 = d->hist_n ? percentile(d, c, b) / -log(1 - QUANTILE) : p;
            c->n0[s + (size_t)b] = (float)n0;
            c->w[s + (size_t)b] = noise_weight(d, (float)(p / n0 * k1));
            tn += n0;
        }
        c->tn[m % d->R] = tn;
    }
}

/* Add (+1) or remove (-1) frame f in the suppress window's sums. */
static void box_move(reel_denoise *d, long long f, int dir)
{
    size_t s = (size_t)(f % d->R) * (size_t)d->bins;
    for (int k = 0; k < d->ch; k++) {
        chan *c = &d->c[k];
        for (int b = 0; b < d->bins; b++) {
            double w = c->w[s + (size_t)b];
            c->swp[b] += dir * w * c->pw[s + (size_t)b];
            c->sw[b] += dir * w;
        }
        c->stp += dir * c->tp[f % d->R];
        c->stn += dir * c->tn[f % d->R];
    }
    d->box_n += dir;
}

/* Gains for channel c at frame slot s: decision-directed a-priori SNR, log-spectral-amplitude
 * estimator, floored. The noise level for each bin is the weighted mean over the suppress window,
 * with the frame's own percentile estimate (as 0.1 % of the window) as the prior for windows with
 * little or no noise-only time, raised by the over-subtraction. A first loop (no table look-ups,
 * so it vectorises) leaves xi / (1 + xi) in g and the LSA argument in vv; the second applies the
 * table. */
static void gains(reel_denoise *d, chan *c, size_t s)
{
    double r = c->stn > 0 ? c->stp / c->stn : 1e3;
    double snr_db = 10 * log10(fmax(r - 1, 1e-3));
    double over = pow(10, fmin(3, fmax(0, 3 - 0.15 * snr_db)) / 10), eps = 1e-3 * (double)(d->box_n + 1);
    float a = (float)d->a_dd, gmin = (float)d->gmin, fover = (float)over;
    const float *restrict pw = c->pw + s, *restrict n0 = c->n0 + s;
    const double *restrict swp = c->swp, *restrict sw = c->sw;
    float *restrict clean = c->clean, *restrict rr = d->g, *restrict vv = d->vv;
    const int nbins = d->bins;
    for (int b = 0; b < nbins; b++) {
        float inv_nl = (float)(sw[b] + eps) / ((float)(swp[b] + eps * n0[b]) * fover);
        float gamma = pw[b] * inv_nl, ml = gamma - 1;
        ml = ml > 0 ? ml : 0;
        float xi = a * clean[b] * inv_nl + (1 - a) * ml;
        xi = xi > 0.003f ? xi : 0.003f;
        rr[b] = xi / (1 + xi);
        vv[b] = rr[b] * gamma;
    }
    for (int b = 0; b < d->bins; b++) {
        float g = rr[b] * lsa_factor(d, vv[b]);
        g = g < 1 ? g : 1;
        clean[b] = g * g * pw[b];
        rr[b] = g > gmin ? g : gmin;
    }
}

/* Stage 3 for frame t: suppress, overlap-add; the finished hop goes to out (after the pre-roll
 * is dropped). Returns the frames written there. */
static size_t suppress(reel_denoise *d, long long t, float *out)
{
    for (; d->box_hi <= t + d->H && d->box_hi < d->fm; d->box_hi++)
        if (d->whole[d->box_hi % d->R]) box_move(d, d->box_hi, +1);
    if (t - d->H - 1 >= 0 && d->whole[(t - d->H - 1) % d->R]) box_move(d, t - d->H - 1, -1);
    size_t s = (size_t)(t % d->R) * (size_t)d->bins;
    for (int k = 0; k < d->ch; k++) {
        chan *c = &d->c[k];
        gains(d, c, s);
        float *re = c->re + s, *im = c->im + s;
        for (int b = 0; b < d->bins; b++) re[b] *= d->g[b], im[b] *= d->g[b];
        reel_fft_inverse(d->fft, re, im, d->x);
        for (int i = 0; i < d->n; i++) c->acc[i] += d->x[i] * d->win[i];
    }
    size_t skip = d->drop > 0 ? (size_t)(d->drop < d->hop ? d->drop : d->hop) : 0, w = 0;
    d->drop -= (long long)skip;
    for (size_t i = skip; i < (size_t)d->hop; i++, w++)
        for (int k = 0; k < d->ch; k++) out[w * (size_t)d->ch + (size_t)k] = d->c[k].acc[i];
    for (int k = 0; k < d->ch; k++) {
        chan *c = &d->c[k];
        memmove(c->acc, c->acc + d->hop, (size_t)(d->n - d->hop) * sizeof *c->acc);
        memset(c->acc + d->n - d->hop, 0, (size_t)d->hop * sizeof *c->acc);
    }
    return w;
}

/* Stage 1 for the frame now complete in every channel's input window. */
static void analyse(reel_denoise *d)
{
    long long f = d->fa;
    size_t s = (size_t)(f % d->R) * (size_t)d->bins;
    long long start = f * d->hop - (d->n - d->hop), end = (f + 1) * d->hop;
    d->whole[f % d->R] = start >= 0 && end <= d->real;
    for (int k = 0; k < d->ch; k++) {
        chan *c = &d->c[k];
        spectrum(d, c->in, c->re + s, c->im + s, c->pw + s);
        double tp = 0;
        for (int b = 0; b < d->bins; b++) {
            c->lvl[s + (size_t)b] = (uint16_t)level_of(d, c->pw[s + (size_t)b]);
            tp += c->pw[s + (size_t)b];
        }
        c->tp[f % d->R] = tp;
        memmove(c->in, c->in + d->hop, (size_t)(d->n - d->hop) * sizeof *c->in);
    }
    d->fa++;
}

/* Run stages 2 and 3 as far as the frames analysed allow (all the way once ended). */
static size_t advance(reel_denoise *d, float *out)
{
    size_t w = 0;
    for (;;) {
        if (d->fm < d->fa && (d->ended || d->fm + d->H < d->fa)) estimate(d, d->fm++);
        else if (d->ft < d->fm && (d->ended ? d->ft < d->fa : d->ft + d->H < d->fm))
            w += suppress(d, d->ft++, out + w * (size_t)d->ch);
        else break;
    }
    return w;
}

static size_t feed(reel_denoise *d, const float *in, float *out, size_t nb)
{
    size_t w = 0;
    for (size_t i = 0; i < nb; i++) {
        for (int k = 0; k < d->ch; k++) d->c[k].in[d->n - d->hop + d->fill] = in ? in[i * (size_t)d->ch + (size_t)k] : 0;
        if (in) d->real++;
        if (++d->fill == d->hop) {
            d->fill = 0;
            analyse(d);
            w += advance(d, out + w * (size_t)d->ch);
        }
    }
    return w;
}

static double energy(const float *x, size_t n)
{
    double e = 0;
    for (size_t i = 0; i < n; i++) e += (double)x[i] * x[i];
    return e;
}

size_t reel_denoise_run(reel_denoise *d, const float *in, float *out, size_t nb)
{
    size_t n = nb * (size_t)d->ch;
    if (d->ended || reel_floats_reserve(&d->scratch, &d->scap, n)) return 0;
    memcpy(d->scratch, in, n * sizeof *in); /* out may be in */
    d->e_in += energy(d->scratch, n);
    d->in_total += (long long)nb;
    size_t w = feed(d, d->scratch, out, nb);
    d->out_total += (long long)w;
    d->e_out += energy(out, w * (size_t)d->ch);
    return w;
}

size_t reel_denoise_flush(reel_denoise *d, float *out)
{
    size_t left = (size_t)(d->in_total - d->out_total), w = 0;
    if (d->ended || reel_floats_reserve(&d->scratch, &d->scap, (left + (size_t)d->hop) * (size_t)d->ch)) return 0;
    /* zeros until the frame whose output hop holds the last input sample is analysed */
    long long last = (d->in_total + d->n - d->hop + d->hop - 1) / d->hop - 1;
    while (d->fa <= last) w += feed(d, NULL, d->scratch + w * (size_t)d->ch, (size_t)(d->hop - d->fill));
    d->ended = 1;
    w += advance(d, d->scratch + w * (size_t)d->ch);
    memcpy(out, d->scratch, left * (size_t)d->ch * sizeof *out);
    d->out_total += (long long)left;
    d->e_out += energy(out, left * (size_t)d->ch);
    return left;
}
