/* 3D LUT application speed: `bench_lut FRAMES.rgb W H OUT.cube` writes a 65-point look as a
 * .cube (for ffmpeg's lut3d to read in the same run), then applies it with reel's tetrahedral
 * interpolation to every packed-RGB frame of FRAMES.rgb on one thread, five times, and prints
 * the best time per frame and the rate in megapixels a second ("reel_s_per_frame S" and
 * "reel_mpx_s M" lines; bench/lut.sh compares them with ffmpeg). Then the same look on the same
 * frames as 4:2:0 Y'CbCr (BT.709 limited, made here), the way the render grades H.264/H.265
 * deliverables: the look composed into one Y'CbCr table (color/yuvgrade.c), "reel420_s_per_frame"
 * and "reel420_mpx_s" (with the widest vector path the CPU has), then each path alone
 * ("reel420_scalar_mpx_s", "reel420_avx2_mpx_s", "reel420_avx512_mpx_s"). Exits 2 when it cannot run. */
#include "color/lut3d.h"
#include "color/yuvgrade.h"
#include "timeline/cube.h"
#include "util/fsutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* A teal-and-orange-like look: warm highlights, cool shadows, more saturation, a soft S. */
static void look(const float in[3], float out[3])
{
    float y = 0.2126f * in[0] + 0.7152f * in[1] + 0.0722f * in[2];
    float warm = y - 0.5f, s = y + 0.15f * sinf(6.2831853f * (y - 0.5f)) / 6.2831853f * 4;
    float tint[3] = {0.08f * warm, 0.01f * warm, -0.10f * warm};
    for (int c = 0; c < 3; c++) {
        float v = s + 1.3f * (in[c] - y) + tint[c];
        out[c] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
}

/* Packed RGB to 4:2:0 BT.709 limited range (chroma the mean of each 2x2 block). */
static void to420(const unsigned char *rgb, size_t w, size_t h, reel_frame *f)
{
    for (size_t y = 0; y < h; y++)
        for (size_t x = 0; x < w; x++) {
            const unsigned char *c = rgb + 3 * (y * w + x);
            f->data[0][y * (size_t)f->linesize[0] + x] = (unsigned char)lround(16 + 219 * (0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]) / 255);
        }
    for (size_t y = 0; y + 1 < h; y += 2)
        for (size_t x = 0; x + 1 < w; x += 2) {
            double m[3] = {0, 0, 0};
            for (int k = 0; k < 4; k++)
                for (int c = 0; c < 3; c++) m[c] += rgb[3 * ((y + k / 2) * w + x + k % 2) + c] / 4.0 / 255;
            double l = 0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2];
            f->data[1][y / 2 * (size_t)f->linesize[1] + x / 2] = (unsigned char)lround(128 + 224 * (m[2] - l) / 1.8556);
            f->data[2][y / 2 * (size_t)f->linesize[2] + x / 2] = (unsigned char)lround(128 + 224 * (m[0] - l) / 1.5748);
        }
}

/* Best seconds per frame of the 4:2:0 path over the frames (five passes). */
static double time420(const reel_lut3d *l, const char *raw, size_t frames, size_t w, size_t h)
{
    reel_frame *in = calloc(frames, sizeof *in), out = {0};
    reel_yuvgrade g = {0};
    reel_yuv_desc d = {0.2126, 0.0722, 0};
    double best = HUGE_VAL;
    int ok = in && reel_frame_alloc(&out, (int)w, (int)h, REEL_PIX_YUV420P) == 0 && reel_yuvgrade_set(&g, &d, l, 1, NULL) == 0;
    for (size_t f = 0; ok && f < frames; f++) {
        ok = reel_frame_alloc(&in[f], (int)w, (int)h, REEL_PIX_YUV420P) == 0;
        if (ok) to420((const unsigned char *)raw + f * w * h * 3, w, h, &in[f]);
    }
    for (int rep = 0; ok && rep < 5; rep++) {
        double t0 = now_s();
        for (size_t f = 0; f < frames; f++) reel_yuvgrade_rows(&g, &in[f], &out, 0, (int)(h + 1) / 2);
        double t = (now_s() - t0) / (double)frames;
        best = t < best ? t : best;
    }
    for (size_t f = 0; in && f < frames; f++) reel_frame_free(&in[f]);
    free(in);
    reel_frame_free(&out);
    reel_yuvgrade_free(&g);
    return best;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: bench_lut FRAMES.rgb WIDTH HEIGHT OUT.cube\n");
        return 2;
    }
    reel_err e = {0};
    char *raw;
    size_t len;
    size_t w = (size_t)atoi(argv[2]), h = (size_t)atoi(argv[3]), frame = w * h * 3;
    if (!frame || reel_read_file(argv[1], &raw, &len, &e) || len < frame) {
        fprintf(stderr, "bench_lut: cannot read frames from %s %s\n", argv[1], e.msg);
        return 2;
    }
    size_t frames = len / frame;
    reel_lut3d l;
    if (reel_lut3d_alloc(&l, 65)) return 2;
    for (int b = 0; b < 65; b++)
        for (int g = 0; g < 65; g++)
            for (int r = 0; r < 65; r++) look((float[]){r / 64.0f, g / 64.0f, b / 64.0f}, reel_lut3d_at(&l, r, g, b));
    snprintf(l.title, sizeof l.title, "bench look");
    if (reel_cube_save(argv[4], &l, &e)) {
        fprintf(stderr, "bench_lut: %s\n", e.msg);
        return 2;
    }
    reel_lut3d_plan *p = reel_lut3d_plan_new(&l);
    unsigned char *out = malloc(frame);
    double best = HUGE_VAL;
    for (int rep = 0; rep < 5; rep++) {
        double t0 = now_s();
        for (size_t f = 0; f < frames; f++) reel_lut3d_apply_rgb24(p, (unsigned char *)raw + f * frame, out, w * h);
        double t = (now_s() - t0) / (double)frames;
        best = t < best ? t : best;
    }
    printf("frames %zu\nreel_s_per_frame %.6f\nreel_mpx_s %.1f\n", frames, best, (double)(w * h) / best / 1e6);
    double t420 = time420(&l, raw, frames, w, h);
    if (isfinite(t420)) printf("reel420_s_per_frame %.6f\nreel420_mpx_s %.1f\n", t420, (double)(w * h) / t420 / 1e6);
    static const char *const path[] = {"scalar", "avx2", "avx512"};
    for (int level = REEL_SIMD_NONE; level <= reel_lut3d_simd_level(); level++) { /* each path alone */
        reel_lut3d_set_simd(level);
        double t = time420(&l, raw, frames, w, h);
        if (isfinite(t)) printf("reel420_%s_mpx_s %.1f\n", path[level], (double)(w * h) / t / 1e6);
    }
    reel_lut3d_set_simd(REEL_SIMD_AVX512);
    reel_lut3d_plan_free(p);
    reel_lut3d_free(&l);
    free(out), free(raw);
    return 0;
}
