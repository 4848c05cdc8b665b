/* Sound findings from the 100 ms blocks and the programme's loudness: loudness and true peak
 * against the spec, clipped runs, dropouts (holes of digital silence in live sound), silences
 * mid-programme, left and right out of phase, and sound that ends apart from the picture. */
#include "qc/qcint.h"

#include <math.h>
#include <stdlib.h>

#define BLOCK 0.1 /* seconds */

int reel_qc_add_dropout(reel_qc_report *r, double t, double len)
{
    if (r->n_drops == r->cap_drops) {
        int cap = r->cap_drops ? 2 * r->cap_drops : 16;
        double *n = realloc(r->drops, (size_t)cap * 2 * sizeof *n);
        if (!n) return REEL_ENOMEM;
        r->drops = n, r->cap_drops = cap;
    }
    r->drops[2 * r->n_drops] = t;
    r->drops[2 * r->n_drops + 1] = len;
    r->n_drops++;
    return 0;
}

static void loudness(reel_qc_report *r)
{
    const reel_qc_spec *s = r->spec;
    const reel_loudness *l = &r->loud;
    if (!isnan(s->loudness)) {
        int gated = s->dialogue_gated && isfinite(l->speech_integrated);
        double v = gated ? l->speech_integrated : l->integrated;
        if (!isfinite(v))
            reel_qc_add(r, "loudness", REEL_QC_ERROR, -1, -1, "the loudness is undefined (silent or under 400 ms)");
        else if (fabs(v - s->loudness) > s->loudness_tol + 1e-9)
            reel_qc_add(r, "loudness", REEL_QC_ERROR, -1, -1, "%s loudness %.1f LUFS; %s wants %.1f +- %.1f LU%s",
                        gated ? "dialogue-gated" : "integrated", v, s->name, s->loudness, s->loudness_tol,
                        s->dialogue_gated && !gated ? " (no speech found: the programme loudness was used)" : "");
    }
    double ceiling = isnan(s->true_peak) ? 0 : s->true_peak; /* over 0 dBTP clips on any conversion */
    if (l->true_peak > ceiling + 1e-9) {
        int64_t worst = -1;
        for (int64_t i = 0; i < r->na; i++)
            if (!isnan(r->a[i].true_peak) && (worst < 0 || r->a[i].true_peak > r->a[worst].true_peak)) worst = i;
        double t = worst >= 0 ? fmax(0, (double)(worst - 9) * BLOCK) : -1;
        if (isnan(s->true_peak))
            reel_qc_add(r, "true_peak", REEL_QC_WARNING, t, t < 0 ? -1 : (worst + 1) * BLOCK,
                        "true peak %.2f dBTP: over 0 dBTP the sound clips once converted to PCM or played", l->true_peak);
        else
            reel_qc_add(r, "true_peak", REEL_QC_ERROR, t, t < 0 ? -1 : (worst + 1) * BLOCK,
                        "true peak %.2f dBTP; %s allows %.1f dBTP", l->true_peak, s->name, s->true_peak);
    }
}

typedef int (*block_pred)(const reel_qc_report *r, int64_t i);

/* The next run of blocks [*a, *b] from *i where pred holds, joining runs gap blocks apart. */
static int next_blocks(const reel_qc_report *r, block_pred pred, int gap, int64_t *i, int64_t *a, int64_t *b)
{
    while (*i < r->na && !pred(r, *i)) (*i)++;
    if (*i >= r->na) return 0;
    *a = *b = *i;
    for (int64_t j = *i + 1; j < r->na && j <= *b + gap + 1; j++)
        if (pred(r, j)) *b = j;
    *i = *b + 1;
    return 1;
}

static int clipped(const reel_qc_report *r, int64_t i) { return r->a[i].clipped > 0; }
static int silent(const reel_qc_report *r, int64_t i) { return r->a[i].rms < -60; }
static int anti_phase(const reel_qc_report *r, int64_t i) { return r->a[i].corr <= -0.5f; }

static void clipping(reel_qc_report *r)
{
    int64_t i = 0, a, b;
    reel_qc_sev sev = isnan(r->spec->loudness) ? REEL_QC_WARNING : REEL_QC_ERROR;
    while (next_blocks(r, clipped, 5, &i, &a, &b)) {
        long n = 0;
        for (int64_t j = a; j <= b; j++) n += r->a[j].clipped;
        reel_qc_add(r, "clipping", sev, a * BLOCK, (b + 1) * BLOCK,
                    "audio clipping: %ld run%s of %d or more samples at full scale", n, n == 1 ? "" : "s", 3);
    }
}

static void silence(reel_qc_report *r)
{
    int64_t i = 0, a, b;
    while (next_blocks(r, silent, 0, &i, &a, &b)) {
        double d = (b - a + 1) * BLOCK;
        if (a > 0 && b < r->na - 1 && d >= r->spec->silence_min_s)
            reel_qc_add(r, "silence", REEL_QC_WARNING, a * BLOCK, (b + 1) * BLOCK,
                        "silence (under -60 dBFS) for %.1f s mid-programme", d);
    }
}

static void phase(reel_qc_report *r)
{
    double sum = 0;
    int64_t n = 0, i = 0, a, b;
    for (int64_t j = 0; j < r->na; j++)
        if (!isnan(r->a[j].corr)) sum += r->a[j].corr, n++;
    r->corr = n ? sum / n : NAN;
    reel_qc_sev sev = isnan(r->spec->loudness) ? REEL_QC_WARNING : REEL_QC_ERROR;
    while (next_blocks(r, anti_phase, 2, &i, &a, &b)) {
        if (b - a + 1 < 10) continue;
        double c = 0;
        int k = 0;
        for (int64_t j = a; j <= b; j++)
            if (!isnan(r->a[j].corr)) c += r->a[j].corr, k++;
        reel_qc_add(r, "phase", sev, a * BLOCK, (b + 1) * BLOCK,
                    "left and right out of phase for %.1f s (correlation %.2f): a mono mix loses them",
                    (b - a + 1) * BLOCK, k ? c / k : -1);
    }
}

static void dropouts(reel_qc_report *r)
{
    for (int i = 0; i < r->n_drops;) {
        int j = i;
        double longest = 0;
        while (j < r->n_drops && r->drops[2 * j] - r->drops[2 * i] < 1.0) longest = fmax(longest, r->drops[2 * j + 1]), j++;
        double t1 = r->drops[2 * (j - 1)] + r->drops[2 * (j - 1) + 1];
        reel_qc_add(r, "dropout", REEL_QC_ERROR, r->drops[2 * i], t1,
                    "audio dropout%s: %d hole%s of digital silence in live sound (longest %.1f ms)",
                    j - i > 1 ? "s" : "", j - i, j - i > 1 ? "s" : "", longest * 1000);
        i = j;
    }
}

/* Sound and picture that end more than a frame and 50 ms apart. */
static void durations(reel_qc_report *r)
{
    if (!r->nv || r->loud.seconds <= 0) return;
    double fd = r->fps.num > 0 ? (double)r->fps.den / r->fps.num : 0.04;
    double video = r->v[r->nv - 1].time + fd, d = r->loud.seconds - video;
    if (fabs(d) > fd + 0.05)
        reel_qc_add(r, "duration", REEL_QC_WARNING, -1, -1, "the sound is %.2f s %s than the picture (%.2f s)",
                    fabs(d), d > 0 ? "longer" : "shorter", video);
}

void reel_qc_check_audio(reel_qc_report *r)
{
    if (!r->na) return;
    loudness(r);
    clipping(r);
    silence(r);
    phase(r);
    dropouts(r);
    durations(r);
}
