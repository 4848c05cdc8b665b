/* AR modelling and LSAR interpolation (see arfill.h). */
#include "audio/arfill.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int reel_ar_fit(const float *x, int n, int p, double *a)
{
    if (n <= p || p < 1) return -1;
    double *xw = malloc((size_t)n * sizeof *xw), *r = malloc((size_t)(p + 1) * sizeof *r),
           *tmp = malloc((size_t)(p + 1) * sizeof *tmp);
    if (!xw || !r || !tmp) {
        free(xw), free(r), free(tmp);
        return -1;
    }
    for (int i = 0; i < n; i++) xw[i] = x[i] * (0.5 - 0.5 * cos(2 * M_PI * (i + 0.5) / n));
    for (int k = 0; k <= p; k++) {
        double s = 0;
        for (int i = k; i < n; i++) s += xw[i] * xw[i - k];
        r[k] = s;
    }
    memset(a, 0, (size_t)(p + 1) * sizeof *a);
    a[0] = 1;
    if (!(r[0] > 1e-30)) goto done;
    r[0] *= 1 + 1e-6; /* a -60 dB white floor: no pole on the unit circle for a pure tone */
    double err = r[0];
    for (int i = 1; i <= p; i++) { /* Levinson-Durbin */
        double acc = r[i];
        for (int j = 1; j < i; j++) acc += a[j] * r[i - j];
        double k = -acc / err;
        memcpy(tmp, a, (size_t)(i + 1) * sizeof *a);
        for (int j = 1; j < i; j++) a[j] = tmp[j] + k * tmp[i - j];
        a[i] = k;
        err *= 1 - k * k;
        if (!(err > 0)) break;
    }
done:
    free(xw), free(r), free(tmp);
    return 0;
}

/* b(d) = sum_k a[k] a[k+d], d = 0..p: the correlation of the prediction-error filter. */
static void filter_corr(const double *a, int p, double *b)
{
    for (int d = 0; d <= p; d++) {
        double s = 0;
        for (int k = 0; k + d <= p; k++) s += a[k] * a[k + d];
        b[d] = s;
    }
}

/* Banded Cholesky of the m x m system (row i holds columns i - p .. i, L[i * (p + 1) + i - j])
 * and the two triangular solves, in place on y. -1 when not positive definite. */
static int band_solve(double *L, double *y, int m, int p)
{
    int w = p + 1;
    for (int i = 0; i < m; i++)
        for (int j = i - p < 0 ? 0 : i - p; j <= i; j++) {
            double s = L[(size_t)i * w + (i - j)];
            for (int k = (i - p > 0 ? i - p : 0); k < j; k++) {
                if (j - k > p) continue;
                s -= L[(size_t)i * w + (i - k)] * L[(size_t)j * w + (j - k)];
            }
            if (i == j) {
                if (!(s > 0)) return -1;
                L[(size_t)i * w] = sqrt(s);
            } else {
                L[(size_t)i * w + (i - j)] = s / L[(size_t)j * w];
            }
        }
    for (int i = 0; i < m; i++) {
        double s = y[i];
        for (int k = i - p < 0 ? 0 : i - p; k < i; k++) s -= L[(size_t)i * w + (i - k)] * y[k];
        y[i] = s / L[(size_t)i * w];
    }
    for (int i = m - 1; i >= 0; i--) {
        double s = y[i];
        for (int k = i + 1; k <= i + p && k < m; k++) s -= L[(size_t)k * w + (k - i)] * y[k];
        y[i] = s / L[(size_t)i * w];
    }
    return 0;
}

int reel_ar_fill(float *x, const unsigned char *miss, int n, const double *a, int p)
{
    int m = 0;
    for (int i = 0; i < n; i++) m += miss[i] != 0;
    if (!m) return 0;
    int *u = malloc((size_t)m * sizeof *u);
    double *b = malloc((size_t)(p + 1) * sizeof *b), *y = malloc((size_t)m * sizeof *y),
           *L = calloc((size_t)m * (size_t)(p + 1), sizeof *L);
    int rc = -1;
    if (!u || !b || !y || !L) goto out;
    filter_corr(a, p, b);
    m = 0;
    for (int i = 0; i < n; i++)
        if (miss[i]) u[m++] = i;
    double ridge = b[0] * 1e-9 + 1e-30;
    for (int i = 0; i < m; i++) {
        for (int j = i; j >= 0 && j >= i - p && u[i] - u[j] <= p; j--)
            L[(size_t)i * (p + 1) + (i - j)] = b[u[i] - u[j]] + (i == j ? ridge : 0);
        double s = 0;
        int lo = u[i] - p < 0 ? 0 : u[i] - p, hi = u[i] + p >= n ? n - 1 : u[i] + p;
        for (int l = lo; l <= hi; l++)
            if (!miss[l]) s += b[abs(u[i] - l)] * x[l];
        y[i] = -s;
    }
    if (band_solve(L, y, m, p)) goto out;
    for (int i = 0; i < m; i++) x[u[i]] = (float)y[i];
    rc = 0;
out:
    free(u), free(b), free(y), free(L);
    return rc;
}
