/* Area-average (box) resampling of one 8-bit plane, the reader's fast path from decoded planes to
 * the analysis size. Every destination pixel is the exact area-weighted mean of the source pixels
 * it covers, with integer weights (overlaps measured in units of 1/gcd of the two sizes), so
 * integer ratios are exact and non-integer ratios (1920->320, 385->97) are correct.
 *
 * A plan (reel_downscaler) holds everything that depends only on the sizes, so a video pays for
 * it once. Per row of the output: a vertical pass sums the covered source rows into a 16-bit
 * accumulator row (contiguous, vectorised); a horizontal pass reduces it to the output width;
 * a rounded division by the total weight gives the bytes. The horizontal pass is, fastest
 * first: running sums of k neighbours then every k-th (integer ratios); one weighted pass per
 * phase then a pick (ratios whose pattern repeats every <= 4 output pixels, like 480->320);
 * per-column taps (anything else). Sums that could pass 32 bits fall back to 64-bit code. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif

#include "media/media.h"
#include "util/hot.h"

#include <stdlib.h>
#include <string.h>

/* One axis: n source pixels onto m destination pixels. Overlaps are counted in units of g. */
typedef struct axis {
    int64_t n, m, g;
} axis;

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static axis axis_make(int n, int m)
{
    axis a = {n, m, gcd64(n, m)};
    return a;
}

/* Sum of the weights of one destination pixel. */
static uint32_t axis_total(const axis *a)
{
    return (uint32_t)(a->n / a->g);
}

/* Source range [i0, i1] covered by destination pixel x. */
static void axis_span(const axis *a, int x, int *i0, int *i1)
{
    *i0 = (int)((x * a->n) / a->m);
    *i1 = (int)(((x + 1) * a->n - 1) / a->m);
}

/* Weight of source pixel i in destination pixel x. */
static uint32_t axis_weight(const axis *a, int x, int i)
{
    int64_t lo = i * a->m > x * a->n ? i * a->m : x * a->n;
    int64_t hi = (i + 1) * a->m < (x + 1) * a->n ? (i + 1) * a->m : (x + 1) * a->n;
    return (uint32_t)((hi - lo) / a->g);
}

/* ---- rounded division ---------------------------------------------------------------------- */

/* Rounded division of sums by a fixed total, exact for every sum <= 256 * total: a multiply and
 * a shift when total < 2^22 (m = ceil(2^shift / total) with 257 * total^2 < 2^shift, so the
 * error stays below one step; the product stays below 2^64), a division otherwise. */
typedef struct divider {
    uint64_t total, half, mul;
    int shift;
} divider;

static divider divider_make(uint64_t total)
{
    divider d = {total, total / 2, 0, 0};
    int l = 0;
    while ((1ull << l) < total) l++;
    if (l <= 22) {
        d.shift = 9 + 2 * l;
        d.mul = ((1ull << d.shift) + total - 1) / total;
    }
    return d;
}

static uint8_t divide(const divider *d, uint64_t sum)
{
    uint64_t v = sum + d->half;
    uint64_t q = d->mul ? (v * d->mul) >> d->shift : v / d->total;
    return (uint8_t)(q > 255 ? 255 : q);
}

/* Totals <= 255 in 32-bit lanes: with 2^24 >= 257 * total^2, m = ceil(2^24 / total) is exact for
 * every sum <= 255 * total, and (sum + total/2) * m stays below 2^32. */
REEL_HOT static void divide_row32(const uint32_t *restrict sum, uint32_t half, uint32_t m,
                                  uint8_t *restrict dst, int dw)
{
    for (int x = 0; x < dw; x++) dst[x] = (uint8_t)(((sum[x] + half) * m) >> 24);
}

static void divide_row(const uint32_t *restrict sum, const divider *d, uint8_t *restrict dst, int dw)
{
    if (d->total <= 255) {
        divide_row32(sum, (uint32_t)d->half, (uint32_t)(((1u << 24) + d->total - 1) / d->total), dst, dw);
        return;
    }
    for (int x = 0; x < dw; x++) dst[x] = divide(d, sum[x]);
}

/* ---- vertical pass ------------------------------------------------------------------------- */

REEL_HOT static void vset16(const uint8_t *restrict s, uint16_t *restrict acc, int w, uint16_t wt)
{
    for (int x = 0; x < w; x++) acc[x] = (uint16_t)(wt * s[x]);
}

REEL_HOT static void vadd16(const uint8_t *restrict s, uint16_t *restrict acc, int w, uint16_t wt)
{
    for (int x = 0; x < w; x++) acc[x] = (uint16_t)(acc[x] + wt * s[x]);
}

