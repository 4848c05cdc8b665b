/* Photosensitive flashing, an approximation of ITU-R BT.1702 and the Ofcom rule. The picture is
 * cut into a 32x18 grid; each cell's mean colour is taken to display light (gamma 2.2 on a
 * 200 cd/m2 screen). A cell makes a luminance transition when its luminance has moved 20 cd/m2
 * or more from the last extreme in the other direction with the darker state under 160 cd/m2; a
 * red transition when max(0, R - G - B) x 320 moves more than 20 with the redder state saturated
 * (R / (R + G + B) >= 0.8). A frame carries a flash transition when cells covering a quarter of
 * the screen or more made a transition the same way within the last three frames, and opposite
 * to the previous frame-level transition. video.c counts them in one-second windows. */
#include "qc/qcint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GX 32
#define GY 18
#define NCELL (GX * GY)
#define WINDOW 3

typedef struct track {
    float hi, lo;
    int8_t dir;
    uint8_t hi_sat, lo_sat, started;
} track;

struct reel_qc_flash {
    track lum[NCELL], red[NCELL];
    float up[WINDOW], down[WINDOW], rup[WINDOW], rdown[WINDOW];
    int pos, last, rlast;
};

reel_qc_flash *reel_qc_flash_new(void) { return calloc(1, sizeof(reel_qc_flash)); }

void reel_qc_flash_free(reel_qc_flash **fl)
{
    free(*fl);
    *fl = NULL;
}

static float lin(double v)
{
    v = v < 0 ? 0 : v > 1 ? 1 : v;
    return (float)pow(v, 2.2);
}

/* Mean Y, U, V of every cell. */
static void cell_means(const reel_frame *f, float my[NCELL], float mu[NCELL], float mv[NCELL])
{
    double sy[NCELL] = {0}, su[NCELL] = {0}, sv[NCELL] = {0}, n[NCELL] = {0}, nc[NCELL] = {0};
    for (int y = 0; y < f->height; y++) {
        const uint8_t *p = f->data[0] + (size_t)y * f->linesize[0];
        int row = y * GY / f->height * GX;
        for (int x = 0; x < f->width; x++) {
            int c = row + x * GX / f->width;
            sy[c] += p[x], n[c]++;
        }
    }
    int cw = (f->width + 1) / 2, ch = (f->height + 1) / 2;
    for (int y = 0; y < ch; y++) {
        const uint8_t *u = f->data[1] + (size_t)y * f->linesize[1], *v = f->data[2] + (size_t)y * f->linesize[2];
        int row = y * GY / ch * GX;
        for (int x = 0; x < cw; x++) {
            int c = row + x * GX / cw;
            su[c] += u[x], sv[c] += v[x], nc[c]++;
        }
    }
    for (int c = 0; c < NCELL; c++) {
        my[c] = n[c] ? (float)(sy[c] / n[c]) : 16;
        mu[c] = nc[c] ? (float)(su[c] / nc[c]) : 128;
        mv[c] = nc[c] ? (float)(sv[c] / nc[c]) : 128;
    }
}

/* One cell's state: +1 / -1 when it makes a transition now. sat: this state is saturated red
 * (always 1 for luminance). The darker (or less red) state must be under `dark_max`, and for red
 * the redder state must be saturated. */
static int step(track *t, float v, int sat, float delta, float dark_max, int need_sat)
{
    if (!t->started) {
        t->hi = t->lo = v, t->hi_sat = t->lo_sat = (uint8_t)sat;
        t->started = 1;
        return 0;
    }
    int up = t->dir != 1 && v - t->lo >= delta && t->lo < dark_max && (!need_sat || sat);
    int down = t->dir != -1 && t->hi - v >= delta && v < dark_max && (!need_sat || t->hi_sat);
    if (up || down) {
        t->dir = up ? 1 : -1;
        t->hi = t->lo = v, t->hi_sat = t->lo_sat = (uint8_t)sat;
        return t->dir;
    }
    if (v > t->hi) t->hi = v, t->hi_sat = (uint8_t)sat;
    if (v < t->lo) t->lo = v, t->lo_sat = (uint8_t)sat;
    return 0;
}

/* Frame-level transition from the cells' areas in the window, alternating with *last. */
static int frame_event(const float up[WINDOW], const float down[WINDOW], int *last, float *area)
{
    float u = 0, d = 0;
    for (int i = 0; i < WINDOW; i++) u += up[i], d += down[i];
    int ev = 0;
    if (u >= 0.25f && *last != 1 && (u >= d || *last == -1)) ev = 1, *area = u;
    else if (d >= 0.25f && *last != -1) ev = -1, *area = d;
    if (ev) *last = ev;
    return ev;
}

