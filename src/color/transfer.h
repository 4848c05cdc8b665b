/* Colour transfer: a map from the footage's colour distribution to a reference's, fitted on
 * samples in Oklab, to be baked into a 3D LUT (so it must be a function of colour alone).
 *
 * Two stages. First the Monge-Kantorovich linear map (Pitié and Kokaram, 2007): the affine map
 * x -> mu_r + A (x - mu_s) that carries the source's mean and covariance onto the reference's
 * with the least total displacement; A is symmetric, and its gains along the principal axes are
 * bounded (max_gain) so a flat source does not have its noise blown up. It sets lightness and
 * contrast. Then a few rounds of sliced optimal transport (Pitié's iterative distribution
 * transfer; Rabin et al.) in the chroma plane of the reference's standardised coordinates: each
 * round turns the (a, b) axes, matches the quantiles of the mapped source to the reference's
 * along each with a smooth monotone curve (33 knots, slopes within [1/max_slope, max_slope]), and
 * moves the samples. Lightness is left to the linear map: measured on real pairs, transport
 * rounds that also move lightness bring the colours closer still but reshape the tones enough to
 * lose the picture's structure (luma gradient correlation under 0.9), chroma rounds keep it above
 * 0.97. The curves extend with slope 1 past the data, so colours the samples never showed move
 * smoothly too. Deterministic: the same samples give the same map. */
#ifndef REEL_COLOR_TRANSFER_H
#define REEL_COLOR_TRANSFER_H

#include "reel/reel.h"

#include <stddef.h>

enum { REEL_TRANSFER_KNOTS = 33, REEL_TRANSFER_MAX_ROUNDS = 16 };

typedef struct reel_transfer_opts {
    int rounds;        /* sliced-transport rounds after the linear map, 0..16 (0: linear only) */
    float relax;       /* how far each round moves toward the reference, 0..1 */
    float max_gain;    /* the linear map's largest gain along any axis */
    float max_slope;   /* the transport curves' slopes stay within [1/max_slope, max_slope] */
} reel_transfer_opts;

void reel_transfer_opts_default(reel_transfer_opts *o);

typedef struct reel_transfer_round {
    float c, s;                                 /* the turn of the (a, b) axes */
    float x[2][REEL_TRANSFER_KNOTS], y[2][REEL_TRANSFER_KNOTS]; /* per axis: knots in -> out */
} reel_transfer_round;

typedef struct reel_transfer {
    float mu_s[3], mu_r[3], sd_r[3];
    float A[3][3];
    int rounds;
    reel_transfer_round r[REEL_TRANSFER_MAX_ROUNDS];
} reel_transfer;

/* Fit on ns source and nr reference Oklab triples (at least 64 of each; the arrays are not
 * changed). 0, or REEL_EINVAL (too few samples) / REEL_ENOMEM with e set. */
int reel_transfer_fit(const float *src, size_t ns, const float *ref, size_t nr,
                      const reel_transfer_opts *o, reel_transfer *t, reel_err *e);
/* Map one Oklab colour. */
void reel_transfer_eval(const reel_transfer *t, const float in[3], float out[3]);

/* Mean and covariance of n Oklab triples (helpers the look and the reports share). */
void reel_oklab_stats(const float *lab, size_t n, double mean[3], double cov[3][3]);
/* Eigen-decomposition of a symmetric 3x3 matrix (Jacobi): values w, vectors in columns of v. */
void reel_sym3_eigen(const double a[3][3], double w[3], double v[3][3]);

#endif