static void vset32(const uint8_t *restrict s, uint32_t *restrict acc, int w, uint32_t wt)
{
    for (int x = 0; x < w; x++) acc[x] = wt * s[x];
}

static void vadd32(const uint8_t *restrict s, uint32_t *restrict acc, int w, uint32_t wt)
{
    for (int x = 0; x < w; x++) acc[x] += wt * s[x];
}

/* ---- horizontal passes --------------------------------------------------------------------- */

enum { H_COPY, H_UNIT, H_PHASE, H_TAPS, H_WIDE };
#define MAX_PHASES 4

struct reel_downscaler {
    int sw, sh, dw, dh;
    axis ax, ay;
    int mode;            /* H_*: how the horizontal pass runs */
    int k;               /* taps per column (max), or the integer ratio for H_UNIT */
    int *start, *count;  /* per column: first source pixel (H_TAPS: pulled left), tap count */
    uint32_t *w;         /* H_TAPS: dw x k weights (zero padded); H_WIDE: flat, sum of counts */
    int p, q;            /* H_PHASE: every q outputs the pattern moves p source pixels */
    int ph_start[MAX_PHASES];
    uint32_t ph_w[MAX_PHASES][MAX_PHASES];
    void *acc;           /* accumulator row: uint16 (H_UNIT/PHASE/TAPS) or uint32 (H_WIDE) */
    uint32_t *sums;      /* dw */
    uint32_t *run;       /* q x sw running or phase sums */
    divider dv;
};

/* Integer ratio: out[x] = sum of a[k*x .. k*x+k-1]. With k a compile-time constant the
 * compiler vectorises the strided loads (shuffles); other k take running sums of k neighbours
 * over the row (contiguous) and then every k-th. */
#define SUM_K(K)                                                                                   \
    REEL_HOT static void hsum_k##K(const uint16_t *restrict a, uint32_t *restrict out, int dw)     \
    {                                                                                              \
        for (int x = 0; x < dw; x++) {                                                             \
            uint32_t s = 0;                                                                        \
            for (int j = 0; j < K; j++) s += a[K * x + j];                                         \
            out[x] = s;                                                                            \
        }                                                                                          \
    }
SUM_K(2)
SUM_K(3)
SUM_K(4)
SUM_K(6)

REEL_HOT static void hsum_run(const uint16_t *restrict a, uint32_t *restrict run, uint32_t *restrict out,
                              int sw, int dw, int k)
{
    int n = sw - k + 1;
    for (int i = 0; i < n; i++) run[i] = a[i];
    for (int j = 1; j < k; j++)
        for (int i = 0; i < n; i++) run[i] += a[i + j];
    for (int x = 0; x < dw; x++) out[x] = run[x * k];
}

static void hsum_unit(const uint16_t *a, uint32_t *run, uint32_t *out, int sw, int dw, int k)
{
    switch (k) {
    case 2: hsum_k2(a, out, dw); break;
    case 3: hsum_k3(a, out, dw); break;
    case 4: hsum_k4(a, out, dw); break;
    case 6: hsum_k6(a, out, dw); break;
    default: hsum_run(a, run, out, sw, dw, k);
    }
}

/* One phase's weighted sum of k neighbours at every source position (contiguous). */
REEL_HOT static void phase_pass(const uint16_t *restrict a, uint32_t *restrict t, int n,
                                const uint32_t *w, int k)
{
    uint32_t w0 = w[0];
    for (int i = 0; i < n; i++) t[i] = w0 * a[i];
    for (int j = 1; j < k; j++) {
        uint32_t wj = w[j];
        for (int i = 0; i < n; i++) t[i] += wj * a[i + j];
    }
}

/* Three source pixels onto two (480->320, 1440->960): two taps each, in one vectorised loop. */
REEL_HOT static void hsum_3to2(const uint16_t *restrict a, const uint32_t *w, int s0, int s1,
                               uint32_t *restrict out, int dw)
{
    uint32_t w00 = w[0], w01 = w[1], w10 = w[MAX_PHASES], w11 = w[MAX_PHASES + 1];
    for (int b = 0; b < dw / 2; b++) {
        out[2 * b] = w00 * a[3 * b + s0] + w01 * a[3 * b + s0 + 1];
        out[2 * b + 1] = w10 * a[3 * b + s1] + w11 * a[3 * b + s1 + 1];
    }
}

static void hsum_phase(const struct reel_downscaler *d, const uint16_t *a, uint32_t *out)
{
    if (d->p == 3 && d->q == 2 && d->k == 2 && d->dw % 2 == 0) {
        hsum_3to2(a, d->ph_w[0], d->ph_start[0], d->ph_start[1], out, d->dw);
        return;
    }
    int n = d->sw - d->k + 1;
    for (int r = 0; r < d->q; r++) {
        uint32_t *t = d->run + (size_t)r * d->sw;
        phase_pass(a, t, n, d->ph_w[r], d->k);
        for (int x = r, b = 0; x < d->dw; x += d->q, b++) out[x] = t[b * d->p + d->ph_start[r]];
    }
}

