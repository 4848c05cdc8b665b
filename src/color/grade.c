/* Parametric grades and the tables of named looks and times of day (see grade.h). */
#include "color/grade.h"
#include "color/oklab.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Every control spelled out, in this order: exposure, temperature, tint, contrast, saturation,
 * black, white, shadows (a, b), highlights (a, b). Split-toning shifts are Oklab units. */
#define G(ex, te, ti, co, sa, bl, wh, sa_, sb_, ha, hb)                                            \
    {.exposure = ex, .temperature = te, .tint = ti, .contrast = co, .pivot = 0, .black = bl,       \
     .white = wh, .saturation = sa, .shadows = {sa_, sb_}, .highlights = {ha, hb}}
#define IDENTITY G(0, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0)

const reel_grade reel_grade_identity = IDENTITY;

const reel_grade_entry reel_named_looks[] = {
    {"neutral", "no look: the footage as shot (after matching)", IDENTITY},
    {"warm", "warmer white balance, a little richer colour",
     G(0, 0.35f, 0, 1, 1.05f, 0, 1, 0, 0, 0.004f, 0.012f)},
    {"cool", "cooler white balance, slightly restrained colour",
     G(0, -0.35f, 0, 1, 0.95f, 0, 1, -0.004f, -0.01f, 0, 0)},
    {"teal_orange", "teal shadows, warm highlights and skin, more contrast",
     G(0, 0, 0, 1.12f, 1.1f, 0, 1, -0.028f, -0.03f, 0.012f, 0.035f)},
    {"bleach_bypass", "silver retained: hard contrast, half the colour, bright whites held",
     G(0, 0, 0, 1.4f, 0.45f, 0, 0.97f, 0, 0, 0, 0)},
    {"day_for_night", "shot by day, played at night: mid grey three stops down, blue, little colour, highlights held",
     G(-1.8f, -0.6f, 0, 1.15f, 0.4f, 0, 0.72f, -0.01f, -0.035f, -0.005f, -0.02f)},
    {"noir", "black and white, hard contrast, deep blacks", G(0, 0, 0, 1.45f, 0, 0.01f, 1, 0, 0, 0, 0)},
    {NULL, NULL, IDENTITY},
};

const reel_grade_entry reel_times_of_day[] = {
    {"dawn", "cool, pink-tinged, soft and a little dark",
     G(-0.3f, -0.15f, 0.12f, 0.92f, 0.9f, 0, 1, 0, 0, 0.015f, 0.008f)},
    {"morning", "clean, slightly warm and bright", G(0.1f, 0.1f, 0, 1, 1, 0, 1, 0, 0, 0, 0)},
    {"noon", "neutral: the footage as graded", IDENTITY},
    {"golden_hour", "low warm sun: warm, rich, soft contrast",
     G(-0.1f, 0.45f, 0, 0.95f, 1.1f, 0, 1, 0, 0, 0.01f, 0.04f)},
    {"sunset", "warmer and darker, orange-magenta highlights, purple shadows",
     G(-0.35f, 0.6f, 0.15f, 1.05f, 1.15f, 0, 1, 0.012f, -0.02f, 0.03f, 0.045f)},
    {"blue_hour", "after sunset: darker, blue, colour going",
     G(-0.8f, -0.5f, 0, 1, 0.85f, 0, 1, -0.005f, -0.04f, 0, 0)},
    {"night", "dark, blue moonlight, little colour, highlights held down",
     G(-1.6f, -0.55f, 0, 1.1f, 0.55f, 0, 0.8f, -0.006f, -0.035f, 0, 0)},
    {"day_for_night", "daylight footage played as night (mid grey three stops down, blue)",
     G(-1.8f, -0.6f, 0, 1.15f, 0.4f, 0, 0.72f, -0.01f, -0.035f, -0.005f, -0.02f)},
    {NULL, NULL, IDENTITY},
};

const reel_grade_entry *reel_grade_find(const reel_grade_entry *table, const char *name)
{
    for (int i = 0; name && table[i].name; i++)
        if (!strcmp(table[i].name, name)) return &table[i];
    return NULL;
}

const char *reel_grade_names(const reel_grade_entry *table)
{
    static char looks[256], tod[256];
    char *buf = table == reel_times_of_day ? tod : looks;
    size_t n = 0;
    buf[0] = 0;
    for (int i = 0; table[i].name && n < 200; i++)
        n += (size_t)snprintf(buf + n, 256 - n, "%s%s", i ? ", " : "", table[i].name);
    return buf;
}

int reel_grade_is_identity(const reel_grade *g)
{
    return g->exposure == 0 && g->temperature == 0 && g->tint == 0 && g->contrast == 1 &&
           g->black == 0 && g->white == 1 && g->saturation == 1 && g->shadows[0] == 0 &&
           g->shadows[1] == 0 && g->highlights[0] == 0 && g->highlights[1] == 0;
}

/* Exposure and white balance in linear light: channel gains normalised to keep luminance. */
static void expose(const reel_grade *g, float c[3])
{
    float k = exp2f(g->exposure);
    float gr = expf(0.3f * g->temperature), gb = expf(-0.3f * g->temperature);
    float gg = expf(-0.2f * g->tint);
    float y = 0.2126f * gr + 0.7152f * gg + 0.0722f * gb;
    c[0] *= k * gr / y, c[1] *= k * gg / y, c[2] *= k * gb / y;
}

/* An S-curve through (pivot, pivot) with slope `contrast` there, keeping 0 and 1. */
static float s_curve(float L, float contrast, float pivot)
{
    if (contrast == 1) return L;
    if (L <= 0) return L;
    if (L >= 1) return L;
    if (L < pivot) return pivot * powf(L / pivot, contrast);
    return 1 - (1 - pivot) * powf((1 - L) / (1 - pivot), contrast);
}

void reel_grade_apply_oklab(const reel_grade *g, float lab[3])
{
    if (g->exposure != 0 || g->temperature != 0 || g->tint != 0) {
        float c[3];
        reel_oklab_to_linear(lab, c);
        expose(g, c);
        reel_linear_to_oklab(c, lab);
    }
    float pivot = g->pivot > 0 ? g->pivot : 0.5f;
    float L = s_curve(lab[0], g->contrast, pivot);
    L = g->black + L * (g->white - g->black);
    float ws = (1 - L) * (1 - L), wh = L * L;
    ws = ws < 0 ? 0 : ws > 1 ? 1 : ws;
    wh = wh < 0 ? 0 : wh > 1 ? 1 : wh;
    lab[0] = L;
    lab[1] = lab[1] * g->saturation + g->shadows[0] * ws + g->highlights[0] * wh;
    lab[2] = lab[2] * g->saturation + g->shadows[1] * ws + g->highlights[1] * wh;
}

void reel_grade_apply(const reel_grade *g, const float in[3], float out[3])
{
    float lab[3];
    reel_srgb_to_oklab(in, lab);
    reel_grade_apply_oklab(g, lab);
    reel_oklab_to_srgb(lab, out);
}
