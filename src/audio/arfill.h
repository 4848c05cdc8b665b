/* Autoregressive modelling and least-squares AR interpolation of missing samples (the "LSAR"
 * interpolator of Janssen, Veldhuis and Vries, 1986): the building block of de-clipping and
 * de-clicking.
 *
 * An AR(p) model a[0..p] (a[0] = 1) predicts each sample from the p before it; the prediction
 * error is e[t] = sum_k a[k] x[t-k]. Given a segment in which some samples are missing, the
 * interpolator chooses them to minimise the total squared prediction error over every t whose
 * filter touches one of them. The normal equations are
 *     sum_j b(|u_i - u_j|) x[u_j] = -sum_(known l) b(|u_i - l|) x[l],   b(d) = sum_k a[k] a[k+d],
 * a symmetric positive-definite system, banded (b vanishes past p) and solved by a banded
 * Cholesky factorisation: O(m p^2) for m missing samples. */
#ifndef REEL_AUDIO_ARFILL_H
#define REEL_AUDIO_ARFILL_H

/* Fit a[0..p] to x[0..n) (Hann-windowed autocorrelation, Levinson-Durbin, a light ridge so a
 * silent or pure-tone block still gives a stable model). 0, or -1 when n <= p. */
int reel_ar_fit(const float *x, int n, int p, double *a);

/* Replace the samples of x[0..n) marked in miss[] by the LSAR interpolation under the model a[0..p].
 * Samples within p of the ends are best left known (their equations are cut at the ends). Work
 * space is allocated per call. 0, or -1 out of memory. */
int reel_ar_fill(float *x, const unsigned char *miss, int n, const double *a, int p);

#endif
