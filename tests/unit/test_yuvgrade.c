/* The grade composed into Y'CbCr (color/yuvgrade.c), which the conform runs on 4:2:0 deliverables
 * instead of going through RGB: on real frames (cityCC0, BT.601 SD; box, BT.709 HD) every luma
 * sample is compared with the same grade done per pixel in double precision through RGB (the
 * source's matrix, R'G'B' clipped, the deflicker gain, the .cube table, back to BT.709 limited),
 * and each block's chroma with the mean of its four pixels' graded chroma. An ungraded BT.709
 * source needs no table; a BT.601 one is converted to BT.709 within a level; a new table under
 * the same pointer is noticed; the AVX2 path gives the scalar path's bytes. */
#include "color/lut3d.h"
#include "color/lut3d_plan.h"
#include "color/yuvgrade.h"
#include "render/picture.h"
#include "tap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *media(void) { return getenv("REEL_MEDIA") ? getenv("REEL_MEDIA") : ".cache/media"; }

/* The bench's warm contrast look: contrast 1.15 about the middle, red up, blue down. */
static void warm(reel_lut3d *l, double contrast)
{
    for (int b = 0; b < l->n; b++)
        for (int g = 0; g < l->n; g++)
            for (int r = 0; r < l->n; r++) {
                float *p = reel_lut3d_at(l, r, g, b);
                for (int c = 0; c < 3; c++) p[c] = (float)fmin(1, fmax(0, 0.5 + (p[c] - 0.5) * contrast));
                p[0] = fminf(1, p[0] * 1.06f), p[2] *= 0.92f;
            }
}

static int read_frame(const char *name, int nth, reel_frame *f, reel_yuv_desc *d)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/real/%s", media(), name);
    reel_reader_opts o;
    reel_reader_opts_default(&o);
    o.want_audio = 0, o.out_fmt = REEL_PIX_YUV420P;
    reel_reader *r = NULL;
    reel_probe pr;
    reel_err e = {0};
    reel_media_event ev;
    int rc = reel_reader_open(&r, path, &o, &pr, &e), got = 0;
    while (!rc && !got && reel_reader_next(r, &ev, &e) == 1)
        if (ev.kind == REEL_EV_VIDEO && nth-- == 0) {
            got = reel_frame_alloc(f, ev.frame->width, ev.frame->height, REEL_PIX_YUV420P) == 0;
            if (got) reel_pic_copy(ev.frame, f, 0, 0);
            f->full_range = ev.frame->full_range;
            reel_yuv_desc_for(pr.color_space, f->height, f->full_range, d, NULL);
        }
    reel_reader_free(&r);
    return got;
}

/* The reference: one pixel's Y'CbCr (codes) graded through RGB, as BT.709 limited codes. */
static void reference(const reel_yuv_desc *d, const reel_lut3d *t, const float gain[3], const int in[3], double out[3])
{
    double yuv[3] = {in[0] / 255.0, in[1] / 255.0, in[2] / 255.0}, rgb[3];
    reel_yuv_to_rgb(d, yuv, rgb);
    float c[3];
    for (int k = 0; k < 3; k++) c[k] = (float)(fmin(1, fmax(0, rgb[k])) * gain[k]);
    if (t) reel_lut3d_apply_f32(t, c, c, 1);
    else
        for (int k = 0; k < 3; k++) c[k] = fminf(1, fmaxf(0, c[k]));
    double y = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    out[0] = 16 + 219 * y, out[1] = 128 + 224 * (c[2] - y) / 1.8556, out[2] = 128 + 224 * (c[0] - y) / 1.5748;
}

typedef struct errs {
    double y_mean, y_max, c_mean, c_max;
} errs;

static double clip8(double v) { return v < 0 ? 0 : v > 255 ? 255 : v; }

static errs compare(const reel_frame *f, const reel_frame *g, const reel_yuv_desc *d, const reel_lut3d *t, const float gain[3])
{
    errs r = {0};
    double n = 0, nc = 0;
    for (int cy = 0; cy < (f->height + 1) / 2; cy++)
        for (int cx = 0; cx < (f->width + 1) / 2; cx++) {
            int u = f->data[1][cy * f->linesize[1] + cx], v = f->data[2][cy * f->linesize[2] + cx], k = 0;
            double cb = 0, cr = 0;
            for (int y = 2 * cy; y < 2 * cy + 2 && y < f->height; y++)
                for (int x = 2 * cx; x < 2 * cx + 2 && x < f->width; x++, k++) {
                    double o[3];
                    reference(d, t, gain, (const int[3]){f->data[0][y * f->linesize[0] + x], u, v}, o);
                    double dy = fabs(g->data[0][y * g->linesize[0] + x] - clip8(o[0]));
                    r.y_mean += dy, r.y_max = fmax(r.y_max, dy), n++, cb += clip8(o[1]), cr += clip8(o[2]);
                }
            double dc = fmax(fabs(g->data[1][cy * g->linesize[1] + cx] - cb / k), fabs(g->data[2][cy * g->linesize[2] + cx] - cr / k));
            r.c_mean += dc, r.c_max = fmax(r.c_max, dc), nc++;
        }
    r.y_mean /= n, r.c_mean /= nc;
    return r;
}

