/* 3D LUTs and .cube files: CIEDE2000 against Sharma, Wu and Dalal's published pairs; an
 * identity table gives back every 8-bit colour exactly; tetrahedral interpolation reproduces any
 * colour transform that is linear (exact) and keeps greys grey; the input domain
 * (DOMAIN_MIN/MAX, LUT_3D_INPUT_RANGE) is honoured; .cube files round-trip and every malformed
 * one is refused naming the file and line; and the same table on a real photograph (libjxl's
 * flower) through reel and through ffmpeg's lut3d=interp=tetrahedral differs by a mean dE2000
 * far under 1. */
#include "color/colorspace.h"
#include "color/lut3d.h"
#include "tap.h"
#include "timeline/cube.h"
#include "util/fsutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_de2000(void)
{
    static const double pairs[][7] = {
        {50, 2.6772, -79.7751, 50, 0, -82.7485, 2.0425}, {50, 3.1571, -77.2803, 50, 0, -82.7485, 2.8615},
        {50, -1.3802, -84.2814, 50, 0, -82.7485, 1.0000}, {50, 0, 0, 50, -1, 2, 2.3669},
        {50, 2.49, -0.001, 50, -2.49, 0.0009, 7.1792},
    };
    double worst = 0;
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        worst = fmax(worst, fabs(reel_de2000(pairs[i], pairs[i] + 3) - pairs[i][6]));
    TAP_OK(worst < 1e-4, "CIEDE2000 on Sharma's pairs (a hue-angle wrap among them): worst error %.2g", worst);
    double lab[3];
    reel_srgb8_to_lab((const uint8_t[]){255, 255, 255}, lab);
    TAP_OK(fabs(lab[0] - 100) < 0.01 && fabs(lab[1]) < 0.01 && fabs(lab[2]) < 0.01, "sRGB white is L 100, a b 0");
}

/* A look: a lift, a gamma, a hue-twisting saturation; fed 0..1, kept in 0..1. */
static void look(const float in[3], float out[3])
{
    float y = 0.2126f * in[0] + 0.7152f * in[1] + 0.0722f * in[2];
    float t[3] = {in[0] * 1.08f + 0.02f, in[1] * 0.97f + 0.01f, in[2] * 0.9f + 0.04f};
    for (int c = 0; c < 3; c++) {
        float v = y + 1.25f * (t[c] - y) + 0.05f * (c == 2 ? in[0] - in[2] : 0);
        v = v < 0 ? 0 : v > 1 ? 1 : v;
        out[c] = powf(v, 0.9f);
    }
}

static void fill(reel_lut3d *l, void (*f)(const float *, float *))
{
    for (int b = 0; b < l->n; b++)
        for (int g = 0; g < l->n; g++)
            for (int r = 0; r < l->n; r++) {
                float in[3] = {(float)r / (l->n - 1), (float)g / (l->n - 1), (float)b / (l->n - 1)};
                f(in, reel_lut3d_at(l, r, g, b));
            }
}

static void linear_map(const float in[3], float out[3])
{
    out[0] = 0.8f * in[0] + 0.1f * in[1] + 0.05f, out[1] = 0.2f * in[0] + 0.7f * in[2] + 0.02f;
    out[2] = 0.3f * in[1] + 0.6f * in[2];
}