void reel_qc_flash_feed(reel_qc_flash *fl, const reel_frame *f, int bt709, reel_qc_vframe *o)
{
    float my[NCELL], mu[NCELL], mv[NCELL];
    cell_means(f, my, mu, mv);
    const double kr = bt709 ? 1.5748 : 1.402, kgb = bt709 ? 0.1873 : 0.344136,
                 kgr = bt709 ? 0.4681 : 0.714136, kb = bt709 ? 1.8556 : 1.772;
    int p = fl->pos;
    fl->up[p] = fl->down[p] = fl->rup[p] = fl->rdown[p] = 0;
    for (int c = 0; c < NCELL; c++) {
        double y = f->full_range ? my[c] / 255.0 : (my[c] - 16) / 219.0;
        double cb = (mu[c] - 128) / (f->full_range ? 255.0 : 224.0), cr = (mv[c] - 128) / (f->full_range ? 255.0 : 224.0);
        float r = lin(y + kr * cr), g = lin(y - kgb * cb - kgr * cr), b = lin(y + kb * cb);
        float lum = 200 * (0.2126f * r + 0.7152f * g + 0.0722f * b);
        int sat = r + g + b > 0 && r / (r + g + b) >= 0.8f;
        float redv = 320 * fmaxf(0, r - g - b);
        int d = step(&fl->lum[c], lum, 1, 20, 160, 0);
        if (d > 0) fl->up[p] += 1.0f / NCELL;
        if (d < 0) fl->down[p] += 1.0f / NCELL;
        d = step(&fl->red[c], redv, sat, 20.0001f, INFINITY, 1);
        if (d > 0) fl->rup[p] += 1.0f / NCELL;
        if (d < 0) fl->rdown[p] += 1.0f / NCELL;
    }
    fl->pos = (p + 1) % WINDOW;
    o->flash_area = 0;
    float rarea = 0;
    o->flash = (int8_t)frame_event(fl->up, fl->down, &fl->last, &o->flash_area);
    o->red_flash = (int8_t)frame_event(fl->rup, fl->rdown, &fl->rlast, &rarea);
    /* the cells of a frame-level transition are not counted again */
    if (o->flash) memset(o->flash > 0 ? fl->up : fl->down, 0, sizeof fl->up);
    if (o->red_flash) memset(o->red_flash > 0 ? fl->rup : fl->rdown, 0, sizeof fl->rup);
    if (rarea > o->flash_area) o->flash_area = rarea;
}

/* Flash transitions (luminance or red) in the second that starts at frame i's. */
static int per_second(const reel_qc_report *r, int64_t i, int64_t *last)
{
    int n = 0;
    *last = i;
    for (int64_t j = i; j < r->nv && r->v[j].time < r->v[i].time + 1.0 - 1e-6; j++)
        if (r->v[j].flash || r->v[j].red_flash) n++, *last = j;
    return n;
}

void reel_qc_check_flash(reel_qc_report *r)
{
    double t0 = -1, t1 = -1;
    int worst = 0, red = 0;
    float area = 0;
    for (int64_t i = 0; i <= r->nv; i++) {
        int64_t last = i;
        int n = 0;
        if (i < r->nv && (r->v[i].flash || r->v[i].red_flash)) n = per_second(r, i, &last);
        if (n > 6 && t0 >= 0 && r->v[i].time <= t1) { /* extends the open segment */
            t1 = r->v[last].time, worst = n > worst ? n : worst;
        } else if (n > 6 || i == r->nv) {
            if (t0 >= 0)
                reel_qc_add(r, "flash", REEL_QC_ERROR, t0, t1,
                            "photosensitive flashing: up to %d %stransitions (%.1f flashes) in one second over "
                            "%.0f%% of the screen; ITU-R BT.1702 and Ofcom allow 3 flashes a second",
                            worst, red ? "luminance or saturated-red " : "luminance ", worst / 2.0, area * 100);
            if (i == r->nv) break;
            t0 = r->v[i].time, t1 = r->v[last].time, worst = n, red = 0, area = 0;
        }
        if (n > 6)
            for (int64_t j = i; j <= last; j++) {
                red |= r->v[j].red_flash != 0;
                if (r->v[j].flash_area > area) area = r->v[j].flash_area;
            }
    }
}
