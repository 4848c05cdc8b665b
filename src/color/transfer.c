/* Colour transfer: linear Monge-Kantorovich map then sliced optimal transport (see transfer.h). */
#include "color/transfer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void reel_transfer_opts_default(reel_transfer_opts *o)
{
    o->rounds = 5;
    o->relax = 1.0f;
    o->max_gain = 2.5f;
    o->max_slope = 2.0f;
}

void reel_oklab_stats(const float *lab, size_t n, double mean[3], double cov[3][3])
{
    double s[3] = {0}, ss[3][3] = {{0}};
    for (size_t i = 0; i < n; i++)
        for (int a = 0; a < 3; a++) {
            s[a] += lab[3 * i + a];
            for (int b = a; b < 3; b++) ss[a][b] += (double)lab[3 * i + a] * lab[3 * i + b];
        }
    for (int a = 0; a < 3; a++) mean[a] = n ? s[a] / (double)n : 0;
    for (int a = 0; a < 3; a++)
        for (int b = a; b < 3; b++)
            cov[a][b] = cov[b][a] = n ? ss[a][b] / (double)n - mean[a] * mean[b] : 0;
}

void reel_sym3_eigen(const double in[3][3], double w[3], double v[3][3])
{
    double a[3][3];
    memcpy(a, in, sizeof a);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) v[i][j] = i == j;
    for (int sweep = 0; sweep < 50; sweep++) {
        double off = fabs(a[0][1]) + fabs(a[0][2]) + fabs(a[1][2]);
        if (off < 1e-300) break;
        for (int p = 0; p < 2; p++)
            for (int q = p + 1; q < 3; q++) {
                if (a[p][q] == 0) continue;
                double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                double t = (theta >= 0 ? 1 : -1) / (fabs(theta) + sqrt(theta * theta + 1));
                double c = 1 / sqrt(t * t + 1), s = t * c;
                for (int k = 0; k < 3; k++) { /* a = J^T a J */
                    double akp = a[k][p], akq = a[k][q];
                    a[k][p] = c * akp - s * akq, a[k][q] = s * akp + c * akq;
                }
                for (int k = 0; k < 3; k++) {
                    double apk = a[p][k], aqk = a[q][k];
                    a[p][k] = c * apk - s * aqk, a[q][k] = s * apk + c * aqk;
                }
                for (int k = 0; k < 3; k++) {
                    double vkp = v[k][p], vkq = v[k][q];
                    v[k][p] = c * vkp - s * vkq, v[k][q] = s * vkp + c * vkq;
                }
            }
    }
    for (int i = 0; i < 3; i++) w[i] = a[i][i];
}

/* out = V f(W) V^T for a symmetric matrix with eigen pairs (w, V), f applied to each value. */
static void sym3_func(const double a[3][3], double (*f)(double, double), double arg, double out[3][3])
{
    double w[3], v[3][3];
    reel_sym3_eigen(a, w, v);
    for (int i = 0; i < 3; i++) w[i] = f(w[i] > 0 ? w[i] : 0, arg);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            out[i][j] = v[i][0] * w[0] * v[j][0] + v[i][1] * w[1] * v[j][1] + v[i][2] * w[2] * v[j][2];
}

static double f_sqrt(double x, double arg) { return sqrt(x); }
static double f_isqrt(double x, double floor) { return 1 / sqrt(x > floor ? x : floor); }
static double f_clamp(double x, double hi) { return x < hi ? x : hi; }

static void mul3(const double a[3][3], const double b[3][3], double out[3][3])
{
    double t[3][3];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) t[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
    memcpy(out, t, sizeof t);
}