static void test_apply(void)
{
    reel_lut3d l;
    TAP_OK(reel_lut3d_alloc(&l, 17) == 0 && reel_lut3d_alloc(&(reel_lut3d){0}, 1) == -1, "tables of 17 made, of 1 refused");
    reel_lut3d_plan *p = reel_lut3d_plan_new(&l);
    uint8_t *in = malloc(256 * 256 * 3), *out = malloc(256 * 256 * 3);
    int exact = 1;
    for (int b = 0; b < 256 && exact; b++) {
        for (int i = 0; i < 256 * 256; i++) in[3 * i] = (uint8_t)(i & 255), in[3 * i + 1] = (uint8_t)(i >> 8), in[3 * i + 2] = (uint8_t)b;
        reel_lut3d_apply_rgb24(p, in, out, 256 * 256);
        exact = !memcmp(in, out, 256 * 256 * 3);
    }
    TAP_OK(exact, "identity table: all 16.7 million 8-bit colours come back unchanged");
    reel_lut3d_plan_free(p);
    fill(&l, linear_map);
    float px[3 * 1000], got[3 * 1000], err = 0;
    unsigned s = 5;
    for (int i = 0; i < 3000; i++) s = s * 1103515245u + 12345u, px[i] = (float)((s >> 8) & 0xffff) / 65535.0f;
    reel_lut3d_apply_f32(&l, px, got, 1000);
    for (int i = 0; i < 1000; i++) {
        float want[3];
        linear_map(px + 3 * i, want);
        for (int c = 0; c < 3; c++) err = fmaxf(err, fabsf(got[3 * i + c] - want[c]));
    }
    TAP_OK(err < 1e-5, "a linear transform through 17 points: reproduced between the points (max error %.1g)", err);
    fill(&l, look);
    int grey = 1;
    for (int v = 0; v <= 255; v++) {
        float g3[3] = {v / 255.0f, v / 255.0f, v / 255.0f}, o[3], w[3];
        reel_lut3d_apply_f32(&l, g3, o, 1);
        look(g3, w);
        grey &= fabsf(o[0] - o[1]) < 0.03f || fabsf((o[0] - o[1]) - (w[0] - w[1])) < 0.01f;
    }
    TAP_OK(grey, "greys follow the neutral diagonal (interpolated only along it)");
    reel_lut3d_free(&l);
    reel_lut3d_alloc(&l, 5);
    for (int c = 0; c < 3; c++) l.dmin[c] = 0, l.dmax[c] = 2;
    float half[3] = {1, 1, 1}, o[3], over[3] = {3, -1, 0.5f};
    reel_lut3d_apply_f32(&l, half, o, 1);
    TAP_OK(fabsf(o[0] - 0.5f) < 1e-6, "domain 0..2: input 1 lands mid-table (%.3f)", o[0]);
    reel_lut3d_apply_f32(&l, over, o, 1);
    TAP_OK(o[0] == 1 && o[1] == 0 && fabsf(o[2] - 0.25f) < 1e-6, "outside the domain: clamped to its ends");
    reel_lut3d_free(&l);
    free(in), free(out);
}

static int parse(const char *text, reel_lut3d *l, reel_err *e)
{
    return reel_cube_parse("t.cube", text, strlen(text), l, e);
}

