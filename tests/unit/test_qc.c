/* QC: the picture measures (black share, R103 levels and gamut, frame difference, broken block
 * edges), the photosensitive flash analyser over synthetic sequences (rate, area, dim and bright
 * flashing, saturated red at constant luminance, a slow fade), and the spec checks. */
#include "qc/qcint.h"
#include "tap.h"

#include <math.h>

#define W 64
#define H 36

static void fill(reel_frame *f, int y, int u, int v)
{
    for (int r = 0; r < f->height; r++) memset(f->data[0] + (size_t)r * f->linesize[0], y, (size_t)f->width);
    for (int r = 0; r < (f->height + 1) / 2; r++) {
        memset(f->data[1] + (size_t)r * f->linesize[1], u, (size_t)(f->width + 1) / 2);
        memset(f->data[2] + (size_t)r * f->linesize[2], v, (size_t)(f->width + 1) / 2);
    }
}

/* A box covering share of the picture (from the top-left, full width), luma y. */
static void box(reel_frame *f, double share, int y, int u, int v)
{
    int rows = (int)lround(f->height * share) & ~1;
    for (int r = 0; r < rows; r++) memset(f->data[0] + (size_t)r * f->linesize[0], y, (size_t)f->width);
    for (int r = 0; r < rows / 2; r++) {
        memset(f->data[1] + (size_t)r * f->linesize[1], u, (size_t)f->width / 2);
        memset(f->data[2] + (size_t)r * f->linesize[2], v, (size_t)f->width / 2);
    }
}

static void test_measure(void)
{
    reel_frame f = {0}, g = {0};
    reel_frame_alloc(&f, W, H, REEL_PIX_YUV420P);
    reel_frame_alloc(&g, W, H, REEL_PIX_YUV420P);
    reel_qc_vframe v = {0};
    fill(&f, 16, 128, 128);
    reel_qc_measure(&f, NULL, 0, 1, &v);
    TAP_OK(v.black == 1 && v.illegal == 0 && isnan(v.diff), "black frame: black share 1, legal, no previous frame");
    fill(&g, 126, 128, 128);
    reel_qc_measure(&g, f.data[0], f.linesize[0], 1, &v);
    TAP_OK(v.black == 0 && fabsf(v.diff - 110) < 1e-3 && fabsf(v.block_diff - 110) < 1e-3 && v.ymid == 126,
           "mid grey after black: not black, difference 110 everywhere, median 126");
    reel_qc_measure(&g, g.data[0], g.linesize[0], 1, &v);
    TAP_OK(reel_qc_frozen(&v), "a frame against itself is frozen");
    box(&g, 0.5, 250, 128, 128);
    reel_qc_measure(&g, NULL, 0, 1, &v);
    TAP_OK(fabsf(v.illegal - 0.5f) < 0.03f, "half the picture at luma 250: %.3f outside R103", v.illegal);
    fill(&g, 235, 128, 128);
    reel_qc_measure(&g, NULL, 0, 1, &v);
    TAP_OK(v.illegal == 0, "peak white 235 is legal");
    fill(&g, 128, 16, 240);
    reel_qc_measure(&g, NULL, 0, 1, &v);
    TAP_OK(v.illegal > 0.99f, "luma 128 with Cb 16, Cr 240: red past 105%%, all outside (%.3f)", v.illegal);
    fill(&g, 128, 110, 140);
    reel_qc_measure(&g, NULL, 0, 1, &v);
    TAP_OK(v.illegal == 0, "a moderate colour is legal");
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) g.data[0][(size_t)y * g.linesize[0] + x] = (uint8_t)(40 + x * 2 + y);
    reel_qc_measure(&g, NULL, 0, 1, &v);
    TAP_OK(v.broken == 0, "a smooth gradient has no broken block edges");
    for (int y = 0; y < H; y++) /* flat 16x16 blocks of unrelated levels: garbage */
        for (int x = 0; x < W; x++)
            g.data[0][(size_t)y * g.linesize[0] + x] = (uint8_t)(((x / 16) * 97 + (y / 16) * 61) % 200 + 30);
    reel_qc_measure(&g, NULL, 0, 1, &v);
    TAP_OK(v.broken > 0.5f, "flat blocks of unrelated levels: %.2f of block edges broken", v.broken);
    reel_frame_free(&f);
    reel_frame_free(&g);
}

typedef struct seq {
    int on, off;           /* frames in each state */
    double share;          /* of the screen that changes */
    int y0, u0, v0, y1, u1, v1; /* the two states */
    int frames;
} seq;

/* Run a sequence at 25 fps through the flash analyser and the per-second count; the number of
 * flash findings, and the frame-level transitions through *transitions. */
