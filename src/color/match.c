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

void reel_match_cdl(const reel_shot_color *s, const reel_shot_color *h, reel_cdl *out)
{
    *out = reel_cdl_identity;
    if (s->frames == 0 || h->frames == 0 || s == h) return;
    double k = s->luma_sd > 1e-3 ? clampd(h->luma_sd / s->luma_sd, 0.5, 2) : 1;
    double ys = fmax(s->luma, 1e-3), yh = fmax(h->luma, 1e-3);
    double sat = s->chroma_sd > 4e-3 ? clampd(h->chroma_sd / (k * s->chroma_sd), 0.25, 2.5) : 1;
    for (int c = 0; c < 3; c++) {
        double w = s->rgb[c] > 1e-3 ? clampd((h->rgb[c] / yh) / (s->rgb[c] / ys), 0.5, 2) : 1;
        double slope = clampd(k * w, 0.25, 4);
        double target = yh + (h->rgb[c] - yh) / sat; /* before saturation, so it lands after */
        out->slope[c] = slope;
        out->offset[c] = clampd(target - slope * s->rgb[c], -0.5, 0.5);
    }
    out->sat = sat;
}

void reel_match_predict(const reel_shot_color *s, const reel_cdl *c, reel_shot_color *o)
{
    *o = *s;
    double t[3], sl[3];
    for (int i = 0; i < 3; i++) {
        t[i] = clampd(s->rgb[i] * c->slope[i] + c->offset[i], 0, 1);
        if (c->power[i] != 1) t[i] = pow(t[i], c->power[i]);
        sl[i] = s->rgb[i] * c->slope[i];
    }
    double k = luma709(s->rgb) > 1e-6 ? luma709(sl) / luma709(s->rgb) : 1; /* the slopes' effect on luma */
    double y = luma709(t);
    for (int i = 0; i < 3; i++) o->rgb[i] = clampd(y + c->sat * (t[i] - y), 0, 1);
    o->luma = luma709(o->rgb);
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
