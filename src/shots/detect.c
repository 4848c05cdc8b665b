/* Shot and transition detection over the per-frame feature table (see detect.h).
 *
 * Distances are between colour histograms (32 luma + 2 x 16 chroma bins, L1, scaled to 0..1).
 * Cuts: a frame difference that stands out from its neighbourhood (median of +-window frames; for
 * low frame rate sources, of the steps between new pictures) by cut_ratio and from both adjacent
 * differences by 2x; if the picture returns to the pre-cut picture within 3 frames it was a flash
 * (brighter) or an occlusion, not a cut. A cut with change going on beside it is soft: the first
 * or last step of a dissolve looks like one, and a gradual transition found next to it absorbs it.
 * Fades: runs of black or white frames, extended back and forward while the luma ramps. Dissolves
 * and wipes: long-range histogram change between two stable stretches with no hard cut between
 * them; a dip in luma spread mid-way (two pictures averaged) makes it a dissolve, else a wipe. */
#include "shots/detect.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *reel_trans_name(reel_trans_type t)
{
    static const char *const n[] = {"cut", "dissolve", "fade", "fade_in", "fade_out", "wipe"};
    return t <= REEL_TR_WIPE ? n[t] : "?";
}

void reel_shot_params_default(reel_shot_params *p)
{
    p->cut_ratio = 3.0;
    p->cut_min = 0.06;
    p->window = 12;
    p->gradual_min = 0.25;
    p->min_shot = 6;
}

typedef struct ctx {
    const reel_frames *f;
    const reel_shot_params *p;
    int n, hy, ym, ys, mo, um, vm, dm;
    double *s;     /* s[i] = distance(i-1, i) */
    char *cut;     /* 1 where a cut starts a shot, 2 where that cut is soft (see soft_cut), 3 once
                    * a soft cut has been absorbed into a gradual transition; 4 on the frames of
                    * a flash or an occlusion and the frame after */
    char *taken;   /* frames inside a detected transition */
    reel_shot_result *r;
    int (*found)[2]; /* per transition, in push order: its bounds as first found */
    int cap_t, cap_f;
} ctx;

static const float *row(const ctx *c, int i)
{
    return c->f->data + (size_t)i * c->f->n_fields;
}

static double dist(const ctx *c, int i, int j)
{
    if (i < 0) i = 0;
    if (j >= c->n) j = c->n - 1;
    const float *a = row(c, i) + c->hy, *b = row(c, j) + c->hy;
    double d = 0;
    for (int k = 0; k < REEL_HIST_Y + 2 * REEL_HIST_C; k++) d += fabs((double)a[k] - b[k]);
    return d / 6.0;
}

static double ym(const ctx *c, int i) { return row(c, i)[c->ym]; }
/* Tables written before the column existed have no damage. */
static int damaged(const ctx *c, int i) { return c->dm >= 0 && i >= 0 && i < c->n && row(c, i)[c->dm] > 0.5; }
static double ys(const ctx *c, int i) { return row(c, i)[c->ys]; }

/* A black or white frame. The first and last frames of a clip may be a little short of it: a
 * fade-out that ends with the clip rarely reaches full black on its last frame. */
static int flat(const ctx *c, int i, int *white)
{
    double m = ym(c, i), s = ys(c, i);
    int edge = i == 0 || i == c->n - 1;
    *white = m > 0.88;
    return s < (edge ? 0.06 : 0.04) && (m < (edge ? 0.13 : 0.1) || m > 0.88);
}

static int push_trans(ctx *c, reel_trans_type t, int start, int len, double conf, int white)
{
    reel_shot_result *r = c->r;
    if (r->n_trans == c->cap_t) {
        int cap = c->cap_t ? c->cap_t * 2 : 32;
        reel_transition *nt = realloc(r->trans, (size_t)cap * sizeof *nt);
        if (nt) r->trans = nt;
        int (*nf)[2] = nt ? realloc(c->found, (size_t)cap * sizeof *nf) : NULL;
        if (!nf) return REEL_ENOMEM;
        c->found = nf;
        c->cap_t = cap;
    }
    c->found[r->n_trans][0] = start;
    c->found[r->n_trans][1] = start + len;
    r->trans[r->n_trans++] = (reel_transition){t, start, len, conf > 1 ? 1 : conf, white};
    for (int i = start; i < start + len && i < c->n; i++) c->taken[i] = 1;
    return 0;
}

