/* A grade composed into one Y'CbCr table (see yuvgrade.h). */
#include "color/yuvgrade.h"

#include <string.h>

enum { GRID = 33 };

static const float unity[3] = {1, 1, 1};

int reel_yuvgrade_needed(const reel_yuv_desc *d) { return d->full_range || d->kr != 0.2126 || d->kb != 0.0722; }

static double clamp01(double v) { return v > 0 ? (v < 1 ? v : 1) : 0; }

/* R'G'B' 0..1 to BT.709 limited codes / 255. */
static void rgb_to_709(const float rgb[3], float out[3])
{
    double y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
    out[0] = (float)((16 + 219 * y) / 255);
    out[1] = (float)((128 + 224 * (rgb[2] - y) / 1.8556) / 255);
    out[2] = (float)((128 + 224 * (rgb[0] - y) / 1.5748) / 255);
}

static void fill(reel_yuvgrade *g)
{
    for (int k = 0; k < GRID; k++)
        for (int j = 0; j < GRID; j++)
            for (int i = 0; i < GRID; i++) {
                double yuv[3] = {(double)i / (GRID - 1), (double)j / (GRID - 1), (double)k / (GRID - 1)}, rgb[3];
                reel_yuv_to_rgb(&g->src, yuv, rgb);
                float c[3];
                for (int ch = 0; ch < 3; ch++) {
                    c[ch] = (float)(clamp01(rgb[ch]) * g->gain[ch]);
                    if (!g->rgb) c[ch] = (float)clamp01(c[ch]);
                }
                if (g->rgb) reel_lut3d_apply_f32(g->rgb, c, c, 1);
                rgb_to_709(c, reel_lut3d_at(&g->t, i, j, k));
            }
}

int reel_yuvgrade_set(reel_yuvgrade *g, const reel_yuv_desc *d, const reel_lut3d *rgb, unsigned gen,
                      const float gain[3])
{
    if (!gain) gain = unity;
    if (g->plan && g->rgb == rgb && g->gen == gen && g->src.kr == d->kr && g->src.kb == d->kb &&
        g->src.full_range == d->full_range && !memcmp(g->gain, gain, sizeof g->gain))
        return 0;
    reel_lut3d_plan_free(g->plan);
    g->plan = NULL;
    if (!g->t.t && reel_lut3d_alloc(&g->t, GRID)) return -1;
    g->src = *d, g->rgb = rgb, g->gen = gen;
    memcpy(g->gain, gain, sizeof g->gain);
    fill(g);
    return (g->plan = reel_lut3d_plan_new(&g->t)) ? 0 : -1;
}

void reel_yuvgrade_rows(const reel_yuvgrade *g, const reel_frame *src, reel_frame *dst, int c0, int c1)
{
    for (int cy = c0; cy < c1; cy++) {
        int y = 2 * cy, rows = y + 1 < src->height ? 2 : 1;
        const uint8_t *in[2] = {src->data[0] + (size_t)y * src->linesize[0],
                                src->data[0] + (size_t)(y + rows - 1) * src->linesize[0]};
        uint8_t *out[2] = {dst->data[0] + (size_t)y * dst->linesize[0],
                           dst->data[0] + (size_t)(y + rows - 1) * dst->linesize[0]};
        reel_lut3d_apply_420(g->plan, in, src->data[1] + (size_t)cy * src->linesize[1],
                             src->data[2] + (size_t)cy * src->linesize[2], out, dst->data[1] + (size_t)cy * dst->linesize[1],
                             dst->data[2] + (size_t)cy * dst->linesize[2], src->width, rows);
    }
}

void reel_yuvgrade_free(reel_yuvgrade *g)
{
    reel_lut3d_plan_free(g->plan);
    reel_lut3d_free(&g->t);
    memset(g, 0, sizeof *g);
}