/* Any ratio: k taps per column, starts and zero-padded weights from the plan. */
REEL_HOT static void hsum_taps(const uint16_t *restrict a, const int *restrict start,
                               const uint32_t *restrict w, int k, uint32_t *restrict out, int dw)
{
    if (k == 2) {
        for (int x = 0; x < dw; x++) out[x] = w[2 * x] * a[start[x]] + w[2 * x + 1] * a[start[x] + 1];
        return;
    }
    for (int x = 0; x < dw; x++) {
        const uint16_t *s = a + start[x];
        uint32_t sum = 0;
        for (int j = 0; j < k; j++) sum += w[(size_t)x * k + j] * s[j];
        out[x] = sum;
    }
}

/* 32-bit accumulator rows and 64-bit sums, for totals too large for the fast passes. */
static void hsum_wide(const struct reel_downscaler *d, const uint32_t *acc, uint8_t *dst)
{
    const uint32_t *w = d->w;
    for (int x = 0; x < d->dw; x++) {
        const uint32_t *a = acc + d->start[x];
        uint64_t sum = 0;
        for (int j = 0; j < d->count[x]; j++) sum += (uint64_t)w[j] * a[j];
        w += d->count[x];
        dst[x] = divide(&d->dv, sum);
    }
}

/* ---- plan ---------------------------------------------------------------------------------- */

/* Per-column taps; for H_TAPS each column gets k of them, starts pulled left so that no read
 * passes the row end. */
static void fill_taps(reel_downscaler *d)
{
    uint32_t *w = d->w;
    d->k = 1;
    for (int x = 0; x < d->dw; x++) {
        int i0, i1;
        axis_span(&d->ax, x, &i0, &i1);
        d->start[x] = i0;
        d->count[x] = i1 - i0 + 1;
        if (d->count[x] > d->k) d->k = d->count[x];
    }
    if (d->mode == H_WIDE) {
        for (int x = 0; x < d->dw; x++)
            for (int i = d->start[x]; i < d->start[x] + d->count[x]; i++) *w++ = axis_weight(&d->ax, x, i);
        return;
    }
    for (int x = 0; x < d->dw; x++) {
        int s = d->start[x], pad = s + d->k > d->sw ? s + d->k - d->sw : 0;
        for (int j = 0; j < d->k; j++) {
            int i = s - pad + j;
            w[(size_t)x * d->k + j] = i >= s && i < s + d->count[x] ? axis_weight(&d->ax, x, i) : 0;
        }
        d->start[x] = s - pad;
    }
}

static int is_unit(const reel_downscaler *d)
{
    if (d->sw % d->dw) return 0;
    for (int x = 0; x < d->dw; x++)
        if (d->start[x] != x * d->k || d->count[x] != d->k) return 0;
    return 1;
}

/* A pattern that repeats every q <= MAX_PHASES outputs, moving p source pixels each time. */
static int find_phases(reel_downscaler *d)
{
    d->p = (int)(d->ax.n / d->ax.g);
    d->q = (int)(d->ax.m / d->ax.g);
    if (d->q > MAX_PHASES || d->k > MAX_PHASES || d->q > d->dw) return 0;
    for (int r = 0; r < d->q; r++) {
        d->ph_start[r] = d->start[r];
        memcpy(d->ph_w[r], d->w + (size_t)r * d->k, (size_t)d->k * sizeof(uint32_t));
    }
    for (int x = 0; x < d->dw; x++) {
        int r = x % d->q;
        if (d->start[x] != (x / d->q) * d->p + d->ph_start[r] ||
            memcmp(d->w + (size_t)x * d->k, d->ph_w[r], (size_t)d->k * sizeof(uint32_t)))
            return 0;
    }
    return 1;
}

static void choose_mode(reel_downscaler *d)
{
    uint64_t tx = axis_total(&d->ax), ty = axis_total(&d->ay);
    int narrow = 255u * ty <= 65535u && 255ull * tx * ty < (1ull << 32);
    d->mode = narrow ? H_TAPS : H_WIDE;
    fill_taps(d);
    if (d->mode == H_WIDE) return;
    if (is_unit(d)) d->mode = H_UNIT;
    else if (find_phases(d)) d->mode = H_PHASE;
}