static int run_seq(const seq *s, int *transitions)
{
    reel_qc_report r = {0};
    r.spec = reel_qc_spec_find("content");
    r.fps = (reel_rational){25, 1};
    r.v = calloc((size_t)s->frames, sizeof *r.v);
    reel_frame f = {0};
    reel_frame_alloc(&f, W, H, REEL_PIX_YUV420P);
    reel_qc_flash *fl = reel_qc_flash_new();
    *transitions = 0;
    for (int i = 0; i < s->frames; i++) {
        int state = i % (s->on + s->off) >= s->on; /* on first */
        fill(&f, s->y0, s->u0, s->v0);
        if (!state) box(&f, s->share, s->y1, s->u1, s->v1);
        reel_qc_vframe *v = &r.v[r.nv++];
        v->time = i / 25.0;
        reel_qc_flash_feed(fl, &f, 0, v);
        *transitions += v->flash != 0 || v->red_flash != 0;
    }
    reel_qc_check_flash(&r);
    int n = 0;
    for (int i = 0; i < r.nf; i++) n += !strcmp(r.f[i].check, "flash");
    reel_qc_flash_free(&fl);
    reel_frame_free(&f);
    reel_qc_report_free(&r);
    return n;
}

static void test_flash(void)
{
    int t;
    seq s = {2, 2, 1.0, 16, 128, 128, 235, 128, 128, 75};
    TAP_EQ_INT(run_seq(&s, &t), 1, "white/black full screen at 6.25 Hz for 3 s: one flash finding (%d transitions)", t);
    TAP_EQ_INT(t, 37, "every one of the 37 changes is a transition");
    s.on = s.off = 5;
    TAP_EQ_INT(run_seq(&s, &t), 0, "2.5 Hz (5 transitions a second): allowed (%d transitions)", t);
    s.on = s.off = 3;
    TAP_EQ_INT(run_seq(&s, &t), 1, "4.2 Hz (8.3 transitions a second): a finding");
    s.on = s.off = 2, s.share = 0.2;
    TAP_EQ_INT(run_seq(&s, &t), 0, "6.25 Hz over 20%% of the screen: allowed");
    s.share = 0.3;
    TAP_EQ_INT(run_seq(&s, &t), 1, "6.25 Hz over 30%% of the screen: a finding");
    s.share = 1, s.y1 = 40;
    TAP_EQ_INT(run_seq(&s, &t), 0, "dim flashing (black to luma 40, under 20 cd/m2): allowed (%d transitions)", t);
    s.y0 = 220, s.y1 = 235;
    TAP_EQ_INT(run_seq(&s, &t), 0, "bright flashing with the darker state over 160 cd/m2: allowed (%d)", t);
    /* saturated red (BT.601: Y 81, Cb 90, Cr 240) against a grey of the same luminance (Y 124) */
    seq red = {2, 2, 1.0, 124, 128, 128, 81, 90, 240, 75};
    int n = run_seq(&red, &t);
    TAP_EQ_INT(n, 1, "saturated red against an equally bright grey at 6.25 Hz: a finding (%d transitions)", t);
    seq fade = {75, 75, 1.0, 16, 128, 128, 235, 128, 128, 150};
    TAP_EQ_INT(run_seq(&fade, &t), 0, "a cut from white to black and back a second later: allowed (%d)", t);
}

static void test_spec(void)
{
    TAP_OK(reel_qc_spec_find("NetFlix") && !reel_qc_spec_find("nope"), "specs found by name, any case");
    reel_qc_report r = {0};
    r.spec = reel_qc_spec_find("netflix");
    snprintf(r.path, sizeof r.path, "master.mp4");
    reel_probe *p = &r.probe;
    p->has_video = p->has_audio = 1;
    snprintf(p->vcodec, sizeof p->vcodec, "h264");
    snprintf(p->pix_fmt, sizeof p->pix_fmt, "yuv420p");
    p->width = 1920, p->height = 1080, p->fps = (reel_rational){24000, 1001}, p->sar = (reel_rational){1, 1};
    snprintf(p->color_primaries, 32, "bt709"), snprintf(p->color_trc, 32, "bt709"), snprintf(p->color_space, 32, "bt709");
    snprintf(p->color_range, 16, "tv");
    snprintf(p->acodec, sizeof p->acodec, "aac");
    p->sample_rate = 48000, p->channels = 2;
    reel_qc_check_spec(&r);
    int codec = 0, cont = 0, fps = 0;
    for (int i = 0; i < r.nf; i++) {
        codec += strstr(r.f[i].msg, "video codec is h264") != NULL;
        cont += strstr(r.f[i].msg, "container is mp4") != NULL;
        fps += strstr(r.f[i].msg, "frame rate") != NULL;
    }
    TAP_OK(codec == 1 && cont == 1 && fps == 0, "netflix on an H.264 MP4: the codec and container named, 23.976 accepted");
    TAP_EQ_INT(r.nf, 5, "netflix on an H.264 MP4: codec, profile, pixel format, container and audio codec");
    reel_qc_report_free(&r);
}

int main(void)
{
    reel_init();
    test_measure();
    test_flash();
    test_spec();
    return tap_done();
}
