/* Audio features: loudness blocks via libebur128 and a speech-activity estimate. The speech
 * estimate is deliberately simple and documented as such: 20 ms frames of the voice band whose
 * energy stands 9 dB over the clip's noise floor (its 10th percentile) and whose zero-crossing
 * rate is voice-like, smoothed to segments of at least 150 ms with a 200 ms hangover. */
#include "agents/afeat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void biquad_set(reel_biquad *q, int highpass, double f, double rate)
{
    double w = 2 * M_PI * f / rate, c = cos(w), s = sin(w), alpha = s / (2 * 0.7071);
    double a0 = 1 + alpha;
    if (highpass) {
        q->b0 = (1 + c) / 2 / a0;
        q->b1 = -(1 + c) / a0;
    } else {
        q->b0 = (1 - c) / 2 / a0;
        q->b1 = (1 - c) / a0;
    }
    q->b2 = q->b0;
    q->a1 = -2 * c / a0;
    q->a2 = (1 - alpha) / a0;
    q->z1 = q->z2 = 0;
}

static double biquad(reel_biquad *q, double x)
{
    double y = q->b0 * x + q->z1;
    q->z1 = q->b1 * x - q->a1 * y + q->z2;
    q->z2 = q->b2 * x - q->a2 * y;
    return y;
}

int reel_afeat_init(reel_afeat *a, int rate, int channels)
{
    memset(a, 0, sizeof *a);
    if (rate <= 0 || channels <= 0) return REEL_EINVAL;
    a->rate = rate;
    a->channels = channels;
    a->r128 = ebur128_init((unsigned)channels, (unsigned long)rate,
                           EBUR128_MODE_M | EBUR128_MODE_S | EBUR128_MODE_I | EBUR128_MODE_LRA |
                               EBUR128_MODE_SAMPLE_PEAK);
    if (!a->r128) return REEL_ENOMEM;
    a->block_len = rate / 10;
    a->frame_len = rate / 50;
    biquad_set(&a->hp, 1, 150, rate);
    biquad_set(&a->lp, 0, rate > 8000 ? 4000 : rate * 0.45, rate);
    return 0;
}

static int push2(float **a, float **b, int *n, int *cap, float va, float vb)
{
    if (*n == *cap) {
        int c = *cap ? *cap * 2 : 1024;
        float *na = realloc(*a, (size_t)c * sizeof *na);
        if (!na) return REEL_ENOMEM;
        *a = na;
        float *nb = realloc(*b, (size_t)c * sizeof *nb);
        if (!nb) return REEL_ENOMEM;
        *b = nb;
        *cap = c;
    }
    (*a)[*n] = va;
    (*b)[*n] = vb;
    (*n)++;
    return 0;
}

static int end_block(reel_afeat *a)
{
    double m = -HUGE_VAL, s = -HUGE_VAL;
    ebur128_loudness_momentary(a->r128, &m);
    ebur128_loudness_shortterm(a->r128, &s);
    return push2(&a->momentary, &a->short_term, &a->n_blocks, &a->cap_blocks,
                 isfinite(m) ? (float)m : -120.0f, isfinite(s) ? (float)s : -120.0f);
}

static int end_frame(reel_afeat *a)
{
    double rms = sqrt(a->frame_energy / (double)a->frame_len);
    float db = rms > 1e-7 ? (float)(20 * log10(rms)) : -140.0f;
    float zcr = (float)a->frame_zc / (float)a->frame_len * (float)a->rate; /* crossings per second */
    a->frame_energy = 0;
    a->frame_zc = 0;
    return push2(&a->frame_db, &a->frame_zcr, &a->n_frames, &a->cap_frames, db, zcr);
}

/* Feed n samples in pieces that end exactly on 100 ms block boundaries. */
static int feed_loudness(reel_afeat *a, const float *x, int nb)
{
    while (nb > 0) {
        long long take = a->block_len - a->block_pos;
        if (take > nb) take = nb;
        if (ebur128_add_frames_float(a->r128, x, (size_t)take) != EBUR128_SUCCESS) return REEL_ENOMEM;
        x += take * a->channels;
        nb -= (int)take;
        a->block_pos += take;
        if (a->block_pos == a->block_len) {
            a->block_pos = 0;
            if (end_block(a)) return REEL_ENOMEM;
        }
    }
    return 0;
}

