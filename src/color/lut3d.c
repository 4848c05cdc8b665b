/* 3D LUTs and tetrahedral interpolation (see lut3d.h). */
#include "color/lut3d.h"
#include "color/lut3d_plan.h"

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

void reel_lut3d_plan_set_gain(reel_lut3d_plan *p, const float gain[3])
{
    size_t stride[3] = {(size_t)p->sr, (size_t)p->sg, (size_t)p->sb};
    for (int c = 0; c < 3; c++)
        for (int v = 0; v < 256; v++) {
            size_t o;
            float f;
            locate(p->l, c, (float)v / 255.0f * gain[c], stride[c], &o, &f);
            p->off[c][v] = (int32_t)o, p->f[c][v] = (int32_t)lrintf(f * Q_ONE);
            if (p->vec) p->pk[c][v] = p->off[c][v] << PK_SHIFT | p->f[c][v]; /* fits: see lut3d_plan.h */
        }
}

/* The six tetrahedra, indexed by (fr > fg) << 2 | (fg > fb) << 1 | (fr > fb): ca steps along the
 * axis of the largest fraction, cb along the two largest (indexes 1 and 6 cannot happen). */
static void plan_tetrahedra(reel_lut3d_plan *p)
{
    int32_t r = p->sr, g = p->sg, b = p->sb;
    const int32_t a[8] = {b, b, g, g, b, r, r, r}, ab[8] = {g + b, g + b, g + b, r + g, r + b, r + b, r + g, r + g};
    memcpy(p->ca, a, sizeof a), memcpy(p->cb, ab, sizeof ab);
}

reel_lut3d_plan *reel_lut3d_plan_new(const reel_lut3d *l)
{
    size_t cells = (size_t)l->n * (size_t)l->n * (size_t)l->n * 3;
    reel_lut3d_plan *p = malloc(sizeof *p);
    if (!p || !(p->q = malloc((cells + 2) * sizeof *p->q))) {
        free(p);
        return NULL;
    }
    p->q[cells] = p->q[cells + 1] = 0; /* the vector path's 64-bit loads read past the last entry */
    for (size_t i = 0; i < cells; i++) {
        float v = l->t[i] * 255.0f * Q_OUT;
        v = v > -32767.0f ? v : -32767.0f; /* NaN too */
        p->q[i] = (int16_t)lrintf(v < 32767.0f ? v : 32767.0f);
    }
    p->l = l;
    p->sr = 3, p->sg = 3 * l->n, p->sb = p->sg * l->n;
    p->vec = cells < (1u << (31 - PK_SHIFT)) ? reel_lut3d_simd_level() : REEL_SIMD_NONE; /* decided here, read by any thread */
    plan_tetrahedra(p);
    reel_lut3d_plan_set_gain(p, (const float[3]){1, 1, 1});
    return p;
}

void reel_lut3d_apply_rgb24(const reel_lut3d_plan *p, const uint8_t *in, uint8_t *out, size_t n)
{
    int last = -1;
    uint8_t o[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++, in += 3, out += 3) {
        int key = in[0] | in[1] << 8 | in[2] << 16;
        if (key != last) interp(p, in[0], in[1], in[2], 0, 3, o), last = key; /* flat areas repeat pixels */
        out[0] = o[0], out[1] = o[1], out[2] = o[2];
    }
}

static int simd_cap = REEL_SIMD_AVX512; /* tests lower it to compare the paths */

void reel_lut3d_set_simd(int max_level) { simd_cap = max_level; }

int reel_lut3d_simd_level(void)
{
    return reel_lut3d_avx512_usable() ? REEL_SIMD_AVX512 : reel_lut3d_avx2_usable() ? REEL_SIMD_AVX2 : REEL_SIMD_NONE;
}

void reel_lut3d_apply_420(const reel_lut3d_plan *p, const uint8_t *const in[2], const uint8_t *u, const uint8_t *v,
                          uint8_t *const out[2], uint8_t *ou, uint8_t *ov, int w, int rows)
{
    uint8_t o[3];
    int level = p->vec < simd_cap ? p->vec : simd_cap;
    int x = level == REEL_SIMD_AVX512 ? reel_lut3d_420_avx512(p, in, u, v, out, ou, ov, w, rows)
            : level == REEL_SIMD_AVX2 ? reel_lut3d_420_avx2(p, in, u, v, out, ou, ov, w, rows)
                                      : 0;
    for (; x < w; x += 2) {
        int cx = x >> 1, two = x + 1 < w, su = 0, sv = 0, n = 0;
        for (int r = 0; r < rows; r++)
            for (int d = 0; d <= two; d++, n++) {
                interp(p, in[r][x + d], u[cx], v[cx], 0, 3, o);
                out[r][x + d] = o[0], su += o[1], sv += o[2];
            }
        ou[cx] = (uint8_t)((su + n / 2) / n), ov[cx] = (uint8_t)((sv + n / 2) / n);
    }
}

void reel_lut3d_plan_free(reel_lut3d_plan *p)
{
    if (p) free(p->q);
    free(p);
}
