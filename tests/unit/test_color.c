/* The colour engine: Oklab conversions and gamut mapping; the parametric grades and their tables
 * (named looks, times of day); ASC CDL maths; the look transfer (Monge-Kantorovich moments,
 * identity, determinism, the gain bound); looks baked into tables (identity, strength,
 * luminance preservation, skin protection); shot matching by CDL; the deflicker on synthetic
 * frame means (flicker out, content motion, steps and flashes kept); look references (flat,
 * grey, 16-bit and HDR pictures); and a look fitted between two real pictures, baked to .cube,
 * applied by reel and by ffmpeg's lut3d: mean dE2000 under 1. */
#include "color/cdl.h"
#include "color/colorspace.h"
#include "color/deflicker.h"
#include "color/grade.h"
#include "color/look.h"
#include "color/match.h"
#include "color/oklab.h"
#include "color/transfer.h"
#include "tap.h"
#include "timeline/cube.h"
#include "util/fsutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_oklab(void)
{
    double worst = 0;
    for (int r = 0; r <= 16; r++)
        for (int g = 0; g <= 16; g++)
            for (int b = 0; b <= 16; b++) {
                float in[3] = {r / 16.0f, g / 16.0f, b / 16.0f}, lab[3], out[3];
                reel_srgb_to_oklab(in, lab);
                reel_oklab_to_srgb(lab, out);
                for (int k = 0; k < 3; k++) worst = fmax(worst, fabs(out[k] - in[k]));
            }
    TAP_OK(worst < 2e-4, "sRGB -> Oklab -> sRGB over a 17^3 grid: worst error %.2g", worst);
    float w[3] = {1, 1, 1}, lab[3];
    reel_srgb_to_oklab(w, lab);
    TAP_OK(fabsf(lab[0] - 1) < 1e-3 && fabsf(lab[1]) < 1e-3 && fabsf(lab[2]) < 1e-3, "white is L 1, a b 0");
    /* far outside the gamut: mapped inside at the same lightness and hue */
    float big[3] = {0.6f, 0.3f, 0.25f}, out[3], back[3];
    reel_oklab_to_srgb(big, out);
    reel_srgb_to_oklab(out, back);
    double dh = fabs(atan2(back[2], back[1]) - atan2(big[2], big[1]));
    TAP_OK(out[0] >= 0 && out[0] <= 1 && out[1] >= 0 && out[2] <= 1 && fabsf(back[0] - big[0]) < 0.01 && dh < 0.02,
           "out of gamut: chroma reduced, lightness %.3f -> %.3f, hue moved %.3f rad", big[0], back[0], dh);
}

static double luma(const float c[3])
{
    return 0.2126 * reel_srgb_decode(c[0]) + 0.7152 * reel_srgb_decode(c[1]) + 0.0722 * reel_srgb_decode(c[2]);
}