static int graded(reel_yuvgrade *yg, const reel_frame *f, reel_frame *g)
{
    if (!g->data[0] && reel_frame_alloc(g, f->width, f->height, REEL_PIX_YUV420P)) return 0;
    reel_yuvgrade_rows(yg, f, g, 0, (f->height + 1) / 2);
    return 1;
}

/* The 4:2:0 planes of g and h (f's size) hold the same bytes. */
static int same_picture(const reel_frame *f, const reel_frame *g, const reel_frame *h)
{
    for (int p = 0; p < 3; p++)
        for (int y = 0; y < (p ? (f->height + 1) / 2 : f->height); y++)
            if (memcmp(g->data[p] + (size_t)y * g->linesize[p], h->data[p] + (size_t)y * h->linesize[p],
                       (size_t)(p ? (f->width + 1) / 2 : f->width)))
                return 0;
    return 1;
}

static void test_clip(const char *name, int nth)
{
    reel_frame f = {0}, g = {0};
    reel_yuv_desc d;
    int ok = read_frame(name, nth, &f, &d);
    TAP_OK(ok, "%s: frame %d read as 4:2:0 (run scripts/fetch-media.sh if it is missing)", name, nth);
    if (!ok) return;
    reel_lut3d t;
    reel_lut3d_alloc(&t, 33);
    warm(&t, 1.15);
    reel_yuvgrade yg = {0};
    const float gain[3] = {1.04f, 1.0f, 0.97f};
    ok = reel_yuvgrade_set(&yg, &d, &t, 1, gain) == 0 && graded(&yg, &f, &g);
    errs r = ok ? compare(&f, &g, &d, &t, gain) : (errs){99, 99, 99, 99};
    TAP_OK(r.y_mean < 0.35 && r.y_max <= 3 && r.c_mean < 0.6 && r.c_max <= 4,
           "%s (%dx%d, Kr %.4f): a look with a gain graded in Y'CbCr against per-pixel RGB: luma mean %.3f worst %.2f levels, "
           "chroma mean %.3f worst %.2f", name, f.width, f.height, d.kr, r.y_mean, r.y_max, r.c_mean, r.c_max);
    reel_frame h = {0};
    reel_lut3d_set_simd(REEL_SIMD_NONE);
    int same = ok && graded(&yg, &f, &h), level = reel_lut3d_simd_level();
    reel_lut3d_set_simd(REEL_SIMD_AVX512);
    for (int l = REEL_SIMD_AVX2; same && l <= level; l++) { /* each vector path this CPU runs, alone */
        reel_lut3d_set_simd(l);
        same = graded(&yg, &f, &g) && same_picture(&f, &g, &h);
        reel_lut3d_set_simd(REEL_SIMD_AVX512);
    }
    TAP_OK(same, "%s: the vector paths and the scalar path give the same bytes (%s)", name,
           level == REEL_SIMD_AVX512 ? "AVX2 and AVX-512 on this CPU"
           : level == REEL_SIMD_AVX2 ? "AVX2 on this CPU, no AVX-512"
                                     : "this CPU has no AVX2: the scalar path only");
    reel_frame_free(&h);
    warm(&t, 1.4); /* the same table filled again: the new generation is noticed */
    ok = reel_yuvgrade_set(&yg, &d, &t, 2, gain) == 0 && graded(&yg, &f, &g);
    errs r2 = ok ? compare(&f, &g, &d, &t, gain) : (errs){99, 99, 99, 99};
    TAP_OK(r2.y_mean < 0.35 && r2.y_max <= 3, "%s: a table refilled under the same pointer is rebuilt (luma mean %.3f, worst %.2f)",
           name, r2.y_mean, r2.y_max);
    if (reel_yuvgrade_needed(&d)) {
        ok = reel_yuvgrade_set(&yg, &d, NULL, 0, NULL) == 0 && graded(&yg, &f, &g);
        errs r3 = ok ? compare(&f, &g, &d, NULL, (const float[3]){1, 1, 1}) : (errs){99, 99, 99, 99};
        TAP_OK(r3.y_mean < 0.35 && r3.y_max <= 3 && r3.c_mean < 0.5, "%s: ungraded, converted to BT.709: luma mean %.3f worst %.2f, "
               "chroma mean %.3f", name, r3.y_mean, r3.y_max, r3.c_mean);
    } else
        TAP_OK(d.kr == 0.2126 && !d.full_range, "%s: BT.709 limited range needs no table when ungraded", name);
    reel_yuvgrade_free(&yg);
    reel_lut3d_free(&t);
    reel_frame_free(&f);
    reel_frame_free(&g);
}

int main(void)
{
    test_clip("cityCC0.mpg", 40);
    test_clip("box.mp4", 30);
    return tap_done();
}
