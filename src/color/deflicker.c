/* Continuity deflicker on per-frame means (see deflicker.h). */
#include "color/deflicker.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void reel_deflicker_params_default(reel_deflicker_params *p)
{
    p->window = 1.0;
    p->step = 0.15;
    p->min_flicker = 0.004;
}

typedef struct dctx {
    const reel_deflicker_params *p;
    const reel_frame_color *fc;
    double sigma;            /* frames */
    int k;                   /* step half-window, frames */
    double *lg;              /* n x 4: log R, G, B, luma */
    double *tg;              /* n x 4 targets */
    unsigned char *out;      /* frames taken out of the target (events) */
    double *tmp;
} dctx;

static double lg_of(double v)
{
    return log(v > 0.01 ? v : 0.01);
}

static int cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(dctx *c, int a, int b)
{
    int m = 0;
    for (int i = a; i < b; i++) c->tmp[m++] = c->lg[4 * i + 3];
    qsort(c->tmp, (size_t)m, sizeof *c->tmp, cmpd);
    return m % 2 ? c->tmp[m / 2] : 0.5 * (c->tmp[m / 2 - 1] + c->tmp[m / 2]);
}

/* Gaussian targets over [a, b) leaving out frames marked in c->out. */
static void targets(dctx *c, int a, int b)
{
    int r = (int)ceil(3 * c->sigma);
    for (int i = a; i < b; i++) {
        double s[4] = {0}, w = 0;
        for (int j = i - r < a ? a : i - r; j < b && j <= i + r; j++) {
            if (c->out[j]) continue;
            double x = (j - i) / c->sigma, wj = exp(-0.5 * x * x);
            for (int k = 0; k < 4; k++) s[k] += wj * c->lg[4 * j + k];
            w += wj;
        }
        for (int k = 0; k < 4; k++) c->tg[4 * i + k] = w > 0 ? s[k] / w : c->lg[4 * i + k];
    }
}

/* Median over [a + 1, b) of |change of the mean luma| / mean |change of luma per pixel|: near 1
 * when the whole picture brightens and darkens together, small when things move in it. Only
 * luma has a per-pixel measure, so a white-balance flicker is corrected (per channel) when it
 * comes with a luma flicker, as a fluorescent's does; one that keeps luma exactly steady is not
 * told apart from colours moving in the picture (counting chroma changes as global made an
 * animated clip's lighting changes pass for flicker). */
static double globalness(dctx *c, int a, int b)
{
    int m = 0;
    for (int i = a + 1; i < b; i++) c->tmp[m++] = fabs(c->fc[i].y - c->fc[i - 1].y) / (c->fc[i].motion + 1e-6);
    if (!m) return 0;
    qsort(c->tmp, (size_t)m, sizeof *c->tmp, cmpd);
    return c->tmp[m / 2];
}

/* The bar of globalness a flicker clears: real footage without flicker measured 0.02..0.13
 * (camera moves, people walking, animation), synthetic flicker on moving footage 0.3 and up. */
#define GLOBAL 0.25

/* One piece without steps: targets, events out, targets again, gains if it flickers. */
static void piece(dctx *c, int a, int b, double global, float *gains, reel_deflicker_stats *st)
{
    memset(c->out + a, 0, (size_t)(b - a));
    targets(c, a, b);
    int events = 0;
    for (int i = a; i < b; i++)
        if (fabs(c->lg[4 * i + 3] - c->tg[4 * i + 3]) > c->p->step) c->out[i] = 1, events++;
    if (events && events < b - a) targets(c, a, b);
    double ss[4] = {0};
    int m = 0;
    for (int i = a; i < b; i++) {
        if (c->out[i]) continue;
        for (int k = 0; k < 4; k++) ss[k] += (c->lg[4 * i + k] - c->tg[4 * i + k]) * (c->lg[4 * i + k] - c->tg[4 * i + k]);
        m++;
    }
    double rms = 0; /* the channel that strays most: luma, or one colour in a white-balance flicker */
    for (int k = 0; k < 4; k++) rms = fmax(rms, m ? sqrt(ss[k] / m) : 0);
    st->pieces++;
    st->events_kept += events;
    if (rms < c->p->min_flicker) return;
    if (global < GLOBAL) {
        st->pieces_moving++;
        return;
    }
    st->pieces_flickering++;
    st->rms_before = sqrt((st->rms_before * st->rms_before * (st->pieces_flickering - 1) + rms * rms) /
                          st->pieces_flickering);
    for (int i = a; i < b; i++) {
        if (c->out[i]) continue;
        for (int k = 0; k < 3; k++) {
            double g = exp(c->tg[4 * i + k] - c->lg[4 * i + k]);
            gains[3 * i + k] = (float)(g < 0.7 ? 0.7 : g > 1.4 ? 1.4 : g);
        }
    }
}

