/* Frame and shot colour statistics from ingest's features (see shotstats.h). */
#include "color/shotstats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void reel_yuv_desc_for(const char *cs, int height, int full_range, reel_yuv_desc *d, int *assumed)
{
    int is709 = height >= 720, known = 1;
    if (cs && !strcmp(cs, "bt709")) is709 = 1;
    else if (cs && (!strcmp(cs, "bt470bg") || !strcmp(cs, "smpte170m") || !strcmp(cs, "fcc"))) is709 = 0;
    else known = 0;
    d->kr = is709 ? 0.2126 : 0.299;
    d->kb = is709 ? 0.0722 : 0.114;
    d->full_range = full_range;
    if (assumed) *assumed = !known;
}

void reel_yuv_to_rgb(const reel_yuv_desc *d, const double yuv[3], double rgb[3])
{
    double y, cb, cr;
    if (d->full_range) y = yuv[0], cb = yuv[1] - 128.0 / 255, cr = yuv[2] - 128.0 / 255;
    else {
        y = (yuv[0] * 255 - 16) / 219;
        cb = (yuv[1] * 255 - 128) / 224, cr = (yuv[2] * 255 - 128) / 224;
    }
    double kg = 1 - d->kr - d->kb;
    rgb[0] = y + 2 * (1 - d->kr) * cr;
    rgb[2] = y + 2 * (1 - d->kb) * cb;
    rgb[1] = (y - d->kr * rgb[0] - d->kb * rgb[2]) / kg;
}

int reel_frame_colors(const reel_frames *f, const reel_yuv_desc *d, reel_frame_color **out)
{
    *out = NULL;
    int cy = reel_frames_field(f, "y_mean"), cys = reel_frames_field(f, "y_std"),
        cu = reel_frames_field(f, "u_mean"), cv = reel_frames_field(f, "v_mean"),
        cus = reel_frames_field(f, "u_std"), cvs = reel_frames_field(f, "v_std"),
        cm = reel_frames_field(f, "motion"), cd = reel_frames_field(f, "damaged");
    if (cy < 0 || cys < 0 || cu < 0 || cv < 0 || cus < 0 || cvs < 0 || cm < 0) return REEL_EINVAL;
    reel_frame_color *fc = calloc(f->n_frames ? (size_t)f->n_frames : 1, sizeof *fc);
    if (!fc) return REEL_ENOMEM;
    double ys = d->full_range ? 1 : 255.0 / 219, cs = d->full_range ? 1 : 255.0 / 224;
    for (int i = 0; i < f->n_frames; i++) {
        const float *r = f->data + (size_t)i * f->n_fields;
        double yuv[3] = {r[cy], r[cu], r[cv]}, rgb[3];
        reel_yuv_to_rgb(d, yuv, rgb);
        for (int k = 0; k < 3; k++) fc[i].rgb[k] = (float)rgb[k];
        fc[i].luma_sd = (float)(r[cys] * ys);
        fc[i].chroma_sd = (float)(hypot(r[cus], r[cvs]) * cs);
        fc[i].y = r[cy];
        fc[i].motion = r[cm];
        fc[i].damaged = cd >= 0 && r[cd] > 0.5f;
        memcpy(fc[i].hist, r + REEL_F_HIST_Y, sizeof fc[i].hist);
    }
    *out = fc;
    return 0;
}

/* The level below which a fraction q of a 32-bin code histogram lies, as Y' 0..1 (linear within
 * a bin). */
static double level(const double *h, double q, const reel_yuv_desc *d)
{
    double total = 0, acc = 0, code = 255;
    for (int b = 0; b < REEL_HIST_Y; b++) total += h[b];
    for (int b = 0; b < REEL_HIST_Y && total > 0; b++) {
        if (acc + h[b] >= q * total && h[b] > 0) {
            code = 8.0 * b + 8.0 * (q * total - acc) / h[b];
            break;
        }
        acc += h[b];
    }
    double y = d->full_range ? code / 255 : (code - 16) / 219;
    return y < 0 ? 0 : y > 1 ? 1 : y;
}

void reel_shot_color_pool(const reel_frame_color *fc, int start, int end, const reel_yuv_desc *d,
                          reel_shot_color *s)
{
    memset(s, 0, sizeof *s);
    s->start = start, s->end = end;
    int len = end - start, a = start + len / 10, b = end - len / 10;
    if (b <= a) a = start, b = end;
    double m[3] = {0}, m2 = 0, ly = 0, ly2 = 0, c2 = 0, ok = 0, h[REEL_HIST_Y] = {0};
    int n = 0;
    for (int pass = 0; pass < 2 && !n; pass++) /* all frames damaged: take them anyway */
        for (int i = a; i < b; i++) {
            if (fc[i].damaged && !pass) continue;
            double y = 0.2126 * fc[i].rgb[0] + 0.7152 * fc[i].rgb[1] + 0.0722 * fc[i].rgb[2];
            for (int k = 0; k < 3; k++) m[k] += fc[i].rgb[k];
            ly += y, ly2 += y * y;
            m2 += (double)fc[i].luma_sd * fc[i].luma_sd;
            c2 += (double)fc[i].chroma_sd * fc[i].chroma_sd;
            ok += y > 0.08 && y < 0.92;
            for (int k = 0; k < REEL_HIST_Y; k++) h[k] += fc[i].hist[k];
            n++;
        }
    if (!n) return;
    for (int k = 0; k < 3; k++) s->rgb[k] = m[k] / n;
    s->frames = n;
    s->luma = 0.2126 * s->rgb[0] + 0.7152 * s->rgb[1] + 0.0722 * s->rgb[2];
    s->luma_sd = sqrt(m2 / n + fmax(0, ly2 / n - (ly / n) * (ly / n)));
    s->chroma_sd = sqrt(c2 / n);
    s->exposure_ok = ok / n;
    s->lo = level(h, 0.01, d), s->mid = level(h, 0.5, d), s->hi = level(h, 0.99, d);
}