reel_downscaler *reel_downscaler_new(int sw, int sh, int dw, int dh)
{
    if (sw <= 0 || sh <= 0 || dw <= 0 || dh <= 0 || dw > sw || dh > sh) return NULL;
    reel_downscaler *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    *d = (reel_downscaler){.sw = sw, .sh = sh, .dw = dw, .dh = dh, .ax = axis_make(sw, dw), .ay = axis_make(sh, dh)};
    size_t nw = (size_t)sw + (size_t)dw * (size_t)(sw / dw + 2);
    d->start = malloc((size_t)dw * sizeof(int));
    d->count = malloc((size_t)dw * sizeof(int));
    d->w = malloc(nw * sizeof(uint32_t));
    d->acc = malloc((size_t)sw * 4);
    d->sums = malloc((size_t)dw * 4);
    d->run = malloc((size_t)sw * 4 * MAX_PHASES);
    if (!d->start || !d->count || !d->w || !d->acc || !d->sums || !d->run) {
        reel_downscaler_free(d);
        return NULL;
    }
    if (sw == dw && sh == dh) d->mode = H_COPY;
    else choose_mode(d);
    d->dv = divider_make((uint64_t)axis_total(&d->ax) * axis_total(&d->ay));
    return d;
}

void reel_downscaler_free(reel_downscaler *d)
{
    if (!d) return;
    free(d->start);
    free(d->count);
    free(d->w);
    free(d->acc);
    free(d->sums);
    free(d->run);
    free(d);
}

/* Vertical pass for output row y into the accumulator. */
static void vpass(const reel_downscaler *d, const uint8_t *src, int sstride, int y)
{
    int j0, j1;
    axis_span(&d->ay, y, &j0, &j1);
    for (int j = j0; j <= j1; j++) {
        uint32_t wt = axis_weight(&d->ay, y, j);
        const uint8_t *row = src + (ptrdiff_t)j * sstride;
        if (d->mode == H_WIDE) {
            if (j == j0) vset32(row, d->acc, d->sw, wt);
            else vadd32(row, d->acc, d->sw, wt);
        } else if (j == j0) {
            vset16(row, d->acc, d->sw, (uint16_t)wt);
        } else {
            vadd16(row, d->acc, d->sw, (uint16_t)wt);
        }
    }
}

void reel_downscaler_run(const reel_downscaler *d, const uint8_t *src, int sstride, uint8_t *dst,
                         int dstride)
{
    for (int y = 0; y < d->dh; y++) {
        uint8_t *out = dst + (ptrdiff_t)y * dstride;
        if (d->mode == H_COPY) {
            memcpy(out, src + (ptrdiff_t)y * sstride, (size_t)d->sw);
            continue;
        }
        vpass(d, src, sstride, y);
        switch (d->mode) {
        case H_WIDE: hsum_wide(d, d->acc, out); continue;
        case H_UNIT: hsum_unit(d->acc, d->run, d->sums, d->sw, d->dw, d->k); break;
        case H_PHASE: hsum_phase(d, d->acc, d->sums); break;
        default: hsum_taps(d->acc, d->start, d->w, d->k, d->sums, d->dw); break;
        }
        divide_row(d->sums, &d->dv, out, d->dw);
    }
}

/* ---- one-off entry point ------------------------------------------------------------------- */

/* Without scratch memory: every destination pixel sums its own source rectangle. */
static void scale_direct(const uint8_t *src, int sstride, const axis *ay, const axis *ax,
                         uint8_t *dst, int dstride, int dw, int dh)
{
    divider dv = divider_make((uint64_t)axis_total(ax) * axis_total(ay));
    for (int y = 0; y < dh; y++) {
        int j0, j1;
        axis_span(ay, y, &j0, &j1);
        for (int x = 0; x < dw; x++) {
            int i0, i1;
            axis_span(ax, x, &i0, &i1);
            uint64_t sum = 0;
            for (int j = j0; j <= j1; j++) {
                const uint8_t *row = src + (ptrdiff_t)j * sstride;
                uint64_t wy = axis_weight(ay, y, j), s = 0;
                for (int i = i0; i <= i1; i++) s += (uint64_t)axis_weight(ax, x, i) * row[i];
                sum += wy * s;
            }
            dst[(ptrdiff_t)y * dstride + x] = divide(&dv, sum);
        }
    }
}

void reel_downscale_plane(const uint8_t *src, int sstride, int sw, int sh, uint8_t *dst, int dstride,
                          int dw, int dh)
{
    if (!src || !dst || sw <= 0 || sh <= 0 || dw <= 0 || dh <= 0) return;
    reel_downscaler *d = reel_downscaler_new(sw, sh, dw, dh);
    if (d) reel_downscaler_run(d, src, sstride, dst, dstride);
    else {
        axis ax = axis_make(sw, dw), ay = axis_make(sh, dh);
        scale_direct(src, sstride, &ay, &ax, dst, dstride, dw, dh);
    }
    reel_downscaler_free(d);
}
