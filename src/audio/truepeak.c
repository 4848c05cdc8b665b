/* True-peak meter (see truepeak.h). */
#include "audio/truepeak.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { TAPS = 12, HIST = TAPS - 1, BLK = 256 };

/* BS.1770-4 Annex 2, table 1: phase p holds coefficients p, p + 4, p + 8, ... of the filter */
static const float coef[4][TAPS] = {
    {0.0017089843750f, 0.0109863281250f, -0.0196533203125f, 0.0332031250000f, -0.0594482421875f,
     0.1373291015625f, 0.9721679687500f, -0.1022949218750f, 0.0476074218750f, -0.0266113281250f,
     0.0148925781250f, -0.0083007812500f},
    {-0.0291748046875f, 0.0292968750000f, -0.0517578125000f, 0.0891113281250f, -0.1665039062500f,
     0.4650878906250f, 0.7797851562500f, -0.2003173828125f, 0.1015625000000f, -0.0582275390625f,
     0.0330810546875f, -0.0189208984375f},
    {-0.0189208984375f, 0.0330810546875f, -0.0582275390625f, 0.1015625000000f, -0.2003173828125f,
     0.7797851562500f, 0.4650878906250f, -0.1665039062500f, 0.0891113281250f, -0.0517578125000f,
     0.0292968750000f, -0.0291748046875f},
    {-0.0083007812500f, 0.0148925781250f, -0.0266113281250f, 0.0476074218750f, -0.1022949218750f,
     0.9721679687500f, 0.1373291015625f, -0.0594482421875f, 0.0332031250000f, -0.0196533203125f,
     0.0109863281250f, 0.0017089843750f},
};

struct reel_tpeak {
    int ch;
    float bound;           /* the largest sum of |coefficients| over the phases, rounded up */
    float *buf;            /* per channel: HIST samples of history, then up to BLK new ones */
    int all;               /* interpolate every block */
    float tp, sp;
    long long blocks, worked;
};

reel_tpeak *reel_tpeak_new(int channels)
{
    if (channels < 1) return NULL;
    reel_tpeak *t = calloc(1, sizeof *t);
    if (!t || !(t->buf = calloc((size_t)channels * (HIST + BLK), sizeof *t->buf))) {
        free(t);
        return NULL;
    }
    t->ch = channels;
    for (int p = 0; p < 4; p++) {
        float s = 0;
        for (int k = 0; k < TAPS; k++) s += fabsf(coef[p][k]);
        if (s > t->bound) t->bound = s;
    }
    t->bound *= 1.001f; /* over any rounding in the sums */
    return t;
}

/* The interpolated points for samples HIST .. HIST + n - 1 of b: their largest magnitude. */
static float interpolate(const reel_tpeak *t, const float *b, int n)
{
    float m = 0;
    for (int p = 0; p < 4; p++)
        for (int i = HIST; i < HIST + n; i++) {
            float v = 0;
            for (int k = 0; k < TAPS; k++) v += coef[p][k] * b[i - k];
            v = fabsf(v);
            m = v > m ? v : m;
        }
    return m;
}

static void block(reel_tpeak *t, const float *x, int n)
{
    for (int c = 0; c < t->ch; c++) {
        float *b = t->buf + (size_t)c * (HIST + BLK), hist = 0, now = 0;
        for (int i = 0; i < n; i++) b[HIST + i] = x[(size_t)i * (size_t)t->ch + (size_t)c];
        for (int i = 0; i < HIST; i++) hist = fabsf(b[i]) > hist ? fabsf(b[i]) : hist;
        for (int i = HIST; i < HIST + n; i++) now = fabsf(b[i]) > now ? fabsf(b[i]) : now;
        if (now > t->sp) t->sp = now;
        if (now > t->tp) t->tp = now;
        t->blocks++;
        if ((t->all || (hist > now ? hist : now) * t->bound > t->tp)) {
            float v = interpolate(t, b, n);
            if (v > t->tp) t->tp = v;
            t->worked++;
        }
        memmove(b, b + n, HIST * sizeof *b);
    }
}

void reel_tpeak_feed(reel_tpeak *t, const float *x, size_t nb)
{
    while (nb > 0) {
        int n = nb < BLK ? (int)nb : BLK;
        block(t, x, n);
        x += (size_t)n * (size_t)t->ch;
        nb -= (size_t)n;
    }
}

void reel_tpeak_exhaustive(reel_tpeak *t) { t->all = 1; }
double reel_tpeak_true(const reel_tpeak *t) { return t->tp; }
double reel_tpeak_sample(const reel_tpeak *t) { return t->sp; }
double reel_tpeak_work(const reel_tpeak *t) { return t->blocks ? (double)t->worked / (double)t->blocks : 0; }

void reel_tpeak_free(reel_tpeak *t)
{
    if (!t) return;
    free(t->buf);
    free(t);
}