static void test_grades(void)
{
    static const char *const looks[] = {"neutral", "warm", "cool", "teal_orange", "bleach_bypass", "day_for_night", "noir"};
    static const char *const tods[] = {"dawn", "morning", "noon", "golden_hour", "sunset", "blue_hour", "night", "day_for_night"};
    int found = 0;
    for (int i = 0; i < 7; i++) found += reel_grade_find(reel_named_looks, looks[i]) != NULL;
    for (int i = 0; i < 8; i++) found += reel_grade_find(reel_times_of_day, tods[i]) != NULL;
    TAP_EQ_INT(found, 15, "the seven named looks and eight times of day are in their tables");
    TAP_OK(reel_grade_find(reel_named_looks, "sepia") == NULL, "an unknown look is not found");
    float grey[3] = {0.5f, 0.5f, 0.5f}, o[3], in[3] = {0.8f, 0.35f, 0.2f};
    double worst = 0;
    const reel_grade *g = &reel_grade_find(reel_times_of_day, "noon")->g;
    for (int k = 0; k < 200; k++) {
        float c[3] = {(k % 7) / 6.0f, (k % 11) / 10.0f, (k % 13) / 12.0f};
        reel_grade_apply(g, c, o);
        for (int j = 0; j < 3; j++) worst = fmax(worst, fabs(o[j] - c[j]));
    }
    TAP_OK(reel_grade_is_identity(g) && worst < 2e-4, "noon is the identity (worst %.2g)", worst);
    reel_grade_apply(&reel_grade_find(reel_named_looks, "noir")->g, in, o);
    TAP_OK(fabsf(o[0] - o[1]) < 2e-3 && fabsf(o[1] - o[2]) < 2e-3, "noir is black and white (%.3f %.3f %.3f)", o[0], o[1], o[2]);
    reel_grade_apply(&reel_grade_find(reel_named_looks, "day_for_night")->g, grey, o);
    double stops = log2(luma(grey) / luma(o));
    TAP_OK(stops > 1.5 && o[2] > o[0], "day_for_night: mid grey %.2f stops darker and blue (%.3f %.3f %.3f)", stops, o[0], o[1], o[2]);
    reel_grade_apply(&reel_grade_find(reel_named_looks, "warm")->g, grey, o);
    TAP_OK(o[0] > o[2] + 0.02, "warm: grey turns warm (%.3f %.3f %.3f)", o[0], o[1], o[2]);
    reel_grade_apply(&reel_grade_find(reel_times_of_day, "night")->g, grey, o);
    float o2[3];
    reel_grade_apply(&reel_grade_find(reel_times_of_day, "golden_hour")->g, grey, o2);
    TAP_OK(luma(o) < 0.5 * luma(grey) && o2[0] > o2[2], "night darkens (%.3f), golden hour warms (%.3f vs %.3f)", luma(o), o2[0], o2[2]);
    int inside = 1;
    for (int t = 0; reel_times_of_day[t].name; t++)
        for (int k = 0; k < 64; k++) {
            float c[3] = {(k & 3) / 3.0f, ((k >> 2) & 3) / 3.0f, (k >> 4) / 3.0f};
            reel_grade_apply(&reel_times_of_day[t].g, c, o);
            for (int j = 0; j < 3; j++) inside &= o[j] >= 0 && o[j] <= 1;
        }
    TAP_OK(inside, "every time of day keeps every colour inside 0..1");
}

static void test_cdl(void)
{
    reel_cdl c = {{2, 1, 1}, {-0.1, 0, 0}, {1, 1, 2}, 1};
    float in[3] = {0.3f, 0.4f, 0.5f}, o[3];
    reel_cdl_apply(&c, in, o);
    TAP_OK(fabsf(o[0] - 0.5f) < 1e-6 && fabsf(o[1] - 0.4f) < 1e-6 && fabsf(o[2] - 0.25f) < 1e-6,
           "CDL slope, offset and power: %.4f %.4f %.4f", o[0], o[1], o[2]);
    reel_cdl s = reel_cdl_identity;
    s.sat = 0;
    reel_cdl_apply(&s, in, o);
    float y = 0.2126f * 0.3f + 0.7152f * 0.4f + 0.0722f * 0.5f;
    TAP_OK(fabsf(o[0] - y) < 1e-6 && fabsf(o[2] - y) < 1e-6, "CDL saturation 0 gives Rec. 709 luma (%.4f)", y);
    reel_cdl_apply(&reel_cdl_identity, in, o);
    TAP_OK(o[0] == in[0] && o[1] == in[1] && o[2] == in[2] && reel_cdl_is_identity(&reel_cdl_identity), "the identity CDL");
}

/* n Gaussian Oklab samples with mean m and a mixing matrix (deterministic). */
static float *cloud(size_t n, const float m[3], const float mix[3][3], unsigned seed)
{
    float *p = malloc(n * 3 * sizeof *p);
    for (size_t i = 0; i < n; i++) {
        double z[3];
        for (int k = 0; k < 3; k++) {
            double u1, u2;
            seed = seed * 1664525u + 1013904223u, u1 = ((seed >> 8) + 0.5) / (1 << 24);
            seed = seed * 1664525u + 1013904223u, u2 = ((seed >> 8) + 0.5) / (1 << 24);
            z[k] = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
        }
        for (int k = 0; k < 3; k++) p[3 * i + k] = m[k] + mix[k][0] * z[0] + mix[k][1] * z[1] + mix[k][2] * z[2];
    }
    return p;
}