/* The medians place a step within a few frames; the frame it happens on is the largest
 * frame-to-frame change of luma within half a window of there (flicker moves luma by a
 * fraction of a step from one frame to the next). */
static int step_frame(const dctx *c, int at, int lo, int hi)
{
    int best = at, h = c->k / 2 > 1 ? c->k / 2 : 1;
    double big = -1;
    for (int t = at - h > lo + 1 ? at - h : lo + 1; t <= at + h && t < hi; t++) {
        double d = fabs(c->lg[4 * t + 3] - c->lg[4 * (t - 1) + 3]);
        if (d > big) big = d, best = t;
    }
    return best;
}

/* Split a shot [a, b) at its steps, then treat each piece. */
static void shot(dctx *c, int a, int b, float *gains, reel_deflicker_stats *st)
{
    int k = c->k, start = a;
    double best = 0, global = globalness(c, a, b); /* over the whole shot: pieces are short */
    int at = -1;
    for (int t = a + k; t <= b - k; t++) {
        double d = fabs(median(c, t, t + k) - median(c, t - k, t));
        if (d > c->p->step && d > best) best = d, at = t;
        if (at >= 0 && (t - at >= k || t == b - k)) { /* the strongest step of this stretch */
            at = step_frame(c, at, start, b);
            piece(c, start, at, global, gains, st);
            st->steps_kept++;
            start = at, best = 0, at = -1;
        }
    }
    piece(c, start, b, global, gains, st);
}

int reel_deflicker(const reel_frame_color *fc, int n, double fps, const int *starts, int n_shots,
                   const reel_deflicker_params *p, float *gains, reel_deflicker_stats *st)
{
    memset(st, 0, sizeof *st);
    for (int i = 0; i < 3 * n; i++) gains[i] = 1;
    if (n <= 0) return 0;
    dctx c = {.p = p};
    if (fps <= 0) fps = 25;
    c.sigma = fmax(1, p->window * fps / 2);
    c.k = (int)fmax(3, lrint(p->window * fps)); /* a window each side: flicker averages out */
    c.lg = malloc((size_t)n * 4 * sizeof *c.lg);
    c.tg = malloc((size_t)n * 4 * sizeof *c.tg);
    c.out = malloc((size_t)n);
    c.tmp = malloc((size_t)n * sizeof *c.tmp);
    c.fc = fc;
    int rc = 0;
    if (!c.lg || !c.tg || !c.out || !c.tmp) {
        rc = REEL_ENOMEM;
        goto done;
    }
    for (int i = 0; i < n; i++) {
        const float *m = fc[i].rgb;
        for (int k = 0; k < 3; k++) c.lg[4 * i + k] = lg_of(m[k]);
        c.lg[4 * i + 3] = lg_of(0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2]);
    }
    for (int s = 0; s < n_shots; s++) {
        int a = starts[s], b = s + 1 < n_shots ? starts[s + 1] : n;
        if (a < 0 || b > n || b <= a) continue;
        shot(&c, a, b, gains, st);
    }
    for (int i = 0; i < n; i++) {
        double dev = 0;
        for (int k = 0; k < 3; k++) dev = fmax(dev, fabs(gains[3 * i + k] - 1));
        st->frames_changed += dev > 1e-3;
        st->max_gain_dev = fmax(st->max_gain_dev, dev);
    }
done:
    free(c.lg), free(c.tg), free(c.out), free(c.tmp);
    return rc;
}
