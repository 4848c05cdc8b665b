/* A real FFT of power-of-two size, single precision: an N/2-point complex transform (iterative
 * radix-2, twiddles and bit reversal tabled once per size) and the split step that turns it into
 * the spectrum of N real samples. Spectra are N/2 + 1 complex bins stored as re[k], im[k]
 * (im[0] = im[N/2] = 0). Unnormalised forward; the inverse divides by N, so
 * inverse(forward(x)) = x. */
#ifndef REEL_AUDIO_FFT_H
#define REEL_AUDIO_FFT_H

typedef struct reel_fft reel_fft;

/* n: a power of two, 4 to 2^20. NULL otherwise or out of memory. */
reel_fft *reel_fft_new(int n);
void reel_fft_free(reel_fft *f);
int reel_fft_size(const reel_fft *f);
/* x[n] -> re[n/2+1], im[n/2+1]. */
void reel_fft_forward(reel_fft *f, const float *x, float *re, float *im);
/* re[n/2+1], im[n/2+1] -> x[n] (the imaginary parts of bins 0 and n/2 are ignored). */
void reel_fft_inverse(reel_fft *f, const float *re, const float *im, float *x);
/* The power of two from lo to hi (powers of two) nearest, on a log scale, to `samples` (a frame
 * or block length chosen by duration: rate x seconds). */
int reel_pow2_near(double samples, int lo, int hi);

#endif
