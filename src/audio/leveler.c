/* Dialogue leveling curve (see leveler.h). */
#include "audio/leveler.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double lufs(double e) { return 10 * log10(e) - 0.691; }

/* Energy mean of the speech blocks within +-7 blocks of b, as LUFS (or NAN when none). */
static double line_loudness(const double *energy, const unsigned char *speech, int n, int b)
{
    double sum = 0;
    int k = 0;
    for (int j = b - 7; j <= b + 7; j++)
        if (j >= 0 && j < n && speech[j] && energy[j] > 0) sum += energy[j], k++;
    return k ? lufs(sum / k) : NAN;
}

int reel_level_curve(const double *energy, const unsigned char *speech, int n, double max_boost, double max_cut,
                     double *gain_db)
{
    memset(gain_db, 0, (size_t)n * sizeof *gain_db);
    double *l = malloc((size_t)(n ? n : 1) * sizeof *l);
    if (!l) return -1;
    int k = 0;
    for (int b = 0; b < n; b++)
        if (speech[b] && energy[b] > 1e-7) l[k++] = lufs(energy[b]); /* over -70 LUFS */
    if (k == 0) {
        free(l);
        return 0;
    }
    qsort(l, (size_t)k, sizeof *l, cmp_double);
    double ref = l[k / 2], alpha = 1 - exp(-1.0 / 2), g = NAN;
    free(l);
    for (int b = 0; b < n; b++) {
        double line = speech[b] && energy[b] > 1e-7 ? line_loudness(energy, speech, n, b) : NAN;
        if (!isnan(line)) {
            double want = fmax(-max_cut, fmin(max_boost, ref - line));
            g = isnan(g) ? want : g + (want - g) * alpha;
        }
        gain_db[b] = isnan(g) ? NAN : g; /* before the first line: filled below */
    }
    double first = 0;
    for (int b = 0; b < n; b++)
        if (!isnan(gain_db[b])) { first = gain_db[b]; break; }
    for (int b = 0; b < n && isnan(gain_db[b]); b++) gain_db[b] = first;
    return k;
}

double reel_level_at(const double *gain_db, int n, double step, double s)
{
    if (n <= 0) return 0;
    double x = s / step - 2; /* block b's centre is at (b + 2) * step */
    if (x <= 0) return gain_db[0];
    int b = (int)x;
    if (b >= n - 1) return gain_db[n - 1];
    double f = x - b;
    return gain_db[b] * (1 - f) + gain_db[b + 1] * f;
}