static void test_transfer(void)
{
    enum { N = 40000 };
    const float ms[3] = {0.55f, 0.01f, 0.03f}, mr[3] = {0.45f, -0.02f, -0.04f};
    const float as[3][3] = {{0.15f, 0, 0}, {0.01f, 0.03f, 0}, {0, 0.005f, 0.04f}};
    const float ar[3][3] = {{0.1f, 0, 0}, {0, 0.05f, 0.01f}, {0.01f, 0, 0.02f}};
    float *s = cloud(N, ms, as, 1), *r = cloud(N, mr, ar, 2), *m = malloc(N * 3 * sizeof *m);
    reel_transfer t, t2;
    reel_transfer_opts o;
    reel_transfer_opts_default(&o);
    o.rounds = 0;
    reel_err e = {0};
    TAP_EQ_INT(reel_transfer_fit(s, N, r, N, &o, &t, &e), 0, "linear map fitted on two Gaussian clouds");
    for (size_t i = 0; i < N; i++) reel_transfer_eval(&t, s + 3 * i, m + 3 * i);
    double mm[3], cm[3][3], rm[3], cr[3][3], worst = 0;
    reel_oklab_stats(m, N, mm, cm);
    reel_oklab_stats(r, N, rm, cr);
    for (int a = 0; a < 3; a++) {
        worst = fmax(worst, fabs(mm[a] - rm[a]));
        for (int b = 0; b < 3; b++) worst = fmax(worst, fabs(cm[a][b] - cr[a][b]) / cr[a][a]);
    }
    TAP_OK(worst < 0.02, "Monge-Kantorovich: the mapped mean and covariance are the reference's (worst %.3g)", worst);
    reel_transfer_opts_default(&o);
    reel_transfer_fit(s, N, s, N, &o, &t, &e);
    double id = 0;
    for (size_t i = 0; i < N; i += 97) {
        float out[3];
        reel_transfer_eval(&t, s + 3 * i, out);
        for (int k = 0; k < 3; k++) id = fmax(id, fabs(out[k] - s[3 * i + k]));
    }
    TAP_OK(id < 0.01, "the footage fitted to itself barely moves (worst %.4f)", id);
    reel_transfer_fit(s, N, r, N, &o, &t, &e);
    reel_transfer_fit(s, N, r, N, &o, &t2, &e);
    TAP_OK(!memcmp(&t, &t2, sizeof t), "the same samples give the same map (deterministic)");
    const float flat[3][3] = {{0.15f, 0, 0}, {0, 0.001f, 0}, {0, 0, 0.001f}};
    float *f = cloud(N, ms, flat, 3);
    o.rounds = 0;
    reel_transfer_fit(f, N, r, N, &o, &t, &e);
    double w[3], v[3][3], A[3][3];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) A[i][j] = t.A[i][j];
    reel_sym3_eigen(A, w, v);
    TAP_OK(fmax(w[0], fmax(w[1], w[2])) <= o.max_gain + 1e-3, "a flat source's gains stay within %.1f (largest %.2f)", o.max_gain,
           fmax(w[0], fmax(w[1], w[2])));
    TAP_OK(reel_transfer_fit(s, 10, r, N, &o, &t, &e) == REEL_EINVAL, "too few samples refused: %s", e.msg);
    free(s), free(r), free(m), free(f);
}

