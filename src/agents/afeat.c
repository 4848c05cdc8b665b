/* Audio features: loudness blocks via libebur128 and the speech-activity estimate of
 * audio/speech.c, as segments. */
#include "agents/afeat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
    return reel_speech_init(&a->speech, rate);
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
    if (!rc) rc = reel_speech_feed(&a->speech, x, nb, a->channels);
    a->samples += nb;
    return rc;
}

/* Speech runs as [start, end] pairs in seconds; *ratio of the frames that are speech. */
static json_t *speech_segments(reel_afeat *a, double *ratio, double *floor_db)
{
    json_t *segs = json_array();
    const reel_speech *sp = &a->speech;
    unsigned char *on = sp->n_frames ? malloc((size_t)sp->n_frames) : NULL;
    int n = on ? reel_speech_decide(sp, on, floor_db) : 0;
    *ratio = n > 0 ? (double)n / sp->n_frames : 0;
    if (!on) *floor_db = -140;
    for (int i = 0; on && i < sp->n_frames;) {
        if (!on[i]) { i++; continue; }
        int j = i;
        while (j < sp->n_frames && on[j]) j++;
        json_array_append_new(segs, json_pack("[ff]", i * REEL_SPEECH_FRAME, j * REEL_SPEECH_FRAME));
        i = j;
    }
    free(on);
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
    reel_speech_finish(&a->speech);
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
    reel_speech_free(&a->speech);
    memset(a, 0, sizeof *a);
}
