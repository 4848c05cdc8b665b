/* Video features on analysis-size frames: plain loops over planar bytes, written so that the
 * compiler vectorises them (per-row 32-bit sums), cheap next to decoding. */
#include "agents/vfeat.h"
#include "util/hot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int reel_vfeat_init(reel_vfeat *v, int width, int height, double duration)
{
    memset(v, 0, sizeof *v);
    v->width = width;
    v->height = height;
    v->duration = duration;
    v->poster_score = -1;
    v->min_y = 1;
    v->prev_y = malloc((size_t)width * height);
    if (!v->prev_y) return REEL_ENOMEM;
    return reel_frame_alloc(&v->poster, width, height, REEL_PIX_YUV444P);
}

void reel_vfeat_free(reel_vfeat *v)
{
    free(v->prev_y);
    reel_frame_free(&v->poster);
    memset(v, 0, sizeof *v);
}

static void plane_stats(const reel_frame *f, int plane, float *hist, int bins, double *mean,
                        double *var)
{
    int w = f->width, h = f->height;
    unsigned sub[4][256] = {{0}}, counts[256];
    for (int y = 0; y < h; y++) {
        const uint8_t *row = f->data[plane] + (size_t)y * f->linesize[plane];
        int x = 0;
        /* four tables: runs of equal bytes do not wait on one counter */
        for (; x + 4 <= w; x += 4) {
            sub[0][row[x]]++;
            sub[1][row[x + 1]]++;
            sub[2][row[x + 2]]++;
            sub[3][row[x + 3]]++;
        }
        for (; x < w; x++) sub[0][row[x]]++;
    }
    for (int i = 0; i < 256; i++) counts[i] = sub[0][i] + sub[1][i] + sub[2][i] + sub[3][i];
    double n = (double)w * h, s = 0, s2 = 0;
    int shift = bins == 32 ? 3 : 4;
    for (int b = 0; b < bins; b++) hist[b] = 0;
    for (int i = 0; i < 256; i++) {
        s += (double)i * counts[i];
        s2 += (double)i * i * counts[i];
        hist[i >> shift] += (float)(counts[i] / n);
    }
    *mean = s / n / 255.0;
    if (var) *var = fmax(0, s2 / n - (s / n) * (s / n)) / (255.0 * 255.0);
}

/* Sum of |4-neighbour Laplacian| over the inner pixels of one row (< 2^31 for any width
 * under 2^21). */
REEL_HOT static int laplace_row(const uint8_t *restrict r, int ls, int w)
{
    int acc = 0;
    for (int x = 1; x < w - 1; x++) {
        int l = 4 * r[x] - r[x - 1] - r[x + 1] - r[x - ls] - r[x + ls];
        acc += l < 0 ? -l : l;
    }
    return acc;
}

/* Sum of |r - p| over a row, then p = r. */
REEL_HOT static int diff_row(const uint8_t *restrict r, uint8_t *restrict p, int w)
{
    int acc = 0;
    for (int x = 0; x < w; x++) {
        int d = r[x] - p[x];
        acc += d < 0 ? -d : d;
        p[x] = r[x];
    }
    return acc;
}

/* Mean absolute 4-neighbour Laplacian of luma, in [0,1]. */
static double sharpness(const reel_frame *f)
{
    if (f->width < 3 || f->height < 3) return 0;
    long long acc = 0;
    int ls = f->linesize[0];
    for (int y = 1; y < f->height - 1; y++) acc += laplace_row(f->data[0] + (size_t)y * ls, ls, f->width);
    return acc / ((double)(f->width - 2) * (f->height - 2) * 255.0);
}

static double motion(reel_vfeat *v, const reel_frame *f)
{
    long long acc = 0;
    for (int y = 0; y < f->height; y++)
        acc += diff_row(f->data[0] + (size_t)y * f->linesize[0], v->prev_y + (size_t)y * f->width, f->width);
    return acc / ((double)f->width * f->height * 255.0);
}

static double clip_fraction(const float *hist_y, int low)
{
    /* 32 bins of 8 codes: bins 0-2 (0..23) are crushed shadows, 29-31 (232..255) clipped highs */
    return low ? hist_y[0] + hist_y[1] + hist_y[2] : hist_y[29] + hist_y[30] + hist_y[31];
}

static void consider_poster(reel_vfeat *v, const reel_frame *f, const float *row)
{
    double t = row[REEL_F_TIME];
    int in_window = v->duration <= 0 || (t >= 0.2 * v->duration && t <= 0.6 * v->duration);
    double exposure_ok = row[REEL_F_Y_MEAN] > 0.12 && row[REEL_F_Y_MEAN] < 0.88 ? 1.0 : 0.1;
    double score = (row[REEL_F_SHARPNESS] + 1e-4) * exposure_ok;
    if (v->poster_in_window && !in_window) return;
    if (!(in_window && !v->poster_in_window) && score <= v->poster_score) return;
    v->poster_in_window = in_window;
    v->poster_score = score;
    for (int p = 0; p < 3; p++)
        for (int y = 0; y < f->height; y++)
            memcpy(v->poster.data[p] + (size_t)y * v->poster.linesize[p],
                   f->data[p] + (size_t)y * f->linesize[p], (size_t)f->width);
    v->poster.time = f->time;
    v->poster.index = f->index;
    v->poster.full_range = f->full_range;
}

int reel_vfeat_frame(reel_vfeat *v, const reel_frame *f, float *row)
{
    if (f->width != v->width || f->height != v->height || f->fmt != REEL_PIX_YUV444P)
        return REEL_EINVAL;
    double ym, yv, um, uv, vm, vv;
    float *hist = row + REEL_F_HIST_Y;
    plane_stats(f, 0, row + REEL_F_HIST_Y, REEL_HIST_Y, &ym, &yv);
    plane_stats(f, 1, row + REEL_F_HIST_U, REEL_HIST_C, &um, &uv);
    plane_stats(f, 2, row + REEL_F_HIST_V, REEL_HIST_C, &vm, &vv);
    row[REEL_F_TIME] = (float)f->time;
    row[REEL_F_Y_MEAN] = (float)ym;
    row[REEL_F_Y_STD] = (float)sqrt(yv);
    row[REEL_F_U_MEAN] = (float)um;
    row[REEL_F_V_MEAN] = (float)vm;
    row[REEL_F_U_STD] = (float)sqrt(uv);
    row[REEL_F_V_STD] = (float)sqrt(vv);
    row[REEL_F_Y_LOW] = (float)clip_fraction(hist, 1);
    row[REEL_F_Y_HIGH] = (float)clip_fraction(hist, 0);
    row[REEL_F_SHARPNESS] = (float)sharpness(f);
    double d = 0;
    for (int b = 0; b < REEL_HIST_Y + 2 * REEL_HIST_C; b++) {
        d += fabs(hist[b] - v->prev_hist[b]);
        v->prev_hist[b] = hist[b];
    }
    row[REEL_F_HIST_DIFF] = v->have_prev ? (float)(d / 6.0) : 0; /* three L1 distances, each <= 2 */
    row[REEL_F_MOTION] = (float)(v->have_prev ? motion(v, f) : (motion(v, f), 0.0));
    row[REEL_F_DAMAGED] = (float)(f->damaged != 0);
    v->have_prev = 1;
    consider_poster(v, f, row);
    v->sum_y += ym;
    v->sum_sharp += row[REEL_F_SHARPNESS];
    v->sum_motion += row[REEL_F_MOTION];
    v->min_y = fmin(v->min_y, ym);
    v->max_y = fmax(v->max_y, ym);
    v->n++;
    return 0;
}
