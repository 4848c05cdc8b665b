/* Area-average (box) resampling of one 8-bit plane, the reader's fast path from decoded planes to
 * the analysis size. Every destination pixel is the exact area-weighted mean of the source pixels
 * it covers, with integer weights (overlaps measured in units of 1/gcd of the two sizes), so
 * integer ratios are exact and non-integer ratios (1920->320, 385->97) are correct. The vertical
 * pass runs first over whole rows (contiguous, auto-vectorised); the horizontal pass then touches
 * only the dh accumulated rows. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif

#include "media/media.h"

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

static void vset16(const uint8_t *restrict s, uint16_t *restrict acc, int w, uint16_t wt)
{
    for (int x = 0; x < w; x++) acc[x] = (uint16_t)(wt * s[x]);
}

static void vadd16(const uint8_t *restrict s, uint16_t *restrict acc, int w, uint16_t wt)
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

/* The horizontal taps of every destination column, computed once per call: first source
 * column, tap count and the weights (flat, at most sw + dw of them). */
typedef struct htaps {
    int *start, *count;
    uint32_t *w;
} htaps;

static void htaps_fill(const axis *ax, int dw, htaps *t)
{
    uint32_t *w = t->w;
    for (int x = 0; x < dw; x++) {
        int i0, i1;
        axis_span(ax, x, &i0, &i1);
        t->start[x] = i0;
        t->count[x] = i1 - i0 + 1;
        for (int i = i0; i <= i1; i++) *w++ = axis_weight(ax, x, i);
    }
}

static void hpass16(const uint16_t *acc, const htaps *t, const divider *dv, uint8_t *dst, int dw)
{
    const uint32_t *w = t->w;
    for (int x = 0; x < dw; x++) {
        const uint16_t *a = acc + t->start[x];
        uint64_t sum = 0;
        for (int k = 0; k < t->count[x]; k++) sum += (uint64_t)w[k] * a[k];
        w += t->count[x];
        dst[x] = divide(dv, sum);
    }
}

static void hpass32(const uint32_t *acc, const htaps *t, const divider *dv, uint8_t *dst, int dw)
{
    const uint32_t *w = t->w;
    for (int x = 0; x < dw; x++) {
        const uint32_t *a = acc + t->start[x];
        uint64_t sum = 0;
        for (int k = 0; k < t->count[x]; k++) sum += (uint64_t)w[k] * a[k];
        w += t->count[x];
        dst[x] = divide(dv, sum);
    }
}

/* When the accumulated column sums fit 16 bits (255 * vertical total <= 65535). */
static void scale16(const uint8_t *src, int sstride, int sw, const axis *ay, const htaps *t,
                    uint32_t htotal, uint8_t *dst, int dstride, int dw, int dh, uint16_t *acc)
{
    divider dv = divider_make((uint64_t)htotal * axis_total(ay));
    for (int y = 0; y < dh; y++) {
        int j0, j1;
        axis_span(ay, y, &j0, &j1);
        for (int j = j0; j <= j1; j++) {
            uint16_t wt = (uint16_t)axis_weight(ay, y, j);
            const uint8_t *row = src + (ptrdiff_t)j * sstride;
            if (j == j0) vset16(row, acc, sw, wt);
            else vadd16(row, acc, sw, wt);
        }
        hpass16(acc, t, &dv, dst + (ptrdiff_t)y * dstride, dw);
    }
}

static void scale32(const uint8_t *src, int sstride, int sw, const axis *ay, const htaps *t,
                    uint32_t htotal, uint8_t *dst, int dstride, int dw, int dh, uint32_t *acc)
{
    divider dv = divider_make((uint64_t)htotal * axis_total(ay));
    for (int y = 0; y < dh; y++) {
        int j0, j1;
        axis_span(ay, y, &j0, &j1);
        for (int j = j0; j <= j1; j++) {
            uint32_t wt = axis_weight(ay, y, j);
            const uint8_t *row = src + (ptrdiff_t)j * sstride;
            if (j == j0) vset32(row, acc, sw, wt);
            else vadd32(row, acc, sw, wt);
        }
        hpass32(acc, t, &dv, dst + (ptrdiff_t)y * dstride, dw);
    }
}

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

static void copy_plane(const uint8_t *src, int sstride, uint8_t *dst, int dstride, int w, int h)
{
    for (int y = 0; y < h; y++)
        memcpy(dst + (ptrdiff_t)y * dstride, src + (ptrdiff_t)y * sstride, (size_t)w);
}

void reel_downscale_plane(const uint8_t *src, int sstride, int sw, int sh, uint8_t *dst, int dstride,
                          int dw, int dh)
{
    if (!src || !dst || sw <= 0 || sh <= 0 || dw <= 0 || dh <= 0) return;
    if (sw == dw && sh == dh) {
        copy_plane(src, sstride, dst, dstride, sw, sh);
        return;
    }
    axis ax = axis_make(sw, dw), ay = axis_make(sh, dh);
    int narrow = 255u * axis_total(&ay) <= 65535u;
    /* one block: accumulator row (sw x 4 bytes), tap starts and counts, weights (<= sw + dw) */
    size_t nw = (size_t)sw + (size_t)dw + 1;
    void *heap = malloc((size_t)sw * 4 + (size_t)dw * 2 * sizeof(int) + nw * sizeof(uint32_t));
    if (!heap) {
        scale_direct(src, sstride, &ay, &ax, dst, dstride, dw, dh);
        return;
    }
    htaps t = {(int *)((char *)heap + (size_t)sw * 4), NULL, NULL};
    t.count = t.start + dw;
    t.w = (uint32_t *)(t.count + dw);
    htaps_fill(&ax, dw, &t);
    if (narrow) scale16(src, sstride, sw, &ay, &t, axis_total(&ax), dst, dstride, dw, dh, heap);
    else scale32(src, sstride, sw, &ay, &t, axis_total(&ax), dst, dstride, dw, dh, heap);
    free(heap);
}
