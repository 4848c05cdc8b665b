/* 3D colour look-up tables: the grid, tetrahedral interpolation (the interpolation Resolve,
 * OpenColorIO and ffmpeg's lut3d=interp=tetrahedral use: each cube cell is cut into six
 * tetrahedra along its neutral diagonal, so greys stay grey and no cell blends more than four
 * of its corners), on packed 8-bit RGB and on float RGB.
 *
 * Grid order is the .cube order: red changes fastest, then green, then blue. The input domain
 * [dmin, dmax] per channel maps onto the grid's first and last points; inputs outside it are
 * clamped to it (as the .cube specification and ffmpeg do). */
#ifndef REEL_COLOR_LUT3D_H
#define REEL_COLOR_LUT3D_H

#include <stddef.h>
#include <stdint.h>

enum { REEL_LUT3D_MIN = 2, REEL_LUT3D_MAX = 256 };

typedef struct reel_lut3d {
    int n;                 /* points per axis */
    float dmin[3], dmax[3]; /* input domain per channel */
    float *t;              /* n^3 RGB triples, red fastest */
    char title[256];
} reel_lut3d;

/* An identity table of n points per axis over [0, 1]. 0, or -1 (n out of range, no memory). */
int reel_lut3d_alloc(reel_lut3d *l, int n);
void reel_lut3d_free(reel_lut3d *l);
/* The triple at grid point (r, g, b). */
static inline float *reel_lut3d_at(const reel_lut3d *l, int r, int g, int b)
{
    return l->t + 3 * ((size_t)r + (size_t)l->n * ((size_t)g + (size_t)l->n * (size_t)b));
}

/* n pixels of interleaved float RGB through the table (out may be in). */
void reel_lut3d_apply_f32(const reel_lut3d *l, const float *in, float *out, size_t n);

/* Packed 8-bit RGB: a plan built once per table (per-channel index and weight tables), then any
 * number of rows. Output rounded to nearest, clamped to 0..255. */
typedef struct reel_lut3d_plan reel_lut3d_plan;
reel_lut3d_plan *reel_lut3d_plan_new(const reel_lut3d *l);
void reel_lut3d_apply_rgb24(const reel_lut3d_plan *p, const uint8_t *in, uint8_t *out, size_t n);
/* Y'CbCr 4:2:0 through a table whose axes are Y, Cb, Cr (8-bit codes): one chroma row, the luma
 * rows in[0] and, when rows is 2, in[1], of width w, with their chroma u, v, into the luma rows out[]
 * and chroma rows ou, ov. Each pixel (its own Y, its block's Cb and Cr) goes through the table;
 * the block's new Cb and Cr are the means of its pixels', as 4:2:0 made from a graded RGB picture
 * would be. */
void reel_lut3d_apply_420(const reel_lut3d_plan *p, const uint8_t *const in[2], const uint8_t *u, const uint8_t *v,
                          uint8_t *const out[2], uint8_t *ou, uint8_t *ov, int w, int rows);
/* The vector paths of reel_lut3d_apply_420, each giving the same bytes as the scalar one. */
enum { REEL_SIMD_NONE = 0, REEL_SIMD_AVX2 = 1, REEL_SIMD_AVX512 = 2 };
/* The widest path this CPU runs, and a cap on the path used (default REEL_SIMD_AVX512: the widest
 * the CPU has; tests lower it to compare the paths). */
int reel_lut3d_simd_level(void);
void reel_lut3d_set_simd(int max_level);
/* A per-channel gain on the 8-bit input before the table (1, 1, 1: none), folded into the plan's
 * index tables so it costs nothing per pixel and keeps the gained value's fraction (no 8-bit
 * rounding in between). Values gained past 255 clamp to the table's edge. */
void reel_lut3d_plan_set_gain(reel_lut3d_plan *p, const float gain[3]);
void reel_lut3d_plan_free(reel_lut3d_plan *p);

#endif
