/* Picture findings from the per-frame measures: black frames and segments, frozen picture,
 * frames the decoder flagged, frames with broken block edges the decoder did not flag, and
 * levels outside EBU R103. Each finding covers a run of frames, with its timecode. */
#include "qc/qcint.h"

#include <math.h>
#include <stdlib.h>

/* A frame test; bar is a threshold some tests take. */
typedef int (*frame_pred)(const reel_qc_report *r, int64_t i, float bar);

/* The next run [*a, *b] from *i on where pred holds, joining runs at most gap frames apart.
 * 1 when found (and *i moves past it), 0 when none is left. */
static int next_run(const reel_qc_report *r, frame_pred pred, float bar, int gap, int64_t *i, int64_t *a, int64_t *b)
{
    while (*i < r->nv && !pred(r, *i, bar)) (*i)++;
    if (*i >= r->nv) return 0;
    *a = *b = *i;
    for (int64_t j = *i + 1; j < r->nv && j <= *b + gap + 1; j++)
        if (pred(r, j, bar)) *b = j;
    *i = *b + 1;
    return 1;
}

static double frame_dur(const reel_qc_report *r)
{
    return r->fps.num > 0 ? (double)r->fps.den / r->fps.num : 0.04;
}

/* The time frame i ends. */
static double t_end(const reel_qc_report *r, int64_t i)
{
    return i + 1 < r->nv ? r->v[i + 1].time : r->v[i].time + frame_dur(r);
}

static int is_black(const reel_qc_report *r, int64_t i, float bar) { return r->v[i].black >= REEL_QC_BLACK_SHARE; }
static int is_damaged(const reel_qc_report *r, int64_t i, float bar) { return r->v[i].damaged; }
static int is_illegal(const reel_qc_report *r, int64_t i, float bar) { return r->v[i].illegal > 0.01f; }

static int is_frozen(const reel_qc_report *r, int64_t i, float bar)
{
    return reel_qc_frozen(&r->v[i]) && !is_black(r, i, bar);
}

static void black(reel_qc_report *r)
{
    int64_t i = 0, a, b;
    while (next_run(r, is_black, 0, 0, &i, &a, &b)) {
        double t0 = r->v[a].time, t1 = t_end(r, b), d = t1 - t0;
        int n = (int)(b - a + 1);
        if (a == 0 || b == r->nv - 1) {
            if (d >= r->spec->black_min_s)
                reel_qc_add(r, "black", REEL_QC_INFO, t0, t1, "black %s for %.2f s (%d frames)",
                            a == 0 ? "at the start" : "at the end", d, n);
        } else if (d >= r->spec->black_min_s) {
            reel_qc_add(r, "black", REEL_QC_WARNING, t0, t1, "black segment of %.2f s (%d frames)", d, n);
        } else if (n <= 2 && r->v[a - 1].ymean > 40 && r->v[b + 1].ymean > 40) {
            reel_qc_add(r, "black", REEL_QC_WARNING, t0, t1, "%s between pictures (a flash frame?)",
                        n == 1 ? "a single black frame" : "two black frames");
        }
    }
}

static void freeze(reel_qc_report *r)
{
    int64_t i = 0, a, b;
    while (next_run(r, is_frozen, 0, 0, &i, &a, &b)) {
        double t0 = r->v[a - 1].time, t1 = t_end(r, b); /* frame a repeats frame a - 1 */
        if (t1 - t0 >= r->spec->freeze_min_s)
            reel_qc_add(r, "freeze", REEL_QC_WARNING, t0, t1, "frozen picture for %.2f s (%lld repeated frames)",
                        t1 - t0, (long long)(b - a + 1));
    }
}

static void damaged(reel_qc_report *r)
{
    int64_t i = 0, a, b, runs = 0;
    while (next_run(r, is_damaged, 0, 2, &i, &a, &b)) {
        runs++;
        int64_t n = 0;
        for (int64_t j = a; j <= b; j++) n += r->v[j].damaged;
        reel_qc_add(r, "decode", REEL_QC_ERROR, r->v[a].time, t_end(r, b),
                    "%lld frame%s the decoder reported damaged (corrupt or lost data)",
                    (long long)n, n == 1 ? "" : "s");
    }
    if (r->lost_pictures > 0)
        reel_qc_add(r, "decode", REEL_QC_WARNING, -1, -1, "%lld video packet%s gave no picture (the decoder "
                    "dropped %s: corrupt or missing data)", (long long)r->lost_pictures, r->lost_pictures == 1 ? "" : "s",
                    r->lost_pictures == 1 ? "it" : "them");
    if (!runs && r->corrupt_packets > 0)
        reel_qc_add(r, "decode", REEL_QC_WARNING, -1, -1, "%lld packet%s the decoders rejected, with no picture "
                    "damaged (the sound may have a gap)", (long long)r->corrupt_packets, r->corrupt_packets == 1 ? "" : "s");
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* The bar for broken block edges: well over what this file shows on a typical frame, and at
 * least REEL_QC_BROKEN_MIN_EDGES edges. */
static float broken_bar(const reel_qc_report *r)
{
    float *s = malloc((size_t)r->nv * sizeof *s);
    if (!s) return INFINITY;
    for (int64_t i = 0; i < r->nv; i++) s[i] = r->v[i].broken;
    qsort(s, (size_t)r->nv, sizeof *s, cmp_float);
    float med = s[r->nv / 2];
    free(s);
    float least = r->block_edges > 0 ? (float)REEL_QC_BROKEN_MIN_EDGES / r->block_edges : 1;
    return fmaxf(fmaxf(REEL_QC_BROKEN, least), 4 * med + 0.01f);
}

static int is_glitch(const reel_qc_report *r, int64_t i, float bar) { return !r->v[i].damaged && r->v[i].broken >= bar; }

static void glitch(reel_qc_report *r)
{
    float bar = broken_bar(r);
    int64_t i = 0, a, b;
    while (next_run(r, is_glitch, bar, 2, &i, &a, &b)) {
        float worst = 0;
        for (int64_t j = a; j <= b; j++) worst = fmaxf(worst, r->v[j].broken);
        reel_qc_add(r, "glitch", REEL_QC_WARNING, r->v[a].time, t_end(r, b),
                    "%lld frame%s with blocks of garbage (%.1f%% of block edges broken; the decoder "
                    "reported nothing)", (long long)(b - a + 1), b > a ? "s" : "", worst * 100);
    }
}

static void levels(reel_qc_report *r)
{
    int64_t i = 0, a, b;
    int gap = (int)lround(1 / frame_dur(r));
    while (next_run(r, is_illegal, 0, gap, &i, &a, &b)) {
        float worst = 0;
        for (int64_t j = a; j <= b; j++) worst = fmaxf(worst, r->v[j].illegal);
        reel_qc_add(r, "levels", r->spec->levels_sev, r->v[a].time, t_end(r, b),
                    "video levels outside EBU R103 (luma -1..103%%, RGB -5..105%%) on up to %.1f%% of "
                    "the picture (1%% allowed)", worst * 100);
    }
}

void reel_qc_check_video(reel_qc_report *r)
{
    if (!r->nv) return;
    black(r);
    freeze(r);
    damaged(r);
    glitch(r);
    levels(r);
}
