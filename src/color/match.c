/* Shot matching by ASC CDL (see match.h). */
#include "color/match.h"
#include "color/colorspace.h"

#include <math.h>

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static double luma709(const double c[3])
{
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}

/* Slope and offset that take lo and hi to the targets' power-th roots, for a given power. */
static void levels_for(double lo, double hi, double tlo, double thi, double p, double *slope, double *off)
{
    double a = pow(tlo, 1 / p), b = pow(thi, 1 / p);
    *slope = hi - lo > 1e-3 ? (b - a) / (hi - lo) : 1;
    *off = a - *slope * lo;
}

/* The luma curve f(x) = (slope x + offset)^power through the hero's black, median and white. */
static void fit_levels(const reel_shot_color *s, const reel_shot_color *h, double *slope, double *off,
                       double *power)
{
    double lo = s->lo, hi = s->hi, m = s->mid;
    double tlo = clampd(h->lo, 0, 0.5), thi = clampd(h->hi, 0.5, 1), tm = clampd(h->mid, 0.02, 0.98);
    double plo = 0.6, phi = 1.6, p = 1;
    if (hi - lo < 0.05 || m <= lo || m >= hi) { /* too flat to place a median: levels only */
        levels_for(lo, hi, tlo, thi, 1, slope, off);
        *power = 1;
        return;
    }
    for (int i = 0; i < 40; i++) { /* f(m) falls as the power rises: bisect for f(m) = tm */
        p = 0.5 * (plo + phi);
        levels_for(lo, hi, tlo, thi, p, slope, off);
        double v = pow(clampd(*slope * m + *off, 1e-6, 1), p);
        if (v > tm) plo = p;
        else phi = p;
    }
    *power = p;
}

void reel_match_cdl(const reel_shot_color *s, const reel_shot_color *h, reel_cdl *out)
{
    *out = reel_cdl_identity;
    if (s->frames == 0 || h->frames == 0 || s == h) return;
    double slope, off, p;
    fit_levels(s, h, &slope, &off, &p);
    slope = clampd(slope, 0.25, 4), off = clampd(off, -0.5, 0.5);
    double stretch = s->hi - s->lo > 1e-3 ? (h->hi - h->lo) / (s->hi - s->lo) : 1;
    double sat = s->chroma_sd > 4e-3 ? clampd(h->chroma_sd / (clampd(stretch, 0.5, 2) * s->chroma_sd), 0.25, 2.5) : 1;
    double ys = fmax(s->luma, 1e-3), yh = fmax(h->luma, 1e-3), g[3], k709[3] = {0.2126, 0.7152, 0.0722}, gy = 0;
    for (int c = 0; c < 3; c++) { /* the hero's chromaticity as it must be before saturation */
        double want = 1 + (h->rgb[c] / yh - 1) / sat;
        g[c] = s->rgb[c] > 1e-3 ? clampd(want / (s->rgb[c] / ys), 0.5, 2) : 1;
        gy += k709[c] * g[c];
    }
    for (int c = 0; c < 3; c++) {
        double w = pow(g[c] / gy, 1 / p); /* gains that keep grey's luma: (w (slope x + offset))^p = g f(x) */
        out->slope[c] = clampd(slope * w, 0.25, 4);
        out->offset[c] = clampd(off * w, -0.5, 0.5);
        out->power[c] = p;
    }
    out->sat = sat;
}

static double curve_of(const reel_cdl *c, double x)
{
    double y = 0;
    for (int i = 0; i < 3; i++) /* the luma-weighted channel curves */
        y += (i == 0 ? 0.2126 : i == 1 ? 0.7152 : 0.0722) * pow(clampd(x * c->slope[i] + c->offset[i], 0, 1), c->power[i]);
    return y;
}

void reel_match_predict(const reel_shot_color *s, const reel_cdl *c, reel_shot_color *o)
{
    *o = *s;
    double t[3];
    for (int i = 0; i < 3; i++) t[i] = pow(clampd(s->rgb[i] * c->slope[i] + c->offset[i], 0, 1), c->power[i]);
    double y = luma709(t);
    for (int i = 0; i < 3; i++) o->rgb[i] = clampd(y + c->sat * (t[i] - y), 0, 1);
    o->luma = luma709(o->rgb);
    o->lo = curve_of(c, s->lo), o->mid = curve_of(c, s->mid), o->hi = curve_of(c, s->hi);
    double k = s->hi - s->lo > 1e-3 ? (o->hi - o->lo) / (s->hi - s->lo) : 1; /* the stretch */
    o->luma_sd = s->luma_sd * k;
    o->chroma_sd = s->chroma_sd * k * c->sat;
}

static void to_lab(const double rgb[3], double lab[3])
{
    double c[3] = {clampd(rgb[0], 0, 1), clampd(rgb[1], 0, 1), clampd(rgb[2], 0, 1)};
    reel_srgb_to_lab(c, lab);
}

void reel_match_distance_of(const reel_shot_color *s, const reel_shot_color *h, reel_match_distance *d)
{
    double a[3], b[3];
    to_lab(s->rgb, a);
    to_lab(h->rgb, b);
    d->de2000 = reel_de2000(a, b);
    d->contrast_pct = h->luma_sd > 1e-6 ? 100 * (s->luma_sd - h->luma_sd) / h->luma_sd : 0;
    d->saturation_pct = h->chroma_sd > 1e-6 ? 100 * (s->chroma_sd - h->chroma_sd) / h->chroma_sd : 0;
    d->black = 100 * (s->lo - h->lo), d->mid = 100 * (s->mid - h->mid), d->white = 100 * (s->hi - h->hi);
}

int reel_match_pick_hero(const reel_shot_color *s, int n)
{
    int best = -1;
    for (int pass = 0; pass < 2 && best < 0; pass++)
        for (int i = 0; i < n; i++) {
            if (!pass && s[i].exposure_ok < 0.9) continue;
            if (best < 0 || s[i].frames > s[best].frames) best = i;
        }
    return best;
}