static void test_cube(void)
{
    reel_lut3d l;
    reel_err e = {0};
    const char *ok = "# made by hand\r\nTITLE \"warm\"\r\n\r\nLUT_3D_SIZE 2\r\nDOMAIN_MIN 0 0 0\r\nDOMAIN_MAX 1 1 1\r\n"
                     "0 0 0\r\n1 0 0\r\n0 1 0\r\n1 1 0\r\n# a comment among the data\r\n0 0 1\r\n1 0 1\r\n0 1 1\r\n1 1 1\r\n";
    int prc = parse(ok, &l, &e);
    if (prc) printf("# %s\n", e.msg);
    TAP_OK(prc == 0 && l.n == 2 && !strcmp(l.title, "warm") && reel_lut3d_at(&l, 1, 0, 1)[0] == 1 &&
               reel_lut3d_at(&l, 1, 0, 1)[2] == 1 && reel_lut3d_at(&l, 0, 1, 1)[0] == 0,
           "CRLF, comments, TITLE, DOMAIN lines: read, red fastest");
    reel_lut3d_free(&l);
    TAP_OK(parse("LUT_3D_SIZE 2\nLUT_3D_INPUT_RANGE 0.0 4.0\n0 0 0\n1 0 0\n0 1 0\n1 1 0\n0 0 1\n1 0 1\n0 1 1\n1 1 1\n", &l, &e) == 0 &&
               l.dmax[0] == 4 && l.dmax[2] == 4 && l.dmin[1] == 0,
           "Resolve's LUT_3D_INPUT_RANGE read as the domain");
    reel_lut3d_free(&l);
    char path[] = "/tmp/reel-test-cube-XXXXXX.cube";
    int fd = mkstemps(path, 5);
    close(fd);
    reel_lut3d w, r;
    reel_lut3d_alloc(&w, 33);
    fill(&w, look);
    snprintf(w.title, sizeof w.title, "look \"quoted\"");
    int same = reel_cube_save(path, &w, &e) == 0 && reel_cube_load(path, &r, &e) == 0 && r.n == 33;
    for (size_t i = 0; same && i < 33 * 33 * 33 * 3; i++) same = fabsf(r.t[i] - w.t[i]) < 1e-6f;
    if (!same) printf("# %s\n", e.msg);
    TAP_OK(same && !strcmp(r.title, "look 'quoted'"), "33-point table saved and read back to 6 decimals");
    reel_lut3d_free(&r);
    static const struct { const char *text, *want; } bad[] = {
        {"LUT_3D_SIZE 2\n0 0 0\n1 0 0\n", "2 table lines, but LUT_3D_SIZE 2 needs 8"},
        {"LUT_3D_SIZE 2\n0 0 0\n0 0 0\n0 0 0\n0 0 0\n0 0 0\n0 0 0\n0 0 0\n0 0 0\n0 0 0\n", "line 10: more table lines"},
        {"LUT_3D_SIZE 2\n0 0 0\nnan 0 0\n", "line 3: a table line must be three finite numbers"},
        {"LUT_3D_SIZE 2\n0 0 0\n1 0\n", "line 3: a table line must be three finite numbers"},
        {"LUT_3D_SIZE 2\n0 0 0 0\n", "line 2: a table line must be three finite numbers"},
        {"0 0 0\n", "line 1: table data before LUT_3D_SIZE"},
        {"TITLE \"x\"\n", "no LUT_3D_SIZE"},
        {"LUT_3D_SIZE 1\n", "line 1: LUT_3D_SIZE must be a whole number from 2 to 256"},
        {"LUT_3D_SIZE 300\n", "LUT_3D_SIZE must be a whole number from 2 to 256, not 300"},
        {"LUT_1D_SIZE 1024\n", "line 1: a 1D LUT"},
        {"LUT_3D_SIZE 2\nFOO 1\n", "line 2: unknown keyword FOO"},
        {"LUT_3D_SIZE 2\n0 0 0\nDOMAIN_MIN 0 0 0\n", "line 3: keyword after the table's data"},
        {"LUT_3D_SIZE 2\nDOMAIN_MIN 1 0 0\nDOMAIN_MAX 1 1 1\n0 0 0\n1 0 0\n0 1 0\n1 1 0\n0 0 1\n1 0 1\n0 1 1\n1 1 1\n",
         "minimum (1) is not under its maximum (1)"},
        {"LUT_3D_SIZE 2\nLUT_3D_SIZE 2\n", "line 2: LUT_3D_SIZE given twice"},
    };
    int all = 1;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        memset(&e, 0, sizeof e);
        int rc = parse(bad[i].text, &l, &e);
        if (rc != REEL_EINVAL || !strstr(e.msg, bad[i].want) || strncmp(e.msg, "t.cube: ", 8) || l.t) {
            all = 0;
            printf("# case %zu: rc %d, message \"%s\"\n", i, rc, e.msg);
        }
    }
    TAP_OK(all, "%zu malformed .cube files refused, each naming the file (and line) and what is wrong",
           sizeof bad / sizeof *bad);
    TAP_OK(parse("LUT_3D_SIZE 2\n0 0 0\0\n", &l, &e) == REEL_EINVAL, "a NUL byte: refused");
    fill(&w, look);
    /* the real-photo comparison with ffmpeg's lut3d */
    const char *media = getenv("REEL_MEDIA") ? getenv("REEL_MEDIA") : ".cache/media";
    char photo[4096], cmd[12288], raw_in[64], raw_ff[64];
    snprintf(photo, sizeof photo, "%s/real/flower.png", media);
    snprintf(raw_in, sizeof raw_in, "%s.in.rgb", path), snprintf(raw_ff, sizeof raw_ff, "%s.ff.rgb", path);
    reel_cube_save(path, &w, &e);
    snprintf(cmd, sizeof cmd,
             "ffmpeg -nostdin -v error -y -i '%s' -pix_fmt rgb24 -f rawvideo '%s' && "
             "ffmpeg -nostdin -v error -y -i '%s' -vf lut3d=file='%s':interp=tetrahedral -pix_fmt rgb24 -f rawvideo '%s'",
             photo, raw_in, photo, path, raw_ff);
    char *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    int ran = reel_file_exists(photo) && system(cmd) == 0 && reel_read_file(raw_in, &a, &na, &e) == 0 &&
              reel_read_file(raw_ff, &b, &nb, &e) == 0 && na == nb && na % 3 == 0 && na > 0;
    TAP_OK(ran, "ffmpeg ran lut3d on %s (run scripts/fetch-media.sh if it is missing)", photo);
    if (ran) {
        reel_lut3d_plan *p = reel_lut3d_plan_new(&w);
        uint8_t *mine = malloc(na);
        reel_lut3d_apply_rgb24(p, (const uint8_t *)a, mine, na / 3);
        double sum = 0, worst = 0;
        for (size_t i = 0; i < na / 3; i++) {
            double l1[3], l2[3];
            reel_srgb8_to_lab(mine + 3 * i, l1);
            reel_srgb8_to_lab((const uint8_t *)b + 3 * i, l2);
            double d = reel_de2000(l1, l2);
            sum += d, worst = fmax(worst, d);
        }
        TAP_OK(sum / (na / 3) < 1, "flower.png (%zu px) through the 33-point look: reel against ffmpeg lut3d, mean dE2000 %.3f "
               "(under 1), worst %.2f", na / 3, sum / (na / 3), worst);
        free(mine);
        reel_lut3d_plan_free(p);
    }
    free(a), free(b);
    unlink(raw_in), unlink(raw_ff), unlink(path);
    reel_lut3d_free(&w);
}

int main(void)
{
    test_de2000();
    test_apply();
    test_cube();
    return tap_done();
}
