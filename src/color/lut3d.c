/* 3D LUTs and tetrahedral interpolation (see lut3d.h). */
#include "color/lut3d.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int reel_lut3d_alloc(reel_lut3d *l, int n)
{
    memset(l, 0, sizeof *l);
    if (n < REEL_LUT3D_MIN || n > REEL_LUT3D_MAX) return -1;
    l->t = malloc((size_t)n * (size_t)n * (size_t)n * 3 * sizeof *l->t);
    if (!l->t) return -1;
    l->n = n;
    for (int c = 0; c < 3; c++) l->dmin[c] = 0, l->dmax[c] = 1;
    for (int b = 0; b < n; b++)
        for (int g = 0; g < n; g++)
            for (int r = 0; r < n; r++) {
                float *p = reel_lut3d_at(l, r, g, b);
                p[0] = (float)r / (float)(n - 1), p[1] = (float)g / (float)(n - 1), p[2] = (float)b / (float)(n - 1);
            }
    return 0;
}

void reel_lut3d_free(reel_lut3d *l)
{
    free(l->t);
    memset(l, 0, sizeof *l);
}

/* The cell and the weights of one channel value: grid offset of the lower point (in floats,
 * stride apart) and the fraction toward the next. */
static inline void locate(const reel_lut3d *l, int c, float v, size_t stride, size_t *off, float *f)
{
    float x = (v - l->dmin[c]) / (l->dmax[c] - l->dmin[c]) * (float)(l->n - 1);
    x = x > 0 ? x : 0; /* NaN too */
    x = x < (float)(l->n - 1) ? x : (float)(l->n - 1);
    int i = (int)x;
    i = i < l->n - 2 ? i : l->n - 2;
    *off = (size_t)i * stride, *f = x - (float)i;
}

/* Tetrahedral interpolation in the cell at base (offsets of its +r, +g, +b neighbours sr, sg, sb)
 * with fractions fr, fg, fb: out[0..2]. */
static inline void tetra(const float *base, size_t sr, size_t sg, size_t sb, float fr, float fg, float fb, float *out)
{
    const float *c000 = base, *c111 = base + sr + sg + sb, *ca, *cb;
    float w0, wa, wb, w1;
    if (fr > fg) {
        if (fg > fb) ca = base + sr, cb = base + sr + sg, w0 = 1 - fr, wa = fr - fg, wb = fg - fb, w1 = fb;
        else if (fr > fb) ca = base + sr, cb = base + sr + sb, w0 = 1 - fr, wa = fr - fb, wb = fb - fg, w1 = fg;
        else ca = base + sb, cb = base + sr + sb, w0 = 1 - fb, wa = fb - fr, wb = fr - fg, w1 = fg;
    } else {
        if (fb > fg) ca = base + sb, cb = base + sg + sb, w0 = 1 - fb, wa = fb - fg, wb = fg - fr, w1 = fr;
        else if (fb > fr) ca = base + sg, cb = base + sg + sb, w0 = 1 - fg, wa = fg - fb, wb = fb - fr, w1 = fr;
        else ca = base + sg, cb = base + sr + sg, w0 = 1 - fg, wa = fg - fr, wb = fr - fb, w1 = fb;
    }
    for (int k = 0; k < 3; k++) out[k] = w0 * c000[k] + wa * ca[k] + wb * cb[k] + w1 * c111[k];
}

void reel_lut3d_apply_f32(const reel_lut3d *l, const float *in, float *out, size_t n)
{
    size_t sr = 3, sg = 3 * (size_t)l->n, sb = sg * (size_t)l->n;
    for (size_t i = 0; i < n; i++) {
        size_t orr, og, ob;
        float fr, fg, fb, v[3];
        locate(l, 0, in[3 * i], sr, &orr, &fr);
        locate(l, 1, in[3 * i + 1], sg, &og, &fg);
        locate(l, 2, in[3 * i + 2], sb, &ob, &fb);
        tetra(l->t + orr + og + ob, sr, sg, sb, fr, fg, fb, v);
        out[3 * i] = v[0], out[3 * i + 1] = v[1], out[3 * i + 2] = v[2];
    }
}

struct reel_lut3d_plan {
    const reel_lut3d *l;
    size_t sr, sg, sb;
    uint32_t off[3][256]; /* per channel and 8-bit value: the cell's grid offset along that axis */
    float f[3][256];      /* and the fraction */
};

void reel_lut3d_plan_set_gain(reel_lut3d_plan *p, const float gain[3])
{
    size_t stride[3] = {p->sr, p->sg, p->sb};
    for (int c = 0; c < 3; c++)
        for (int v = 0; v < 256; v++) {
            size_t o;
            locate(p->l, c, (float)v / 255.0f * gain[c], stride[c], &o, &p->f[c][v]);
            p->off[c][v] = (uint32_t)o;
        }
}

reel_lut3d_plan *reel_lut3d_plan_new(const reel_lut3d *l)
{
    reel_lut3d_plan *p = malloc(sizeof *p);
    if (!p) return NULL;
    p->l = l;
    p->sr = 3, p->sg = 3 * (size_t)l->n, p->sb = p->sg * (size_t)l->n;
    reel_lut3d_plan_set_gain(p, (const float[3]){1, 1, 1});
    return p;
}

static inline uint8_t to8(float v)
{
    v = v * 255.0f + 0.5f;
    return !(v > 0) ? 0 : v >= 255 ? 255 : (uint8_t)v; /* NaN -> 0 */
}

void reel_lut3d_apply_rgb24(const reel_lut3d_plan *p, const uint8_t *in, uint8_t *out, size_t n)
{
    const float *t = p->l->t;
    for (size_t i = 0; i < n; i++, in += 3, out += 3) {
        int r = in[0], g = in[1], b = in[2];
        float v[3];
        tetra(t + p->off[0][r] + p->off[1][g] + p->off[2][b], p->sr, p->sg, p->sb, p->f[0][r], p->f[1][g], p->f[2][b], v);
        out[0] = to8(v[0]), out[1] = to8(v[1]), out[2] = to8(v[2]);
    }
}

void reel_lut3d_plan_free(reel_lut3d_plan *p) { free(p); }
