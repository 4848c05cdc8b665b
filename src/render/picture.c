/* The conform's picture operations (picture.h). */
#include "render/picture.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

/* Planes of f: count, and each one's width in bytes, height and black level. */
static int planes(const reel_frame *f, int w[3], int h[3], uint8_t z[3])
{
    if (f->fmt == REEL_PIX_YUV420P) {
        w[0] = f->width, h[0] = f->height, z[0] = 16;
        w[1] = w[2] = (f->width + 1) / 2, h[1] = h[2] = (f->height + 1) / 2, z[1] = z[2] = 128;
        return 3;
    }
    w[0] = f->width * 3, h[0] = f->height, z[0] = 0;
    return 1;
}

void reel_pic_black(reel_frame *f)
{
    int w[3], h[3];
    uint8_t z[3];
    for (int p = 0, n = planes(f, w, h, z); p < n; p++)
        for (int y = 0; y < h[p]; y++) memset(f->data[p] + (size_t)y * f->linesize[p], z[p], (size_t)w[p]);
}

void reel_pic_copy(const reel_frame *src, reel_frame *dst, int x, int y)
{
    int w[3], h[3], dw[3], dh[3];
    uint8_t z[3];
    int n = planes(src, w, h, z), bpp = src->fmt == REEL_PIX_RGB24 ? 3 : 1;
    planes(dst, dw, dh, z);
    for (int p = 0; p < n; p++) {
        int sh = p ? 1 : 0, px = (x >> sh) * bpp, py = y >> sh;
        int cw = w[p] < dw[p] - px ? w[p] : dw[p] - px, ch = h[p] < dh[p] - py ? h[p] : dh[p] - py;
        for (int r = 0; r < ch && cw > 0; r++)
            memcpy(dst->data[p] + (size_t)(r + py) * dst->linesize[p] + px, src->data[p] + (size_t)r * src->linesize[p],
                   (size_t)cw);
    }
}

void reel_pic_mix(reel_frame *dst, const reel_frame *src, double a, double k)
{
    int wa = (int)lround(a * k * 256), wd = (int)lround((1 - a) * k * 256), w[3], h[3];
    uint8_t z[3];
    for (int p = 0, n = planes(dst, w, h, z); p < n; p++)
        for (int y = 0; y < h[p]; y++) {
            uint8_t *d = dst->data[p] + (size_t)y * dst->linesize[p];
            const uint8_t *s = src ? src->data[p] + (size_t)y * src->linesize[p] : d;
            int zz = z[p], bias = zz * 256 + 128;
            for (int x = 0; x < w[p]; x++) {
                int v = ((d[x] - zz) * wd + (s[x] - zz) * wa + bias) >> 8;
                d[x] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
            }
        }
}

typedef struct half {
    void (*fn)(void *, int, int);
    void *ctx;
    int r0, r1;
} half;

static void *run_half(void *arg)
{
    half *h = arg;
    h->fn(h->ctx, h->r0, h->r1);
    return NULL;
}

void reel_pic_split2(void (*fn)(void *ctx, int r0, int r1), void *ctx, int n)
{
    half bottom = {fn, ctx, n / 2, n};
    pthread_t t;
    int threaded = n >= 32 && pthread_create(&t, NULL, run_half, &bottom) == 0;
    fn(ctx, 0, n / 2);
    if (threaded) pthread_join(t, NULL);
    else fn(ctx, n / 2, n);
}