static void test_look(void)
{
    reel_look l;
    reel_look_init(&l);
    reel_lut3d t = {0};
    reel_err e = {0};
    TAP_EQ_INT(reel_look_bake(&l, NULL, 17, &t, &e), 0, "an identity look bakes");
    double worst = 0;
    for (int b = 0; b < 17; b++)
        for (int g = 0; g < 17; g++)
            for (int r = 0; r < 17; r++) {
                const float *p = reel_lut3d_at(&t, r, g, b);
                worst = fmax(worst, fmax(fabs(p[0] - r / 16.0), fmax(fabs(p[1] - g / 16.0), fabs(p[2] - b / 16.0))));
            }
    TAP_OK(worst < 2e-4, "... into the identity table (worst %.2g)", worst);
    reel_lut3d_free(&t);
    /* a transfer that shifts everything toward blue and darker */
    enum { N = 20000 };
    const float ms[3] = {0.6f, 0.02f, 0.04f}, mr[3] = {0.4f, -0.03f, -0.08f};
    const float a[3][3] = {{0.12f, 0, 0}, {0, 0.03f, 0}, {0, 0, 0.03f}};
    float *s = cloud(N, ms, a, 5), *r = cloud(N, mr, a, 6);
    reel_transfer tr;
    reel_transfer_opts o;
    reel_transfer_opts_default(&o);
    reel_transfer_fit(s, N, r, N, &o, &tr, &e);
    l.transfer = &tr;
    float skin[3] = {224 / 255.0f, 172 / 255.0f, 150 / 255.0f}, out[3], lin[3], lout[3];
    l.strength = 0;
    reel_look_eval(&l, NULL, skin, out);
    TAP_OK(fabsf(out[0] - skin[0]) < 2e-4 && fabsf(out[2] - skin[2]) < 2e-4, "strength 0 leaves colours alone");
    l.strength = 1, l.preserve_luma = 1;
    reel_look_eval(&l, NULL, skin, out);
    reel_srgb_to_oklab(skin, lin);
    reel_srgb_to_oklab(out, lout);
    TAP_OK(fabsf(lout[0] - lin[0]) < 2e-3 && fabsf(lout[2] - lin[2]) > 0.01, "preserve_luminance 1: lightness kept (%.3f -> %.3f), colour moved",
           lin[0], lout[0]);
    l.preserve_luma = 0, l.protect_skin = 1;
    reel_look_eval(&l, NULL, skin, out);
    reel_srgb_to_oklab(out, lout);
    float w = reel_look_protection(&l, lin);
    TAP_OK(w > 0.9 && fabsf(lout[1] - lin[1]) < 5e-3 && fabsf(lout[2] - lin[2]) < 5e-3,
           "protect_skin 1: a skin tone keeps its chroma (weight %.2f, a %.3f -> %.3f, b %.3f -> %.3f)", w, lin[1], lout[1],
           lin[2], lout[2]);
    float sky[3] = {0.35f, 0.55f, 0.85f}, sky_lab[3];
    reel_srgb_to_oklab(sky, sky_lab);
    TAP_OK(reel_look_protection(&l, sky_lab) < 0.05, "a blue sky is not skin (weight %.3f)", reel_look_protection(&l, sky_lab));
    free(s), free(r);
}

static void test_match(void)
{
    reel_shot_color h = {.start = 0, .end = 100, .frames = 80, .rgb = {0.45, 0.42, 0.38}, .luma_sd = 0.2, .chroma_sd = 0.06,
                         .lo = 0.04, .mid = 0.41, .hi = 0.96, .exposure_ok = 1};
    h.luma = 0.2126 * h.rgb[0] + 0.7152 * h.rgb[1] + 0.0722 * h.rgb[2];
    reel_shot_color s = h; /* darker, flatter, cooler, less saturated */
    s.rgb[0] = 0.26, s.rgb[1] = 0.28, s.rgb[2] = 0.34, s.luma_sd = 0.13, s.chroma_sd = 0.03, s.start = 100, s.end = 300, s.frames = 160;
    s.lo = 0.12, s.mid = 0.27, s.hi = 0.70;
    s.luma = 0.2126 * s.rgb[0] + 0.7152 * s.rgb[1] + 0.0722 * s.rgb[2];
    reel_cdl c;
    reel_match_cdl(&s, &h, &c);
    reel_shot_color p;
    reel_match_predict(&s, &c, &p);
    reel_match_distance d0, d1;
    reel_match_distance_of(&s, &h, &d0);
    reel_match_distance_of(&p, &h, &d1);
    TAP_OK(fabs(d1.black) < 1 && fabs(d1.mid) < 1 && fabs(d1.white) < 2.5,
           "levels matched to the hero: black %+.1f -> %+.2f, median %+.1f -> %+.2f, white %+.1f -> %+.2f (%% of range; "
           "the warmed red clips just under the hero's white)",
           d0.black, d1.black, d0.mid, d1.mid, d0.white, d1.white);
    double gs = (p.rgb[2] / p.rgb[0]) / (h.rgb[2] / h.rgb[0]);
    TAP_OK(d1.de2000 < d0.de2000 / 2 && fabs(gs - 1) < 0.05 && fabs(d1.saturation_pct) < 5,
           "white balance and saturation matched: dE2000 of the means %.1f -> %.1f, blue/red vs the hero's x%.3f, saturation %+.0f%% -> %+.1f%%",
           d0.de2000, d1.de2000, gs, d0.saturation_pct, d1.saturation_pct);
    TAP_OK(c.offset[0] < 0.01 && c.offset[1] < 0.01 && c.offset[2] < 0.01,
           "a darker, flatter shot is not lifted into grey: offsets %.3f %.3f %.3f", c.offset[0], c.offset[1], c.offset[2]);
    reel_match_cdl(&h, &h, &c);
    TAP_OK(reel_cdl_is_identity(&c), "the hero matched to itself: identity CDL");
    reel_shot_color set[3] = {s, h, h};
    set[0].exposure_ok = 0.5, set[2].frames = 40;
    TAP_EQ_INT(reel_match_pick_hero(set, 3), 1, "the hero is the longest well-exposed shot");
}

