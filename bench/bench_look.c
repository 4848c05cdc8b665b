/* bench_look: look transfer quality and fit time, reel against the classic Reinhard transfer
 * (Reinhard, Ashikhmin, Gooch and Shirley 2001: per-channel mean and deviation matched in
 * Ruderman's l-alpha-beta space) on the same pictures in the same run.
 *
 *   bench_look SOURCE REFERENCE [OUT_PREFIX]
 *
 * Prints, for reel and for Reinhard:
 *   swd       sliced Wasserstein distance in CIELAB between the result and the reference (64
 *             directions, 32768 samples each; lower is closer to the reference's colours)
 *   gradcorr  Pearson correlation of the Sobel gradient magnitude of the result's luma with the
 *             source's (1: structure kept; banding, noise or posterising lower it)
 * and the source's own swd, reel's fit time (reference loaded from its file, samples, fit, a
 * 33-point table baked) and the time to load the reference alone. With OUT_PREFIX, writes
 * OUT_PREFIX-reel.png and OUT_PREFIX-reinhard.png. */
#include "color/colorspace.h"
#include "color/look.h"
#include "color/oklab.h"
#include "media/media.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* n CIELAB samples of an RGB24 image on an even grid. */
static double *lab_samples(const reel_frame *f, int n)
{
    double *out = malloc((size_t)n * 3 * sizeof *out);
    size_t px = (size_t)f->width * f->height;
    for (int i = 0; i < n; i++) {
        size_t p = (size_t)((double)i * px / n);
        const uint8_t *c = f->data[0] + (p / f->width) * f->linesize[0] + (p % f->width) * 3;
        reel_srgb8_to_lab(c, out + 3 * i);
    }
    return out;
}

static int cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double swd(const reel_frame *a, const reel_frame *b)
{
    enum { N = 32768, DIRS = 64 };
    double *la = lab_samples(a, N), *lb = lab_samples(b, N), *pa = malloc(N * sizeof *pa), *pb = malloc(N * sizeof *pb);
    unsigned s = 12345;
    double total = 0;
    for (int d = 0; d < DIRS; d++) {
        double v[3], len = 0;
        for (int k = 0; k < 3; k++) {
            s = s * 1103515245u + 12345u;
            v[k] = ((s >> 8) / (double)(1u << 24)) * 2 - 1;
            len += v[k] * v[k];
        }
        len = sqrt(len);
        for (int i = 0; i < N; i++) {
            pa[i] = (la[3 * i] * v[0] + la[3 * i + 1] * v[1] + la[3 * i + 2] * v[2]) / len;
            pb[i] = (lb[3 * i] * v[0] + lb[3 * i + 1] * v[1] + lb[3 * i + 2] * v[2]) / len;
        }
        qsort(pa, N, sizeof *pa, cmpd);
        qsort(pb, N, sizeof *pb, cmpd);
        double w = 0;
        for (int i = 0; i < N; i++) w += fabs(pa[i] - pb[i]);
        total += w / N;
    }
    free(la), free(lb), free(pa), free(pb);
    return total / DIRS;
}

static float *grad(const reel_frame *f)
{
    int w = f->width, h = f->height;
    float *y = malloc((size_t)w * h * sizeof *y), *g = calloc((size_t)w * h, sizeof *g);
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++) {
            const uint8_t *c = f->data[0] + (size_t)j * f->linesize[0] + (size_t)i * 3;
            y[(size_t)j * w + i] = 0.2126f * c[0] + 0.7152f * c[1] + 0.0722f * c[2];
        }
    for (int j = 1; j < h - 1; j++)
        for (int i = 1; i < w - 1; i++) {
            const float *p = y + (size_t)j * w + i;
            float gx = (p[-w + 1] + 2 * p[1] + p[w + 1]) - (p[-w - 1] + 2 * p[-1] + p[w - 1]);
            float gy = (p[w - 1] + 2 * p[w] + p[w + 1]) - (p[-w - 1] + 2 * p[-w] + p[-w + 1]);
            g[(size_t)j * w + i] = sqrtf(gx * gx + gy * gy);
        }
    free(y);
    return g;
}

static double gradcorr(const reel_frame *a, const reel_frame *b)
{
    float *ga = grad(a), *gb = grad(b);
    size_t n = (size_t)a->width * a->height;
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    for (size_t i = 0; i < n; i++) {
        sa += ga[i], sb += gb[i], saa += (double)ga[i] * ga[i], sbb += (double)gb[i] * gb[i];
        sab += (double)ga[i] * gb[i];
    }
    free(ga), free(gb);
    double ma = sa / n, mb = sb / n;
    return (sab / n - ma * mb) / sqrt((saa / n - ma * ma) * (sbb / n - mb * mb));
}

/* Reinhard et al.: linear RGB -> LMS -> log10 -> l-alpha-beta, mean and deviation matched. */
static void to_lab_rh(const uint8_t c[3], double o[3])
{
    double r = reel_srgb_decode(c[0] / 255.0f), g = reel_srgb_decode(c[1] / 255.0f), b = reel_srgb_decode(c[2] / 255.0f);
    double L = log10(fmax(0.3811 * r + 0.5783 * g + 0.0402 * b, 1e-4));
    double M = log10(fmax(0.1967 * r + 0.7244 * g + 0.0782 * b, 1e-4));
    double S = log10(fmax(0.0241 * r + 0.1288 * g + 0.8444 * b, 1e-4));
    o[0] = (L + M + S) / sqrt(3), o[1] = (L + M - 2 * S) / sqrt(6), o[2] = (L - M) / sqrt(2);
}

