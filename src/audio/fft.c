/* Real FFT by an N/2-point complex FFT and a split step (see fft.h). */
#include "audio/fft.h"

#include <math.h>
#include <stdlib.h>

struct reel_fft {
    int n, h;           /* real size, complex size n/2 */
    int *rev;           /* bit reversal of 0..h-1 */
    float *wr, *wi;     /* exp(-2 pi i k / h), k < h/2: the complex transform's twiddles */
    float *sr, *si;     /* exp(-2 pi i k / n), k <= h/2: the split step's */
    float *zr, *zi;     /* work, h */
};

reel_fft *reel_fft_new(int n)
{
    if (n < 4 || n > (1 << 20) || (n & (n - 1))) return NULL;
    reel_fft *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    f->n = n, f->h = n / 2;
    int h = f->h, bits = 0;
    while ((1 << bits) < h) bits++;
    f->rev = malloc((size_t)h * sizeof *f->rev);
    f->wr = malloc((size_t)h * sizeof *f->wr), f->wi = malloc((size_t)h * sizeof *f->wi);
    f->sr = malloc((size_t)(h + 1) * sizeof *f->sr), f->si = malloc((size_t)(h + 1) * sizeof *f->si);
    f->zr = malloc((size_t)h * sizeof *f->zr), f->zi = malloc((size_t)h * sizeof *f->zi);
    if (!f->rev || !f->wr || !f->wi || !f->sr || !f->si || !f->zr || !f->zi) {
        reel_fft_free(f);
        return NULL;
    }
    for (int k = 0; k < h; k++) {
        int r = 0;
        for (int b = 0; b < bits; b++) r |= ((k >> b) & 1) << (bits - 1 - b);
        f->rev[k] = r;
        f->wr[k] = (float)cos(2 * M_PI * k / h), f->wi[k] = (float)-sin(2 * M_PI * k / h);
    }
    for (int k = 0; k <= h; k++) f->sr[k] = (float)cos(2 * M_PI * k / n), f->si[k] = (float)-sin(2 * M_PI * k / n);
    return f;
}

void reel_fft_free(reel_fft *f)
{
    if (!f) return;
    free(f->rev), free(f->wr), free(f->wi), free(f->sr), free(f->si), free(f->zr), free(f->zi);
    free(f);
}

int reel_fft_size(const reel_fft *f) { return f->n; }

/* In place on zr/zi, already in bit-reversed order; sign -1 forward, +1 inverse (conjugate
 * twiddles). */
static void butterflies(reel_fft *f, int sign)
{
    float *xr = f->zr, *xi = f->zi;
    int h = f->h;
    for (int len = 2; len <= h; len <<= 1) {
        int half = len >> 1, step = h / len;
        for (int s = 0; s < h; s += len)
            for (int j = 0; j < half; j++) {
                float cr = f->wr[j * step], ci = sign < 0 ? f->wi[j * step] : -f->wi[j * step];
                int a = s + j, b = a + half;
                float tr = xr[b] * cr - xi[b] * ci, ti = xr[b] * ci + xi[b] * cr;
                xr[b] = xr[a] - tr, xi[b] = xi[a] - ti;
                xr[a] += tr, xi[a] += ti;
            }
    }
}

void reel_fft_forward(reel_fft *f, const float *x, float *re, float *im)
{
    int h = f->h;
    for (int k = 0; k < h; k++) f->zr[f->rev[k]] = x[2 * k], f->zi[f->rev[k]] = x[2 * k + 1];
    butterflies(f, -1);
    /* X[k] = E[k] + W^k O[k], E = (Z[k] + conj Z[h-k]) / 2, O = (Z[k] - conj Z[h-k]) / 2i */
    re[0] = f->zr[0] + f->zi[0], im[0] = 0;
    re[h] = f->zr[0] - f->zi[0], im[h] = 0;
    for (int k = 1; k < h; k++) {
        float ar = f->zr[k], ai = f->zi[k], br = f->zr[h - k], bi = -f->zi[h - k];
        float er = 0.5f * (ar + br), ei = 0.5f * (ai + bi);
        float or_ = 0.5f * (ai - bi), oi = -0.5f * (ar - br);
        re[k] = er + f->sr[k] * or_ - f->si[k] * oi;
        im[k] = ei + f->sr[k] * oi + f->si[k] * or_;
    }
}

void reel_fft_inverse(reel_fft *f, const float *re, const float *im, float *x)
{
    int h = f->h;
    /* Z[k] = E[k] + i O[k], E = (X[k] + conj X[h-k]) / 2, O = (X[k] - conj X[h-k]) conj(W^k) / 2 */
    for (int k = 0; k < h; k++) {
        float ar = re[k], ai = k ? im[k] : 0, br = re[h - k], bi = k ? -im[h - k] : 0;
        float er = 0.5f * (ar + br), ei = 0.5f * (ai + bi);
        float dr = 0.5f * (ar - br), di = 0.5f * (ai - bi);
        float or_ = dr * f->sr[k] + di * f->si[k], oi = di * f->sr[k] - dr * f->si[k];
        f->zr[f->rev[k]] = er - oi, f->zi[f->rev[k]] = ei + or_;
    }
    butterflies(f, +1);
    float s = 1.0f / (float)h;
    for (int k = 0; k < h; k++) x[2 * k] = f->zr[k] * s, x[2 * k + 1] = f->zi[k] * s;
}