/* Frame means: a grey scene at level v, with the given motion per frame. */
static void frame(reel_frame_color *f, double v, double motion)
{
    memset(f, 0, sizeof *f);
    f->rgb[0] = f->rgb[1] = f->rgb[2] = (float)v;
    f->y = (float)v, f->motion = (float)motion;
}

static double spread(const reel_frame_color *fc, const float *g, int a, int b)
{
    double s = 0, ss = 0;
    for (int i = a; i < b; i++) {
        double v = fc[i].rgb[1] * (g ? g[3 * i + 1] : 1);
        s += v, ss += v * v;
    }
    return sqrt(fmax(0, ss / (b - a) - (s / (b - a)) * (s / (b - a))));
}

static void test_deflicker(void)
{
    enum { N = 250 };
    reel_frame_color fc[N];
    float g[3 * N];
    int starts[1] = {0};
    reel_deflicker_params p;
    reel_deflicker_params_default(&p);
    reel_deflicker_stats st;
    double prev = 0.4;
    for (int i = 0; i < N; i++) { /* 25 fps, flicker of +-6% at 3.1 Hz and 7.3 Hz */
        double v = 0.4 * (1 + 0.04 * sin(2 * M_PI * i * 3.1 / 25) + 0.02 * sin(2 * M_PI * i * 7.3 / 25));
        frame(&fc[i], v, fabs(v - prev) + 0.002);
        prev = v;
    }
    reel_deflicker(fc, N, 25, starts, 1, &p, g, &st);
    double before = spread(fc, NULL, 0, N), after = spread(fc, g, 0, N);
    TAP_OK(after < before / 10 && st.pieces_flickering == 1, "flicker evened out: frame means spread %.4f -> %.5f", before, after);
    for (int i = 0; i < N; i++) fc[i].motion = (float)(20 * fabs(fc[i].y - (i ? fc[i - 1].y : 0.4)) + 0.02);
    reel_deflicker(fc, N, 25, starts, 1, &p, g, &st);
    TAP_OK(st.frames_changed == 0 && st.pieces_moving == 1, "the same changes made by things moving in the picture: left alone");
    for (int i = 0; i < N; i++) frame(&fc[i], 0.4 + 0.0005 * sin(i * 0.7), 0.004);
    reel_deflicker(fc, N, 25, starts, 1, &p, g, &st);
    TAP_OK(st.frames_changed == 0, "steady footage: no frame changed");
    prev = 0.3;
    for (int i = 0; i < N; i++) { /* flicker, a light switched on at 120 (+50%), a one-frame flash at 200 */
        double v = (i < 120 ? 0.3 : 0.45) * (1 + 0.05 * sin(2 * M_PI * i * 4.0 / 25)) * (i == 200 ? 1.6 : 1);
        frame(&fc[i], v, fabs(v - prev) + 0.002);
        prev = v;
    }
    reel_deflicker(fc, N, 25, starts, 1, &p, g, &st);
    double m0 = 0, m1 = 0;
    for (int i = 60; i < 110; i++) m0 += fc[i].rgb[1] * g[3 * i + 1] / 50;
    for (int i = 130; i < 180; i++) m1 += fc[i].rgb[1] * g[3 * i + 1] / 50;
    TAP_OK(st.steps_kept == 1 && fabs(m1 / m0 - 1.5) < 0.03, "a light switched on stays on: %.3f -> %.3f (x%.2f), %d step kept", m0, m1,
           m1 / m0, st.steps_kept);
    double f119 = fc[119].rgb[1] * g[3 * 119 + 1], f120 = fc[120].rgb[1] * g[3 * 120 + 1];
    TAP_OK(fabs(f119 / m0 - 1) < 0.03 && fabs(f120 / m1 - 1) < 0.03, "... from the frame it came on: frame 119 %.3f, frame 120 %.3f",
           f119, f120);
    TAP_OK(g[3 * 200 + 1] == 1 && spread(fc, g, 130, 195) < spread(fc, NULL, 130, 195) / 5,
           "a flash is left as it is (gain %.3f) while the flicker around it goes", g[3 * 200 + 1]);
    prev = 0.4;
    for (int i = 0; i < N; i++) { /* a fluorescent: white balance swings (red against blue) with 2% of luma */
        double w = 0.04 * sin(2 * M_PI * i * 2.3 / 25), v = 0.4 * (1 + 0.5 * w);
        frame(&fc[i], v, fabs(v - prev) + 0.002);
        fc[i].rgb[0] = (float)(v * (1 + w)), fc[i].rgb[2] = (float)(v * (1 - w * 0.2126 / 0.0722));
        prev = v;
    }
    reel_deflicker(fc, N, 25, starts, 1, &p, g, &st);
    double rb = 0, rb0 = 0;
    for (int i = 25; i < N - 25; i++) { /* a window from the ends, where the average is one-sided */
        rb0 = fmax(rb0, fabs(fc[i].rgb[0] / fc[i].rgb[2] - 1));
        rb = fmax(rb, fabs(fc[i].rgb[0] * g[3 * i] / (fc[i].rgb[2] * g[3 * i + 2]) - 1));
    }
    TAP_OK(rb < rb0 / 10, "a white-balance flicker (with 2%% of luma): red/blue off by up to %.3f -> %.4f (a second from the ends)", rb0, rb);
}

