/* Speech activity (see speech.h). */
#include "audio/speech.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void reel_biquad_set(reel_biquad *q, int highpass, double f, double rate)
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

int reel_speech_init(reel_speech *s, int rate)
{
    memset(s, 0, sizeof *s);
    if (rate <= 0) return REEL_EINVAL;
    s->rate = rate;
    s->frame_len = (long long)(rate * REEL_SPEECH_FRAME);
    if (s->frame_len < 1) s->frame_len = 1;
    reel_biquad_set(&s->hp, 1, 150, rate);
    reel_biquad_set(&s->lp, 0, rate > 8000 ? 4000 : rate * 0.45, rate);
    return 0;
}

static int end_frame(reel_speech *s, long long len)
{
    if (s->n_frames == s->cap_frames) {
        int c = s->cap_frames ? s->cap_frames * 2 : 1024;
        float *a = realloc(s->frame_db, (size_t)c * sizeof *a);
        if (a) s->frame_db = a;
        float *b = a ? realloc(s->frame_zcr, (size_t)c * sizeof *b) : NULL;
        if (!b) return REEL_ENOMEM;
        s->frame_zcr = b;
        s->cap_frames = c;
    }
    double rms = sqrt(s->frame_energy / (double)len);
    s->frame_db[s->n_frames] = rms > 1e-7 ? (float)(20 * log10(rms)) : -140.0f;
    s->frame_zcr[s->n_frames] = (float)s->frame_zc / (float)len * (float)s->rate; /* per second */
    s->n_frames++;
    s->frame_energy = 0;
    s->frame_zc = 0;
    s->frame_pos = 0;
    return 0;
}

/* Filter n mono samples of a run inside one frame: the filter states and the frame's sums in
 * locals (through the struct, every sample would store and reload them). */
static void feed_run(reel_speech *s, const float *x, int n, int channels)
{
    reel_biquad h = s->hp, l = s->lp;
    double energy = s->frame_energy;
    int zc = s->frame_zc;
    float last = s->last;
    for (int i = 0; i < n; i++) {
        double m = 0;
        for (int c = 0; c < channels; c++) m += x[(size_t)i * (size_t)channels + (size_t)c];
        m /= channels;
        double y = h.b0 * m + h.z1;
        h.z1 = h.b1 * m - h.a1 * y + h.z2;
        h.z2 = h.b2 * m - h.a2 * y;
        double u = l.b0 * y + l.z1;
        l.z1 = l.b1 * y - l.a1 * u + l.z2;
        l.z2 = l.b2 * y - l.a2 * u;
        float v = (float)u;
        energy += (double)v * v;
        zc += (v >= 0) != (last >= 0);
        last = v;
    }
    s->hp = h, s->lp = l;
    s->frame_energy = energy, s->frame_zc = zc, s->last = last;
}

int reel_speech_feed(reel_speech *s, const float *x, int nb, int channels)
{
    while (nb > 0) {
        long long left = s->frame_len - s->frame_pos;
        int n = left < nb ? (int)left : nb;
        feed_run(s, x, n, channels);
        x += (size_t)n * (size_t)channels;
        nb -= n;
        s->frame_pos += n;
        if (s->frame_pos == s->frame_len && end_frame(s, s->frame_len)) return REEL_ENOMEM;
    }
    return 0;
}

int reel_speech_finish(reel_speech *s)
{
    return s->frame_pos > 0 ? end_frame(s, s->frame_pos) : 0;
}

static int cmp_float(const void *x, const void *y)
{
    float a = *(const float *)x, b = *(const float *)y;
    return (a > b) - (a < b);
}

int reel_speech_decide(const reel_speech *s, unsigned char *on, double *floor_db)
{
    *floor_db = -140;
    if (s->n_frames == 0) return 0;
    float *sorted = malloc((size_t)s->n_frames * sizeof *sorted);
    if (!sorted) return REEL_ENOMEM;
    memcpy(sorted, s->frame_db, (size_t)s->n_frames * sizeof *sorted);
    qsort(sorted, (size_t)s->n_frames, sizeof *sorted, cmp_float);
    *floor_db = sorted[s->n_frames / 10];
    free(sorted);
    double thr = fmax(*floor_db + 9.0, -55.0);
    int start = -1, last = -1, hang = 10, min_len = 8, speech = 0; /* in 20 ms frames */
    memset(on, 0, (size_t)s->n_frames);
    for (int i = 0; i <= s->n_frames; i++) {
        int v = i < s->n_frames && s->frame_db[i] > thr && s->frame_zcr[i] > 50 && s->frame_zcr[i] < 3500;
        if (v) {
            if (start < 0) start = i;
            last = i;
        }
        if (start >= 0 && (i == s->n_frames || (!v && i - last > hang))) {
            int end = last + 1 + (i == s->n_frames ? 0 : hang / 2);
            if (end > s->n_frames) end = s->n_frames;
            if (last - start + 1 >= min_len) {
                memset(on + start, 1, (size_t)(end - start));
                speech += end - start;
            }
            start = -1;
        }
    }
    return speech;
}

void reel_speech_free(reel_speech *s)
{
    free(s->frame_db);
    free(s->frame_zcr);
    memset(s, 0, sizeof *s);
}
