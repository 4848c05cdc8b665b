/* Internal to color/: the 8-bit plan's layout, shared by lut3d.c and its vector path. */
#ifndef REEL_COLOR_LUT3D_PLAN_H
#define REEL_COLOR_LUT3D_PLAN_H

#include "color/lut3d.h"

/* The 8-bit path works in fixed point: the table as int16 in 1/64 of an 8-bit level (so -2..2 of
 * the range fits, more than any grade reaches), fractions in 1/4096 of a cell. The sum of four
 * weighted corners is then the output in 2^-18 levels, rounded with one shift. The tetrahedron is
 * chosen without branches (which a natural picture's pixels mispredict about half the time). */
enum { Q_SHIFT = 12, Q_ONE = 1 << Q_SHIFT, Q_OUT = 64 };

struct reel_lut3d_plan {
    const reel_lut3d *l;
    int16_t *q;           /* the table, n^3 RGB triples, in 1/Q_OUT of an 8-bit level */
    int32_t sr, sg, sb;
    int32_t off[3][256];  /* per channel and 8-bit value: the cell's grid offset along that axis */
    int32_t f[3][256];    /* and the fraction, 0..Q_ONE */
    int32_t ca[8], cb[8]; /* per tetrahedron: the offsets of the corners after c000 */
    int32_t pk[3][256];   /* off << PK_SHIFT | f, one load for both */
    int vec;              /* the widest vector path this plan may run (REEL_SIMD_*): the CPU's, where
                             pk holds the offsets (tables up to 44 points), else none */
};
enum { PK_SHIFT = 13 };   /* f is 0..Q_ONE (13 bits); offsets must stay under 2^18 */

static inline uint8_t clamp8(int32_t v)
{
    v = (v + (1 << (Q_SHIFT + 5))) >> (Q_SHIFT + 6); /* Q_OUT = 2^6 */
    return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
}

static inline int32_t max3(int32_t a, int32_t b, int32_t c) { a = a > b ? a : b; return a > c ? a : c; }
static inline int32_t min3(int32_t a, int32_t b, int32_t c) { a = a < b ? a : b; return a < c ? a : c; }

/* Interpolate channels [c0, c1) of the table at 8-bit input (a, b, c) into o. */
static inline void interp(const reel_lut3d_plan *p, int a, int b, int c, int c0, int c1, uint8_t *o)
{
    int32_t fr = p->f[0][a], fg = p->f[1][b], fb = p->f[2][c];
    int k = (fr > fg) << 2 | (fg > fb) << 1 | (fr > fb);
    int32_t hi = max3(fr, fg, fb), lo = min3(fr, fg, fb), mid = fr + fg + fb - hi - lo;
    int32_t w0 = Q_ONE - hi, wa = hi - mid, wb = mid - lo;
    const int16_t *q0 = p->q + p->off[0][a] + p->off[1][b] + p->off[2][c];
    const int16_t *qa = q0 + p->ca[k], *qb = q0 + p->cb[k], *q1 = q0 + p->sr + p->sg + p->sb;
    for (int ch = c0; ch < c1; ch++) o[ch] = clamp8(w0 * q0[ch] + wa * qa[ch] + wb * qb[ch] + lo * q1[ch]);
}

/* The vector paths (lut3d_avx2.c, lut3d_avx512.c): whether this CPU runs each, and
 * reel_lut3d_apply_420's columns [0, x) for the largest x each handles (a multiple of 8 or 16),
 * returned; the caller does the rest. */
int reel_lut3d_avx2_usable(void);
int reel_lut3d_420_avx2(const reel_lut3d_plan *p, const uint8_t *const in[2], const uint8_t *u, const uint8_t *v,
                        uint8_t *const out[2], uint8_t *ou, uint8_t *ov, int w, int rows);
int reel_lut3d_avx512_usable(void);
int reel_lut3d_420_avx512(const reel_lut3d_plan *p, const uint8_t *const in[2], const uint8_t *u, const uint8_t *v,
                          uint8_t *const out[2], uint8_t *ou, uint8_t *ov, int w, int rows);

#endif