int reel_afeat_feed(reel_afeat *a, const float *x, int nb)
{
    int rc = feed_loudness(a, x, nb);
    for (int i = 0; !rc && i < nb; i++) {
        double m = 0;
        for (int c = 0; c < a->channels; c++) m += x[(size_t)i * a->channels + c];
        m /= a->channels;
        float v = (float)biquad(&a->lp, biquad(&a->hp, m));
        a->frame_energy += (double)v * v;
        a->frame_zc += (v >= 0) != (a->last_sample >= 0);
        a->last_sample = v;
        if (++a->frame_pos == a->frame_len) {
            a->frame_pos = 0;
            rc = end_frame(a);
        }
    }
    a->samples += nb;
    return rc;
}

static int cmp_float(const void *x, const void *y)
{
    float a = *(const float *)x, b = *(const float *)y;
    return (a > b) - (a < b);
}

static json_t *speech_segments(reel_afeat *a, double *ratio, double *floor_db)
{
    json_t *segs = json_array();
    *ratio = 0;
    *floor_db = -140;
    if (a->n_frames == 0) return segs;
    float *sorted = malloc((size_t)a->n_frames * sizeof *sorted);
    if (!sorted) return segs;
    memcpy(sorted, a->frame_db, (size_t)a->n_frames * sizeof *sorted);
    qsort(sorted, (size_t)a->n_frames, sizeof *sorted, cmp_float);
    *floor_db = sorted[a->n_frames / 10];
    free(sorted);
    double thr = fmax(*floor_db + 9.0, -55.0), fdur = 0.02;
    int start = -1, last = -1, hang = 10, min_len = 8, speech = 0; /* in 20 ms frames */
    for (int i = 0; i <= a->n_frames; i++) {
        int on = i < a->n_frames && a->frame_db[i] > thr && a->frame_zcr[i] > 50 &&
                 a->frame_zcr[i] < 3500;
        if (on) {
            if (start < 0) start = i;
            last = i;
        }
        if (start >= 0 && (i == a->n_frames || (!on && i - last > hang))) {
            int end = last + 1 + (i == a->n_frames ? 0 : hang / 2);
            if (end > a->n_frames) end = a->n_frames;
            if (last - start + 1 >= min_len) {
                json_array_append_new(segs, json_pack("[ff]", start * fdur, end * fdur));
                speech += end - start;
            }
            start = -1;
        }
    }
    *ratio = (double)speech / a->n_frames;
    return segs;
}

static json_t *float_array(const float *v, int n)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(arr, json_real(round(v[i] * 100) / 100));
    return arr;
}

static json_t *num_or_null(double v)
{
    return isfinite(v) ? json_real(round(v * 100) / 100) : json_null();
}

json_t *reel_afeat_finish(reel_afeat *a)
{
    if (a->block_pos > 0) end_block(a);
    if (a->frame_pos > 0) {
        a->frame_len = a->frame_pos;
        end_frame(a);
    }
    double I = -HUGE_VAL, lra = 0, peak = 0, ratio, floor_db;
    ebur128_loudness_global(a->r128, &I);
    ebur128_loudness_range(a->r128, &lra);
    for (int c = 0; c < a->channels; c++) {
        double p = 0;
        ebur128_sample_peak(a->r128, (unsigned)c, &p);
        peak = fmax(peak, p);
    }
    double seconds = (double)a->samples / a->rate;
    json_t *segs = speech_segments(a, &ratio, &floor_db);
    json_t *o = json_pack("{s:i,s:i,s:f,s:o,s:o,s:o,s:o}", "sample_rate", a->rate, "channels",
                          a->channels, "seconds", round(seconds * 1000) / 1000, "integrated_lufs",
                          seconds >= 0.4 ? num_or_null(I) : json_null(), "loudness_range_lu",
                          num_or_null(lra), "sample_peak_dbfs",
                          num_or_null(peak > 0 ? 20 * log10(peak) : -HUGE_VAL), "noise_floor_dbfs",
                          num_or_null(floor_db));
    json_object_set_new(o, "blocks", json_pack("{s:f,s:o,s:o}", "step", 0.1, "momentary_lufs",
                                               float_array(a->momentary, a->n_blocks),
                                               "short_term_lufs",
                                               float_array(a->short_term, a->n_blocks)));
    json_object_set_new(o, "speech", json_pack("{s:s,s:f,s:o}", "method",
                                               "voice-band energy over noise floor + zero crossings",
                                               "ratio", round(ratio * 1000) / 1000, "segments", segs));
    return o;
}

void reel_afeat_free(reel_afeat *a)
{
    if (a->r128) ebur128_destroy(&a->r128);
    free(a->momentary);
    free(a->short_term);
    free(a->frame_db);
    free(a->frame_zcr);
    memset(a, 0, sizeof *a);
}
