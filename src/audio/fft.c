/* Real FFT by an N/2-point complex FFT and a split step (see fft.h). */
#include "audio/fft.h"

#include <math.h>
#include <stdlib.h>

struct reel_fft {
    int n, h;           /* real size, complex size n/2 */
    int *rev;           /* bit reversal of 0..h-1 */
    float *tr, *ti;     /* per pass of half-length m, at offset m - 1: cos and sin of pi j / m, j < m
                           (the forward twiddle is tr - i ti) */
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
    f->tr = malloc((size_t)h * sizeof *f->tr), f->ti = malloc((size_t)h * sizeof *f->ti);
    f->sr = malloc((size_t)(h + 1) * sizeof *f->sr), f->si = malloc((size_t)(h + 1) * sizeof *f->si);
    f->zr = malloc((size_t)h * sizeof *f->zr), f->zi = malloc((size_t)h * sizeof *f->zi);
    if (!f->rev || !f->tr || !f->ti || !f->sr || !f->si || !f->zr || !f->zi) {
        reel_fft_free(f);
        return NULL;
    }
    for (int k = 0; k < h; k++) {
        int r = 0;
        for (int b = 0; b < bits; b++) r |= ((k >> b) & 1) << (bits - 1 - b);
        f->rev[k] = r;
    }
    for (int m = 1; m < h; m <<= 1)
        for (int j = 0; j < m; j++)
            f->tr[m - 1 + j] = (float)cos(M_PI * j / m), f->ti[m - 1 + j] = (float)sin(M_PI * j / m);
    for (int k = 0; k <= h; k++) f->sr[k] = (float)cos(2 * M_PI * k / n), f->si[k] = (float)-sin(2 * M_PI * k / n);
    return f;
}

void reel_fft_free(reel_fft *f)
{
    if (!f) return;
    free(f->rev), free(f->tr), free(f->ti), free(f->sr), free(f->si), free(f->zr), free(f->zi);
    free(f);
}

int reel_fft_size(const reel_fft *f) { return f->n; }

int reel_pow2_near(double samples, int lo, int hi)
{
    int n = lo;
    while (n < hi && fabs(log2(n * 2.0 / samples)) < fabs(log2(n / samples))) n *= 2;
    return n;
}

/* The first two passes fused (lengths 2 and 4: twiddles 1 and -i, or +i inverse). */
static void radix4_first(float *restrict xr, float *restrict xi, int h, float sign)
{
    for (int s = 0; s < h; s += 4) {
        float b0r = xr[s] + xr[s + 1], b0i = xi[s] + xi[s + 1];
        float b1r = xr[s] - xr[s + 1], b1i = xi[s] - xi[s + 1];
        float b2r = xr[s + 2] + xr[s + 3], b2i = xi[s + 2] + xi[s + 3];
        float b3r = xr[s + 2] - xr[s + 3], b3i = xi[s + 2] - xi[s + 3];
        float tr = -sign * b3i, ti = sign * b3r; /* b3 x (sign i) */
        xr[s] = b0r + b2r, xi[s] = b0i + b2i;
        xr[s + 2] = b0r - b2r, xi[s + 2] = b0i - b2i;
        xr[s + 1] = b1r + tr, xi[s + 1] = b1i + ti;
        xr[s + 3] = b1r - tr, xi[s + 3] = b1i - ti;
    }
}

/* In place on zr/zi, already in bit-reversed order; sign -1 forward, +1 inverse (conjugate
 * twiddles). Each pass reads its twiddles in order from its own table, so the inner loop runs
 * over contiguous arrays. */
static void butterflies(reel_fft *f, float sign)
{
    float *restrict xr = f->zr, *restrict xi = f->zi;
    int h = f->h, len = 2;
    if (h >= 4) radix4_first(xr, xi, h, sign), len = 8;
    for (; len <= h; len <<= 1) {
        int half = len >> 1;
        const float *restrict wr = f->tr + half - 1, *restrict wi = f->ti + half - 1;
        for (int s = 0; s < h; s += len) {
            float *restrict ar = xr + s, *restrict ai = xi + s, *restrict br = ar + half, *restrict bi = ai + half;
            for (int j = 0; j < half; j++) {
                float cr = wr[j], ci = sign * wi[j];
                float tr = br[j] * cr - bi[j] * ci, ti = br[j] * ci + bi[j] * cr;
                br[j] = ar[j] - tr, bi[j] = ai[j] - ti;
                ar[j] += tr, ai[j] += ti;
            }
        }
    }
}

void reel_fft_forward(reel_fft *f, const float *x, float *re, float *im)
{
    int h = f->h;
    for (int k = 0; k < h; k++) f->zr[f->rev[k]] = x[2 * k], f->zi[f->rev[k]] = x[2 * k + 1];
    butterflies(f, -1.0f);
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
    butterflies(f, +1.0f);
    float s = 1.0f / (float)h;
    for (int k = 0; k < h; k++) x[2 * k] = f->zr[k] * s, x[2 * k + 1] = f->zi[k] * s;
}
