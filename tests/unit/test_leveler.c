/* The dialogue leveling curve on block tables whose truth is exact: lines alternating 10 LU apart
 * with pauses of room tone between them. Each line ends within 1 LU of the median, the gain does
 * not move inside a pause, the limits hold, and no speech means no change. */
#include "audio/leveler.h"
#include "reel/reel.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { N = 400 };

static double energy_of(double lufs) { return pow(10, (lufs + 0.691) / 10); }

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median loudness of the speech blocks, worked out here on its own. */
static double median_speech(const double *e, const unsigned char *sp)
{
    static double l[N];
    int k = 0;
    for (int b = 0; b < N; b++)
        if (sp[b]) l[k++] = 10 * log10(e[b]) - 0.691;
    qsort(l, (size_t)k, sizeof *l, cmp);
    return l[k / 2];
}

int main(void)
{
    reel_init();
    static double e[N], g[N];
    static unsigned char sp[N];
    /* lines of 40 blocks (4 s) at -20, -30, -20, -30... with 20-block pauses at -55 */
    for (int b = 0; b < N; b++) {
        int line = b / 60, in_line = b % 60 < 40;
        sp[b] = (unsigned char)in_line;
        e[b] = energy_of(in_line ? (line % 2 ? -30 : -20) + 0.5 * sin(b * 1.7) : -55);
    }
    int used = reel_level_curve(e, sp, N, 10, 10, g);
    TAP_OK(used > 200, "speech blocks used: %d", used);
    double med = median_speech(e, sp), worst = 0;
    for (int line = 0; line * 60 + 40 <= N; line++) {
        double sum = 0;
        for (int b = line * 60 + 20; b < line * 60 + 40; b++) sum += e[b] * pow(10, g[b] / 10);
        double leveled = 10 * log10(sum / 20) - 0.691;
        worst = fmax(worst, fabs(leveled - med));
    }
    TAP_OK(worst < 1.0, "every line's second half within 1 LU of the median %.1f LUFS (worst %.2f)", med, worst);
    double drift = 0;
    for (int line = 0; line * 60 + 60 <= N; line++)
        for (int b = line * 60 + 40; b < line * 60 + 60; b++) drift = fmax(drift, fabs(g[b] - g[line * 60 + 40]));
    TAP_OK(drift < 1e-12, "the gain holds still through every pause (moves %.2g dB)", drift);
    double hi = -1e9, lo = 1e9;
    for (int b = 0; b < N; b++) hi = fmax(hi, g[b]), lo = fmin(lo, g[b]);
    TAP_OK(hi <= 10 && lo >= -10 && hi > 8, "the quiet lines raised about 10 dB, within the limits: %+.1f .. %+.1f dB", lo, hi);
    TAP_OK(fabs(reel_level_at(g, N, 4800, 4800 * 2.0) - g[0]) < 1e-12 &&
               fabs(reel_level_at(g, N, 4800, 4800 * 2.5) - (g[0] + g[1]) / 2) < 1e-12,
           "the curve is read at block centres (2 blocks in) and interpolated between them");
    memset(sp, 0, sizeof sp);
    TAP_EQ_INT(reel_level_curve(e, sp, N, 10, 10, g), 0, "no speech: nothing used");
    int zero = 1;
    for (int b = 0; b < N; b++) zero &= g[b] == 0;
    TAP_OK(zero, "no speech: no gain anywhere");
    for (int b = 0; b < N; b++) sp[b] = 1, e[b] = energy_of(b < N / 2 ? -10 : -45);
    reel_level_curve(e, sp, N, 6, 3, g);
    hi = -1e9, lo = 1e9;
    for (int b = 0; b < N; b++) hi = fmax(hi, g[b]), lo = fmin(lo, g[b]);
    TAP_OK(hi <= 6 + 1e-9 && lo >= -3 - 1e-9, "limits of +6 / -3 dB respected (%+.1f .. %+.1f)", lo, hi);
    return tap_done();
}