static int sh(const char *cmd)
{
    return system(cmd) == 0;
}

static void test_references(const char *dir)
{
    const char *m = tap_media_dir();
    char cmd[4096], flat[600], gray[600], pq[600], hdr16[600];
    snprintf(flat, sizeof flat, "%s/flat.png", dir);
    snprintf(gray, sizeof gray, "%s/gray.png", dir);
    snprintf(pq, sizeof pq, "%s/pq.mkv", dir);
    snprintf(hdr16, sizeof hdr16, "%s/real/hdr_room.png", m);
    snprintf(cmd, sizeof cmd,
             "ffmpeg -nostdin -v error -y -f lavfi -i color=c=0x336699:s=96x64 -frames:v 1 '%s' && "
             "ffmpeg -nostdin -v error -y -i '%s/real/flower.png' -vf scale=400:-2,format=gray '%s' && "
             "ffmpeg -nostdin -v error -y -f lavfi -i testsrc2=s=96x64:d=0.04 -c:v ffv1 -color_trc smpte2084 "
             "-color_primaries bt2020 -colorspace bt2020nc '%s'", flat, m, gray, pq);
    TAP_OK(sh(cmd), "made a flat, a grey and a PQ-tagged reference with ffmpeg");
    float *lab = NULL;
    size_t n = 0;
    reel_ref_info info;
    reel_err e = {0};
    int rc = reel_look_reference_load(flat, 65536, &lab, &n, &info, &e);
    TAP_OK(rc == REEL_EINVAL && strstr(e.msg, "flat.png") && strstr(e.msg, "single flat colour"), "a flat colour is refused: %s", e.msg);
    rc = reel_look_reference_load(pq, 65536, &lab, &n, &info, &e);
    TAP_OK(rc < 0 && strstr(e.msg, "pq.mkv") && strstr(e.msg, "HDR"), "an HDR (PQ) picture is refused: %s", e.msg);
    n = 0;
    rc = reel_look_reference_load(gray, 65536, &lab, &n, &info, &e);
    TAP_OK(rc == 0 && info.gray && strstr(info.note, "monochrome"), "a grey picture gives a monochrome look: %s", info.note);
    n = 0;
    rc = reel_look_reference_load(hdr16, 65536, &lab, &n, &info, &e);
    TAP_OK(rc == 0 && info.bits == 16 && strstr(info.note, "16-bit") && n > 10000, "a 16-bit PNG is read (%zu samples): %s", n, info.note);
    free(lab);
}

static int read_rgb(const char *path, reel_frame *f)
{
    reel_err e = {0};
    return reel_image_read(path, f, &e) == 0;
}