/* The Monge-Kantorovich linear map A between covariances cs and cr, gains clamped. */
static void mkl(const double cs[3][3], const double cr[3][3], double max_gain, double A[3][3])
{
    double s_half[3][3], s_ihalf[3][3], c[3][3], c_half[3][3];
    sym3_func(cs, f_sqrt, 0, s_half);
    sym3_func(cs, f_isqrt, 1e-6, s_ihalf); /* floor: a flat channel is not divided by ~0 */
    mul3(s_half, cr, c);
    mul3(c, s_half, c);
    sym3_func(c, f_sqrt, 0, c_half);
    mul3(s_ihalf, c_half, A);
    mul3(A, s_ihalf, A);
    for (int i = 0; i < 3; i++) /* symmetrise what rounding left */
        for (int j = i + 1; j < 3; j++) A[i][j] = A[j][i] = 0.5 * (A[i][j] + A[j][i]);
    sym3_func(A, f_clamp, max_gain, A);
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* K quantiles (0.5% .. 99.5%) of n values (sorted in place). */
static void quantiles(float *v, size_t n, float q[REEL_TRANSFER_KNOTS])
{
    qsort(v, n, sizeof *v, cmp_float);
    for (int k = 0; k < REEL_TRANSFER_KNOTS; k++) {
        double p = 0.005 + 0.99 * k / (REEL_TRANSFER_KNOTS - 1), x = p * (double)(n - 1);
        size_t i = (size_t)x;
        double f = x - (double)i;
        q[k] = (float)(i + 1 < n ? v[i] * (1 - f) + v[i + 1] * f : v[n - 1]);
    }
}

/* Knots from source quantiles xs to the relaxed target; x strictly increasing, slopes in
 * [1/3, 3]. */
static void make_curve(const float *xs, const float *xr, float relax, float smax, float *x, float *y)
{
    const float smin = 1 / smax, gap = 1e-4f;
    for (int k = 0; k < REEL_TRANSFER_KNOTS; k++) {
        x[k] = k && xs[k] < x[k - 1] + gap ? x[k - 1] + gap : xs[k];
        y[k] = xs[k] + relax * (xr[k] - xs[k]);
    }
    /* anchor at the median so the clamped slopes do not drift the middle */
    int m = REEL_TRANSFER_KNOTS / 2;
    for (int k = m + 1; k < REEL_TRANSFER_KNOTS; k++) {
        float dx = x[k] - x[k - 1], dy = y[k] - y[k - 1];
        y[k] = y[k - 1] + (dy < smin * dx ? smin * dx : dy > smax * dx ? smax * dx : dy);
    }
    for (int k = m - 1; k >= 0; k--) {
        float dx = x[k + 1] - x[k], dy = y[k + 1] - y[k];
        y[k] = y[k + 1] - (dy < smin * dx ? smin * dx : dy > smax * dx ? smax * dx : dy);
    }
}

static float curve(const float *x, const float *y, float v)
{
    const int K = REEL_TRANSFER_KNOTS;
    if (!(v > x[0])) return v != v ? v : y[0] + (v - x[0]);
    if (v >= x[K - 1]) return y[K - 1] + (v - x[K - 1]);
    int lo = 0, hi = K - 1;
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (v < x[mid]) hi = mid;
        else lo = mid;
    }
    float f = (v - x[lo]) / (x[hi] - x[lo]);
    return y[lo] + f * (y[hi] - y[lo]);
}

/* The next turn angle of a fixed sequence (deterministic). */
static void next_turn(unsigned *seed, float *c, float *s)
{
    *seed = *seed * 1664525u + 1013904223u;
    double a = (*seed >> 8) / (double)(1u << 24) * M_PI;
    *c = (float)cos(a), *s = (float)sin(a);
}

static void linear_stage(const reel_transfer *t, const float in[3], float z[3])
{
    float d[3] = {in[0] - t->mu_s[0], in[1] - t->mu_s[1], in[2] - t->mu_s[2]};
    for (int i = 0; i < 3; i++) {
        float v = t->mu_r[i] + t->A[i][0] * d[0] + t->A[i][1] * d[1] + t->A[i][2] * d[2];
        z[i] = (v - t->mu_r[i]) / t->sd_r[i]; /* the reference's standardised space */
    }
}

static void round_apply(const reel_transfer_round *r, float z[3])
{
    float p0 = r->c * z[1] + r->s * z[2], p1 = -r->s * z[1] + r->c * z[2];
    float q0 = curve(r->x[0], r->y[0], p0) - p0, q1 = curve(r->x[1], r->y[1], p1) - p1;
    z[1] += r->c * q0 - r->s * q1;
    z[2] += r->s * q0 + r->c * q1;
}