static void from_lab_rh(const double o[3], uint8_t c[3])
{
    double L = pow(10, o[0] / sqrt(3) + o[1] / sqrt(6) + o[2] / sqrt(2));
    double M = pow(10, o[0] / sqrt(3) + o[1] / sqrt(6) - o[2] / sqrt(2));
    double S = pow(10, o[0] / sqrt(3) - 2 * o[1] / sqrt(6));
    double rgb[3] = {4.4679 * L - 3.5873 * M + 0.1193 * S, -1.2186 * L + 2.3809 * M - 0.1624 * S,
                     0.0497 * L - 0.2439 * M + 1.2045 * S};
    for (int k = 0; k < 3; k++) c[k] = (uint8_t)(reel_srgb_encode((float)rgb[k]) * 255 + 0.5f);
}

static void stats_rh(const reel_frame *f, double m[3], double sd[3])
{
    double s[3] = {0}, ss[3] = {0};
    size_t n = (size_t)f->width * f->height;
    for (int j = 0; j < f->height; j++)
        for (int i = 0; i < f->width; i++) {
            double o[3];
            to_lab_rh(f->data[0] + (size_t)j * f->linesize[0] + (size_t)i * 3, o);
            for (int k = 0; k < 3; k++) s[k] += o[k], ss[k] += o[k] * o[k];
        }
    for (int k = 0; k < 3; k++) m[k] = s[k] / n, sd[k] = sqrt(fmax(ss[k] / n - m[k] * m[k], 1e-12));
}

static void reinhard(const reel_frame *src, const reel_frame *ref, reel_frame *out)
{
    double ms[3], ss[3], mr[3], sr[3];
    stats_rh(src, ms, ss);
    stats_rh(ref, mr, sr);
    for (int j = 0; j < src->height; j++)
        for (int i = 0; i < src->width; i++) {
            double o[3];
            to_lab_rh(src->data[0] + (size_t)j * src->linesize[0] + (size_t)i * 3, o);
            for (int k = 0; k < 3; k++) o[k] = mr[k] + (o[k] - ms[k]) * sr[k] / ss[k];
            from_lab_rh(o, out->data[0] + (size_t)j * out->linesize[0] + (size_t)i * 3);
        }
}

static int reel_transfer_image(const reel_frame *src, const char *ref_path, reel_frame *out, double *fit_s,
                               double *load_s)
{
    reel_err e = {0};
    double t0 = now();
    float *ref = NULL, *sl = NULL;
    size_t nr = 0, nsrc = 0;
    reel_ref_info info;
    if (reel_look_reference_load(ref_path, 65536, &ref, &nr, &info, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    *load_s = now() - t0;
    reel_samples_from_frame(src, 65536, &sl, &nsrc);
    reel_transfer tr;
    reel_transfer_opts o;
    reel_transfer_opts_default(&o);
    const char *env = getenv("ROUNDS");
    if (env) o.rounds = atoi(env);
    if (getenv("RELAX")) o.relax = (float)atof(getenv("RELAX"));
    if (getenv("SLOPE")) o.max_slope = (float)atof(getenv("SLOPE"));
    if (reel_transfer_fit(sl, nsrc, ref, nr, &o, &tr, &e)) return 1;
    reel_look look;
    reel_look_init(&look);
    look.transfer = &tr;
    look.mono = info.gray;
    look.protect_skin = getenv("SKIN") ? (float)atof(getenv("SKIN")) : 0.5f;
    look.protect_neutrals = getenv("NEUTRALS") ? (float)atof(getenv("NEUTRALS")) : 0.25f;
    reel_lut3d lut = {0};
    if (reel_look_bake(&look, NULL, 33, &lut, &e)) return 1;
    *fit_s = now() - t0;
    reel_lut3d_plan *p = reel_lut3d_plan_new(&lut);
    for (int j = 0; j < src->height; j++)
        reel_lut3d_apply_rgb24(p, src->data[0] + (size_t)j * src->linesize[0], out->data[0] + (size_t)j * out->linesize[0],
                               (size_t)src->width);
    reel_lut3d_plan_free(p);
    reel_lut3d_free(&lut);
    free(ref), free(sl);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_look SOURCE REFERENCE [OUT_PREFIX]\n");
        return 2;
    }
    reel_init();
    reel_err e = {0};
    reel_frame src, ref, a, b;
    if (reel_image_read(argv[1], &src, &e) || reel_image_read(argv[2], &ref, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    reel_frame_alloc(&a, src.width, src.height, REEL_PIX_RGB24);
    reel_frame_alloc(&b, src.width, src.height, REEL_PIX_RGB24);
    double fit_s = 0, load_s = 0;
    if (reel_transfer_image(&src, argv[2], &a, &fit_s, &load_s)) return 1;
    reinhard(&src, &ref, &b);
    printf("reference %dx%d  source %dx%d\n", ref.width, ref.height, src.width, src.height);
    printf("source    swd %.3f\n", swd(&src, &ref));
    printf("reel      swd %.3f  gradcorr %.4f\n", swd(&a, &ref), gradcorr(&src, &a));
    printf("reinhard  swd %.3f  gradcorr %.4f\n", swd(&b, &ref), gradcorr(&src, &b));
    printf("fit_s %.3f  load_s %.3f\n", fit_s, load_s);
    if (argc > 3) {
        char p[1024];
        snprintf(p, sizeof p, "%s-reel.png", argv[3]);
        reel_image_write(p, &a, &e);
        snprintf(p, sizeof p, "%s-reinhard.png", argv[3]);
        reel_image_write(p, &b, &e);
    }
    reel_frame_free(&src), reel_frame_free(&ref), reel_frame_free(&a), reel_frame_free(&b);
    return 0;
}
