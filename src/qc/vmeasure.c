/* Per-frame picture measures for QC, on the decoded 8-bit YUV 4:2:0 frame: the luma histogram
 * (mean, percentiles, black share), the difference from the previous frame (mean and worst
 * 16x16 block), the share of the picture outside EBU R103's preferred range, and how many
 * 16-pixel block edges are discontinuities (the signature of lost or garbage macroblocks). */
#include "qc/qcint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* EBU R103: luma within -1%..103% and R, G, B within -5%..105%; up to 1% of the area may stray. */
#define LUMA_LO 14  /* under 16 - 0.01*219 */
#define LUMA_HI 241 /* over 235 + 0.03*219 */

static void histogram(const reel_frame *f, int full, reel_qc_vframe *o)
{
    uint32_t h[256] = {0};
    for (int y = 0; y < f->height; y++) {
        const uint8_t *p = f->data[0] + (size_t)y * f->linesize[0];
        for (int x = 0; x < f->width; x++) h[p[x]]++;
    }
    double n = (double)f->width * f->height, sum = 0, acc = 0;
    int black = full ? 25 : 37; /* 10% of the range over black, as ffmpeg's blackdetect */
    double nblack = 0, nill = 0;
    float q[3] = {-1, -1, -1};
    static const double at[3] = {0.01, 0.5, 0.99};
    for (int v = 0; v < 256; v++) {
        sum += (double)v * h[v];
        if (v <= black) nblack += h[v];
        if (!full && (v < LUMA_LO || v > LUMA_HI)) nill += h[v];
        acc += h[v];
        for (int k = 0; k < 3; k++)
            if (q[k] < 0 && acc >= at[k] * n) q[k] = (float)v;
    }
    o->ymean = (float)(sum / n);
    o->ylo = q[0], o->ymid = q[1], o->yhi = q[2];
    o->black = (float)(nblack / n);
    o->illegal = (float)(nill / n);
}

/* Share of chroma sites whose R'G'B' (from the 2x2 luma mean) leaves -5%..105%. */
static float gamut(const reel_frame *f, int bt709)
{
    const double kr = bt709 ? 1.5748 : 1.402, kgb = bt709 ? 0.1873 : 0.344136,
                 kgr = bt709 ? 0.4681 : 0.714136, kb = bt709 ? 1.8556 : 1.772;
    int cw = f->width / 2, ch = f->height / 2;
    if (cw < 1 || ch < 1) return 0;
    long bad = 0;
    for (int y = 0; y < ch; y++) {
        const uint8_t *y0 = f->data[0] + (size_t)(2 * y) * f->linesize[0];
        const uint8_t *y1 = y0 + f->linesize[0];
        const uint8_t *u = f->data[1] + (size_t)y * f->linesize[1];
        const uint8_t *v = f->data[2] + (size_t)y * f->linesize[2];
        for (int x = 0; x < cw; x++) {
            double yy = ((y0[2 * x] + y0[2 * x + 1] + y1[2 * x] + y1[2 * x + 1]) * 0.25 - 16) / 219;
            double cb = (u[x] - 128) / 224.0, cr = (v[x] - 128) / 224.0;
            double r = yy + kr * cr, g = yy - kgb * cb - kgr * cr, b = yy + kb * cb;
            bad += r < -0.05 || r > 1.05 || g < -0.05 || g > 1.05 || b < -0.05 || b > 1.05;
        }
    }
    return (float)bad / ((float)cw * ch);
}

/* Mean |Y - prev| over the frame, and the largest mean over a 16x16 block. */
static void difference(const reel_frame *f, const uint8_t *prev, int pstride, reel_qc_vframe *o)
{
    int bw = (f->width + 15) / 16;
    uint32_t rowsum[512];
    double total = 0, worst = 0;
    if (bw > 512) bw = 512;
    for (int by = 0; by * 16 < f->height; by++) {
        memset(rowsum, 0, sizeof rowsum);
        int y1 = by * 16 + 16 < f->height ? by * 16 + 16 : f->height;
        for (int y = by * 16; y < y1; y++) {
            const uint8_t *a = f->data[0] + (size_t)y * f->linesize[0], *b = prev + (size_t)y * pstride;
            for (int x = 0; x < f->width; x++) rowsum[x >> 4 < 512 ? x >> 4 : 511] += (uint32_t)abs(a[x] - b[x]);
        }
        for (int bx = 0; bx < bw; bx++) {
            int x1 = bx * 16 + 16 < f->width ? bx * 16 + 16 : f->width;
            double m = rowsum[bx] / (double)((x1 - bx * 16) * (y1 - by * 16));
            total += rowsum[bx];
            if (m > worst) worst = m;
        }
    }
    o->diff = (float)(total / ((double)f->width * f->height));
    o->block_diff = (float)worst;
}

/* One 16-pixel edge segment: the step across it against the steps beside it. */
static int broken_edge(int step, int inside)
{
    return step > 12 * 16 && step > 3 * inside;
}

int reel_qc_block_edges(int w, int h)
{
    int n = 0;
    for (int by = 0; by + 16 <= h; by += 16)
        for (int x = 16; x + 2 <= w; x += 16) n++;
    for (int y = 16; y + 2 <= h; y += 16)
        for (int bx = 0; bx + 16 <= w; bx += 16) n++;
    return n;
}

/* Share of 16-pixel segments of the 16x16 grid's edges that are discontinuities. */
static float broken_edges(const reel_frame *f)
{
    const uint8_t *p = f->data[0];
    int s = f->linesize[0], w = f->width, h = f->height;
    long n = 0, bad = 0;
    for (int by = 0; by + 16 <= h; by += 16)
        for (int x = 16; x + 2 <= w; x += 16) { /* vertical edges */
            int step = 0, inside = 0;
            for (int y = by; y < by + 16; y++) {
                const uint8_t *r = p + (size_t)y * s;
                step += abs(r[x] - r[x - 1]);
                inside += (abs(r[x - 1] - r[x - 2]) + abs(r[x + 1] - r[x])) / 2;
            }
            n++, bad += broken_edge(step, inside);
        }
    for (int y = 16; y + 2 <= h; y += 16) /* horizontal edges */
        for (int bx = 0; bx + 16 <= w; bx += 16) {
            const uint8_t *a = p + (size_t)(y - 2) * s + bx, *b = a + s, *c = b + s, *d = c + s;
            int step = 0, inside = 0;
            for (int x = 0; x < 16; x++) {
                step += abs(c[x] - b[x]);
                inside += (abs(b[x] - a[x]) + abs(d[x] - c[x])) / 2;
            }
            n++, bad += broken_edge(step, inside);
        }
    return n ? (float)bad / (float)n : 0;
}

void reel_qc_measure(const reel_frame *f, const uint8_t *prev, int pstride, int bt709, reel_qc_vframe *o)
{
    histogram(f, f->full_range, o);
    if (!f->full_range) {
        float g = gamut(f, bt709);
        if (g > o->illegal) o->illegal = g;
    }
    if (prev) difference(f, prev, pstride, o);
    else o->diff = o->block_diff = NAN;
    o->broken = broken_edges(f);
}