void reel_transfer_eval(const reel_transfer *t, const float in[3], float out[3])
{
    float z[3];
    linear_stage(t, in, z);
    for (int k = 0; k < t->rounds; k++) round_apply(&t->r[k], z);
    for (int i = 0; i < 3; i++) out[i] = t->mu_r[i] + z[i] * t->sd_r[i];
}

/* One sliced round: fit the curves on the current source points zs against zr, then move zs. */
static void fit_round(reel_transfer_round *r, float *zs, size_t ns, const float *zr, size_t nr,
                      const reel_transfer_opts *o, float *tmp_s, float *tmp_r)
{
    for (int a = 0; a < 2; a++) {
        float qs[REEL_TRANSFER_KNOTS], qr[REEL_TRANSFER_KNOTS];
        float u = a ? -r->s : r->c, v = a ? r->c : r->s; /* the axis in (a, b) */
        for (size_t i = 0; i < ns; i++) tmp_s[i] = u * zs[3 * i + 1] + v * zs[3 * i + 2];
        for (size_t i = 0; i < nr; i++) tmp_r[i] = u * zr[3 * i + 1] + v * zr[3 * i + 2];
        quantiles(tmp_s, ns, qs);
        quantiles(tmp_r, nr, qr);
        make_curve(qs, qr, o->relax, o->max_slope, r->x[a], r->y[a]);
    }
    for (size_t i = 0; i < ns; i++) round_apply(r, zs + 3 * i);
}

int reel_transfer_fit(const float *src, size_t ns, const float *ref, size_t nr,
                      const reel_transfer_opts *o, reel_transfer *t, reel_err *e)
{
    memset(t, 0, sizeof *t);
    if (ns < 64 || nr < 64)
        return reel_errf(e, REEL_EINVAL, "too few colour samples to fit a look (%zu and %zu)", ns, nr);
    double ms[3], mr[3], cs[3][3], cr[3][3], A[3][3];
    reel_oklab_stats(src, ns, ms, cs);
    reel_oklab_stats(ref, nr, mr, cr);
    mkl(cs, cr, o->max_gain, A);
    for (int i = 0; i < 3; i++) {
        t->mu_s[i] = (float)ms[i], t->mu_r[i] = (float)mr[i];
        t->sd_r[i] = (float)fmax(sqrt(fmax(cr[i][i], 0)), 1e-3); /* a grey reference: a, b ~ 0 */
        for (int j = 0; j < 3; j++) t->A[i][j] = (float)A[i][j];
    }
    int rounds = o->rounds < 0 ? 0 : o->rounds > REEL_TRANSFER_MAX_ROUNDS ? REEL_TRANSFER_MAX_ROUNDS : o->rounds;
    if (!rounds) return 0;
    float *zs = malloc(ns * 3 * sizeof *zs), *zr = malloc(nr * 3 * sizeof *zr);
    float *ts = malloc(ns * sizeof *ts), *tr = malloc(nr * sizeof *tr);
    if (!zs || !zr || !ts || !tr) {
        free(zs), free(zr), free(ts), free(tr);
        return reel_errf(e, REEL_ENOMEM, "out of memory fitting a look");
    }
    for (size_t i = 0; i < ns; i++) linear_stage(t, src + 3 * i, zs + 3 * i);
    for (size_t i = 0; i < nr; i++)
        for (int a = 0; a < 3; a++) zr[3 * i + a] = (ref[3 * i + a] - t->mu_r[a]) / t->sd_r[a];
    unsigned seed = 0x5eed1234u;
    for (int k = 0; k < rounds; k++) {
        next_turn(&seed, &t->r[k].c, &t->r[k].s);
        fit_round(&t->r[k], zs, ns, zr, nr, o, ts, tr);
    }
    t->rounds = rounds;
    free(zs), free(zr), free(ts), free(tr);
    return 0;
}