/* A look fitted from a real frame (OpenCV's vtest) to a real photograph (libjxl's flower), baked
 * to .cube and applied by reel and by ffmpeg's lut3d to the frame: mean dE2000 under 1. */
static void test_real_look(const char *dir)
{
    const char *m = tap_media_dir();
    char src[600], cube[600], raw[600], ref[600], cmd[4096];
    snprintf(src, sizeof src, "%s/vtest.png", dir);
    snprintf(cube, sizeof cube, "%s/look.cube", dir);
    snprintf(raw, sizeof raw, "%s/ff.rgb", dir);
    snprintf(ref, sizeof ref, "%s/real/flower.png", m);
    snprintf(cmd, sizeof cmd, "ffmpeg -nostdin -v error -y -ss 3 -i '%s/real/vtest.avi' -frames:v 1 '%s'", m, src);
    reel_frame f = {0};
    int ran = sh(cmd) && read_rgb(src, &f);
    TAP_OK(ran, "a frame of vtest.avi (run scripts/fetch-media.sh if missing)");
    if (!ran) return;
    float *sl = NULL, *rl = NULL;
    size_t ns = 0, nr = 0;
    reel_ref_info info;
    reel_err e = {0};
    reel_transfer tr;
    reel_transfer_opts o;
    reel_transfer_opts_default(&o);
    reel_look l;
    reel_look_init(&l);
    reel_lut3d t = {0};
    int rc = reel_look_reference_load(ref, 65536, &rl, &nr, &info, &e);
    if (!rc) rc = reel_samples_from_frame(&f, 65536, &sl, &ns);
    if (!rc) rc = reel_transfer_fit(sl, ns, rl, nr, &o, &tr, &e);
    l.transfer = &tr, l.protect_skin = 0.5f, l.protect_neutrals = 0.25f;
    if (!rc) rc = reel_look_bake(&l, NULL, 33, &t, &e);
    if (!rc) rc = reel_cube_save(cube, &t, &e);
    TAP_OK(rc == 0, "look fitted vtest -> flower and written as .cube %s", e.msg);
    snprintf(cmd, sizeof cmd, "ffmpeg -nostdin -v error -y -i '%s' -vf lut3d=file='%s':interp=tetrahedral -pix_fmt rgb24 -f rawvideo '%s'",
             src, cube, raw);
    char *b = NULL;
    size_t nb = 0;
    ran = !rc && sh(cmd) && reel_read_file(raw, &b, &nb, &e) == 0 && nb == (size_t)f.width * f.height * 3;
    TAP_OK(ran, "ffmpeg's lut3d read reel's .cube");
    if (ran) {
        reel_lut3d_plan *p = reel_lut3d_plan_new(&t);
        uint8_t *mine = malloc((size_t)f.width * 3);
        double sum = 0, moved = 0;
        for (int y = 0; y < f.height; y++) {
            reel_lut3d_apply_rgb24(p, f.data[0] + (size_t)y * f.linesize[0], mine, (size_t)f.width);
            for (int x = 0; x < f.width; x++) {
                double l1[3], l2[3], l0[3];
                reel_srgb8_to_lab(mine + 3 * x, l1);
                reel_srgb8_to_lab((const uint8_t *)b + 3 * ((size_t)y * f.width + x), l2);
                reel_srgb8_to_lab(f.data[0] + (size_t)y * f.linesize[0] + 3 * x, l0);
                sum += reel_de2000(l1, l2), moved += reel_de2000(l0, l1);
            }
        }
        double px = (double)f.width * f.height;
        TAP_OK(sum / px < 1 && moved / px > 5, "the fitted look through reel and through ffmpeg lut3d: mean dE2000 %.3f (the look "
               "itself moves colours by %.1f)", sum / px, moved / px);
        free(mine);
        reel_lut3d_plan_free(p);
    }
    free(b), free(sl), free(rl);
    reel_lut3d_free(&t);
    reel_frame_free(&f);
}

int main(void)
{
    reel_init();
    char dir[] = "/tmp/reel-test-color-XXXXXX";
    if (!mkdtemp(dir)) return 1;
    test_oklab();
    test_grades();
    test_cdl();
    test_transfer();
    test_look();
    test_match();
    test_deflicker();
    test_references(dir);
    test_real_look(dir);
    reel_rmtree(dir, NULL);
    return tap_done();
}