static int push_flash(ctx *c, int frame, int len)
{
    reel_shot_result *r = c->r;
    if (r->n_flashes == c->cap_f) {
        int cap = c->cap_f ? c->cap_f * 2 : 16;
        reel_flash *nf = realloc(r->flashes, (size_t)cap * sizeof *nf);
        if (!nf) return REEL_ENOMEM;
        r->flashes = nf;
        c->cap_f = cap;
    }
    r->flashes[r->n_flashes++] = (reel_flash){frame, len};
    return 0;
}

/* Runs of damaged frames into r->damage. */
static int find_damage(ctx *c)
{
    reel_shot_result *r = c->r;
    int cap = 0;
    for (int i = 0; i < c->n;) {
        if (!damaged(c, i)) { i++; continue; }
        int j = i;
        while (j < c->n && damaged(c, j)) j++;
        if (r->n_damage == cap) {
            cap = cap ? cap * 2 : 8;
            reel_damage *nd = realloc(r->damage, (size_t)cap * sizeof *nd);
            if (!nd) return REEL_ENOMEM;
            r->damage = nd;
        }
        r->damage[r->n_damage++] = (reel_damage){i, j - i};
        i = j;
    }
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The value with a share q of v below it (sorts v). */
static double quantile(double *v, int k, double q)
{
    qsort(v, (size_t)k, sizeof *v, cmp_double);
    return v[(int)(k * q)];
}

/* A repeated frame: a low frame rate source brought up to the clip's rate. */
static int repeat(const ctx *c, int i) { return row(c, i)[c->mo] < 0.0005; }

/* Median of s over [i-w, i+w] without i-1..i+1. Where a third or more of those frames are repeats,
 * the lower quartile over [i-3w, i+3w] of the steps to a new picture after a repeat (cuts and
 * flashes found so far left out; those still ahead are why not the median) instead: otherwise
 * every new picture of such a source would stand out from a neighbourhood of zeros. buf: 8w+4
 * doubles. */
static double baseline(const ctx *c, int i, double *buf)
{
    int w = c->p->window, k = 0, reps = 0;
    for (int j = i - w; j <= i + w; j++)
        if (j >= 1 && j < c->n && (j < i - 1 || j > i + 1)) {
            buf[k++] = c->s[j];
            reps += repeat(c, j);
        }
    if (!k) return 0;
    if (reps * 3 < k) return quantile(buf, k, 0.5);
    double *far = buf + k;
    int m = 0;
    for (int j = i - 3 * w; j <= i + 3 * w; j++)
        if (j >= 2 && j < c->n && (j < i - 1 || j > i + 1) && !repeat(c, j) && repeat(c, j - 1) && !c->cut[j])
            far[m++] = c->s[j];
    return m >= 3 ? quantile(far, m, 0.25) : quantile(buf, k, 0.5);
}

/* 1..3 when the picture before i comes back at i+k (a flash or an occlusion), else 0. */
static int returns(const ctx *c, int i)
{
    for (int k = 1; k <= 3 && i + k < c->n; k++)
        if (dist(c, i - 1, i + k) < 0.35 * c->s[i]) return k;
    return 0;
}

/* A step with change going on before or after it, as at the first or last frame of a dissolve
 * between two still pictures: blending a little of a second picture smears every histogram peak,
 * so the first blended frame differs more than the blend steps that follow. Such a step stays a
 * cut unless a gradual transition or a fade is found around it. */
static int soft_cut(const ctx *c, int i)
{
    double s = c->s[i];
    if (s >= 0.3) return 0;
    double pre = dist(c, i - 6, i - 1), post = dist(c, i, i + 5);
    return pre > 0.8 * s || post > 0.8 * s;
}

static int find_cuts(ctx *c)
{
    double *buf = malloc(sizeof(double) * (size_t)(8 * c->p->window + 4));
    if (!buf) return REEL_ENOMEM;
    int rc = 0;
    for (int i = 1; i < c->n && !rc; i++) {
        double s = c->s[i], b = baseline(c, i, buf);
        double nb = fmax(i > 1 ? c->s[i - 1] : 0, i + 1 < c->n ? c->s[i + 1] : 0);
        int w0, w1;
        if (s < c->p->cut_min || s < c->p->cut_ratio * (b + 0.004)) continue;
        if (damaged(c, i - 1) || damaged(c, i)) continue; /* decoding garbage or its recovery */
        int k = returns(c, i);
        if (k) { /* the picture came back: a flash when it was brighter, else an occlusion */
            if (ym(c, i) > ym(c, i - 1) + 0.05) rc = push_flash(c, i, k);
            for (int f = i; f <= i + k; f++) c->cut[f] = 4;
            i += k;
            continue;
        }
        if (s < 2.0 * nb) continue; /* part of a gradual change, not a step */
        if (flat(c, i - 1, &w0) || flat(c, i, &w1)) continue; /* black/white: fades decide */
        c->cut[i] = soft_cut(c, i) ? 2 : 1;
        rc = push_trans(c, REEL_TR_CUT, i, 0, s / (s + 3 * b + 1e-3), 0);
    }
    free(buf);
    return rc;
}

/* Fades: a run of flat frames, extended while the luma ramps toward it on either side. */
static int find_fades(ctx *c)
{
    for (int i = 0; i < c->n;) {
        int white, w2;
        if (!flat(c, i, &white)) { i++; continue; }
        int b0 = i, b1 = i;
        while (b1 < c->n && flat(c, b1, &w2) && w2 == white) b1++;
        if (b0 > 0 && b1 < c->n && b1 - b0 <= 3 && dist(c, b0 - 1, b1) < 0.15) { /* a blackout: the */
            i = b1;                                                           /* picture returns */
            continue;
        }
        int s0 = b0, s1 = b1;
        double dir = white ? -1 : 1; /* toward black, luma falls */
        while (s0 > 0 && s0 > b0 - 90 && dir * (ym(c, s0 - 1) - ym(c, s0)) > 0.002 && c->cut[s0] != 1) s0--;
        while (s1 < c->n && s1 < b1 + 90 && dir * (ym(c, s1) - ym(c, s1 - 1)) > 0.002 && c->cut[s1] != 1) s1++;
        reel_trans_type t = b0 == 0 ? REEL_TR_FADE_IN : b1 == c->n ? REEL_TR_FADE_OUT : REEL_TR_FADE;
        if ((t == REEL_TR_FADE_IN && s1 - b1 < 3) || (t == REEL_TR_FADE_OUT && b0 - s0 < 3)) {
            i = b1; /* a black (or white) leader or tail, not a fade */
            continue;
        }
        if (t == REEL_TR_FADE_IN) s0 = 0;
        int rc = push_trans(c, t, s0, s1 - s0, 0.9, white);
        if (rc) return rc;
        i = s1 > b1 ? s1 : b1;
    }
    return 0;
}

static int cut_between(const ctx *c, int a, int b)
{
    for (int i = a < 1 ? 1 : a; i <= b && i < c->n; i++)
        if (c->cut[i] == 1 || c->taken[i]) return 1;
    return 0;
}

/* Refine a gradual candidate around centre m with half-width k into [start, end). */
static void refine(const ctx *c, int pre, int post, int *start, int *end)
{
    double total = dist(c, pre, post);
    *start = pre + 1;
    while (*start < post && dist(c, pre, *start) < 0.15 * total) (*start)++;
    *end = post;
    while (*end > *start && dist(c, *end - 1, post) < 0.15 * total) (*end)--;
}

/* Least-squares ramp over alpha[0..n): 0 before s, (i - s + 1) / (e - s + 1) on [s, e), 1 from e;
 * O(n^2) with prefix sums P1 (alpha), P2 (alpha^2), PI (i * alpha), PD ((alpha - 1)^2). */
static void fit_ramp(const double *alpha, int n, int *bs, int *be)
{
    enum { MAXL = 192 };
    double P1[MAXL + 1] = {0}, P2[MAXL + 1] = {0}, PI[MAXL + 1] = {0}, PD[MAXL + 1] = {0};
    for (int i = 0; i < n; i++) {
        P1[i + 1] = P1[i] + alpha[i];
        P2[i + 1] = P2[i] + alpha[i] * alpha[i];
        PI[i + 1] = PI[i] + i * alpha[i];
        PD[i + 1] = PD[i] + (alpha[i] - 1) * (alpha[i] - 1);
    }
    double best = 1e300;
    for (int s = 1; s < n - 1; s++)
        for (int e = s + 1; e < n; e++) {
            double L = e - s + 1, m = e - s; /* ramp frames; values k / L for k = 1..m */
            double sa = P1[e] - P1[s], sia = PI[e] - PI[s] - (s - 1) * sa; /* sum alpha_i * k */
            double ramp = (P2[e] - P2[s]) - 2 * sia / L + m * (m + 1) * (2 * m + 1) / 6 / (L * L);
            double sse = P2[s] + ramp + (PD[n] - PD[e]);
            if (sse < best) best = sse, *bs = s, *be = e;
        }
}

/* Bounds of a gradual transition. A dissolve, a fade or a wipe moves the mean luma and chroma
 * in a straight line from one picture's to the other's, in step with the share of the second
 * picture (the histograms do not: blending smears them), so each frame's (Y, U, V) mean is
 * projected on that line (0..1) and a ramp fitted to the result by least squares. Anchors just
 * outside the first bounds; run twice, the second time from the first fit, whose anchors drift
 * less. Keeps *start, *end when the two pictures' means are too close to tell. */
static void fit_bounds(const ctx *c, int *start, int *end)
{
    enum { MAXL = 192 };
    double alpha[MAXL];
    for (int pass = 0; pass < 2; pass++) {
        int a = *start - 3 < 0 ? 0 : *start - 3, b = *end + 2 >= c->n ? c->n - 1 : *end + 2, n = b - a + 1;
        if (n > MAXL || n < 4) return;
        const int f3[3] = {c->ym, c->um, c->vm};
        double d[3], dd = 0;
        for (int k = 0; k < 3; k++) d[k] = (double)row(c, b)[f3[k]] - row(c, a)[f3[k]], dd += d[k] * d[k];
        if (dd < 0.03 * 0.03) return;
        for (int i = 0; i < n; i++) {
            double dot = 0;
            for (int k = 0; k < 3; k++) dot += ((double)row(c, a + i)[f3[k]] - row(c, a)[f3[k]]) * d[k];
            alpha[i] = dot / dd;
        }
        int bs = *start - a, be = *end - a;
        fit_ramp(alpha, n, &bs, &be);
        *start = a + bs;
        *end = a + be;
    }
}

static int classify(ctx *c, int pre, int post, int start, int len, double total);

static int stable(const ctx *c, int a, int b, double total)
{
    if (a < 0 || b >= c->n) return 1; /* clip edge */
    return dist(c, a, b) < 0.35 * total;
}

static int gradual_at(ctx *c, int m, int k)
{
    int pre = m - k, post = m + k;
    if (pre < 0 || post >= c->n || cut_between(c, pre, post)) return 0;
    double total = dist(c, pre, post);
    if (total < c->p->gradual_min) return 0;
    int start, end;
    refine(c, pre, post, &start, &end);
    int len = end - start;
    if (len < 3 || !stable(c, start - 6, start - 1, total) || !stable(c, end, end + 5, total)) return 0;
    for (int i = start; i < end; i++) /* no single step may carry the change: that is a cut */
        if (c->s[i] > 0.5 * total) return 0;
    int rc = classify(c, pre, post, start, end - start, total);
    if (rc == 1) { /* typed on the first bounds, reported on the fitted ones */
        reel_transition *t = &c->r->trans[c->r->n_trans - 1];
        fit_bounds(c, &start, &end);
        for (int i = start; i < end; i++) c->taken[i] = 1;
        t->start = start;
        t->length = end - start;
    }
    return rc;
}

/* Distance of the histogram at mid from the best mix a*h(pre) + (1-a)*h(post), 0..1. */
static double mix_residual(const ctx *c, int pre, int post, int mid)
{
    const float *hp = row(c, pre) + c->hy, *hq = row(c, post) + c->hy, *hm = row(c, mid) + c->hy;
    double best = 1e9;
    for (int k = 0; k <= 20; k++) {
        double a = k / 20.0, d = 0;
        for (int b = 0; b < REEL_HIST_Y + 2 * REEL_HIST_C; b++) d += fabs(hm[b] - (a * hp[b] + (1 - a) * hq[b]));
        best = fmin(best, d / 6.0);
    }
    return best;
}

/* Two pictures averaged (a dissolve) spread like 0.5*sqrt(sa^2 + sb^2); two pictures side by side
 * (a wipe) like sqrt((sa^2 + sb^2)/2 + (ma - mb)^2/4) and their histograms mix linearly. A change
 * that is neither (light, camera or subject moving) is not a transition. */
static int classify(ctx *c, int pre, int post, int start, int len, double total)
{
    int mid = start + len / 2;
    double sa = ys(c, pre), sb = ys(c, post), dm = ym(c, pre) - ym(c, post), sm = ys(c, mid);
    double dis = 0.5 * sqrt(sa * sa + sb * sb), wip = sqrt((sa * sa + sb * sb) / 2 + dm * dm / 4);
    int dissolve = fabs(sm - dis) < fabs(sm - wip);
    double res = mix_residual(c, pre, post, mid), mo = 0;
    for (int i = start; i < start + len; i++) mo += row(c, i)[c->mo];
    mo /= len;
    reel_log(REEL_LOG_DEBUG, "shots: gradual candidate %d+%d (anchors %d,%d): change %.3f, spread %.3f "
             "(dissolve %.3f, wipe %.3f), mix residual %.3f, motion %.4f", start, len, pre, post, total, sm,
             dis, wip, res, mo);
    /* camera and subject motion mimic a wipe (a pan is a moving split of two pictures), so a wipe
     * needs half again the change a dissolve needs, and histograms that really mix */
    if (!dissolve && (res > 0.3 * total || total < 1.5 * c->p->gradual_min)) return 0;
    double conf = fmin(1, total / (2 * c->p->gradual_min));
    return push_trans(c, dissolve ? REEL_TR_DISSOLVE : REEL_TR_WIPE, start, len, conf, 0) ? -1 : 1;
}

static int find_gradual(ctx *c)
{
    static const int ks[] = {36, 20, 10, 5};
    for (size_t q = 0; q < sizeof ks / sizeof ks[0]; q++) {
        int k = ks[q];
        for (int m = k; m + k < c->n; m++) {
            /* a local maximum of the long-range change */
            double g = dist(c, m - k, m + k);
            if (g < c->p->gradual_min) continue;
            if (dist(c, m - k - 1, m + k - 1) > g || dist(c, m - k + 1, m + k + 1) > g) continue;
            int rc = gradual_at(c, m, k);
            if (rc < 0) return REEL_ENOMEM;
            if (rc) m += k;
        }
    }
    return 0;
}

static int cmp_trans(const void *a, const void *b)
{
    const reel_transition *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

/* A soft cut just before or after a gradual transition (within a third of its length, 2 to 15
 * frames, of its bounds as first found) was its first or last step, which the bounds tend to
 * miss: the transition is widened to start at (or end before) the cut, and the cut dropped. */
static void absorb_soft_cuts(ctx *c)
{
    reel_shot_result *r = c->r;
    for (int i = 0; i < r->n_trans; i++) {
        reel_transition *g = &r->trans[i];
        if (g->type == REEL_TR_CUT) continue;
        int lo = c->found[i][0], hi = c->found[i][1], third = (hi - lo) / 3;
        int reach = third < 2 ? 2 : third > 15 ? 15 : third;
        for (int j = 0; j < r->n_trans; j++) {
            reel_transition *t = &r->trans[j];
            int f = t->start, end = g->start + g->length;
            if (t->type != REEL_TR_CUT || c->cut[f] != 2 || f < lo - reach || f > hi + reach) continue;
            if (f < g->start) g->length += g->start - f, g->start = f;
            if (f > end) g->length = f - g->start;
            c->cut[f] = 3; /* absorbed */
        }
    }
    int k = 0;
    for (int i = 0; i < r->n_trans; i++)
        if (r->trans[i].type != REEL_TR_CUT || c->cut[r->trans[i].start] != 3) r->trans[k++] = r->trans[i];
    r->n_trans = k;
}

/* Transitions closer than min_shot frames: keep the first (cuts and fades are found first). */
static void tidy(ctx *c)
{
    reel_shot_result *r = c->r;
    absorb_soft_cuts(c);
    if (r->n_trans > 1) qsort(r->trans, (size_t)r->n_trans, sizeof *r->trans, cmp_trans);
    int k = 0;
    for (int i = 0; i < r->n_trans; i++) {
        if (k && r->trans[i].start < r->trans[k - 1].start + r->trans[k - 1].length + c->p->min_shot &&
            r->trans[i].type != REEL_TR_FADE_OUT) {
            if (r->trans[i].confidence <= r->trans[k - 1].confidence) continue;
            k--;
        }
        r->trans[k++] = r->trans[i];
    }
    r->n_trans = k;
}

int reel_shots_detect(const reel_frames *f, const reel_shot_params *p, reel_shot_result *out)
{
    memset(out, 0, sizeof *out);
    ctx c = {.f = f, .p = p, .n = f->n_frames, .r = out};
    c.hy = reel_frames_field(f, "hy0");
    c.ym = reel_frames_field(f, "y_mean");
    c.ys = reel_frames_field(f, "y_std");
    c.mo = reel_frames_field(f, "motion");
    c.um = reel_frames_field(f, "u_mean");
    c.vm = reel_frames_field(f, "v_mean");
    c.dm = reel_frames_field(f, "damaged");
    if (c.hy < 0 || c.ym < 0 || c.ys < 0 || c.mo < 0 || c.um < 0 || c.vm < 0 || reel_frames_field(f, "hv15") != c.hy + 63)
        return REEL_EINVAL;
    out->n_frames = c.n;
    if (c.n < 2) return 0;
    c.s = calloc((size_t)c.n, sizeof *c.s);
    c.cut = calloc((size_t)c.n, 1);
    c.taken = calloc((size_t)c.n, 1);
    int rc = c.s && c.cut && c.taken ? 0 : REEL_ENOMEM;
    for (int i = 1; !rc && i < c.n; i++) c.s[i] = dist(&c, i - 1, i);
    if (!rc) rc = find_damage(&c);
    if (!rc) rc = find_cuts(&c);
    if (!rc) rc = find_fades(&c);
    if (!rc) rc = find_gradual(&c);
    if (!rc) tidy(&c);
    free(c.s);
    free(c.cut);
    free(c.taken);
    free(c.found);
    if (rc) reel_shot_result_free(out);
    return rc;
}

void reel_shot_result_free(reel_shot_result *r)
{
    free(r->trans);
    free(r->flashes);
    free(r->damage);
    memset(r, 0, sizeof *r);
}
