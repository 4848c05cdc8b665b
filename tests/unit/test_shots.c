/* Unit tests of shot detection on synthetic feature tables whose truth is exact (cuts, a flash,
 * an occlusion, a fade through black, a dissolve with its variance dip, fast motion), and of the
 * EDL / JSON / OTIO writers. Real footage is scored in bench/shots.sh. */
#include "shots/export.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { NF = REEL_FRAME_FIELDS };

typedef struct look { double hist_centre, y_mean, y_std; } look;

/* One frame: a luma histogram bump at hist_centre (0..31) of the given width in bins, flat
 * chroma, with a little noise. */
static void put_w(reel_frames *f, int i, look l, double width, unsigned *seed)
{
    float *r = f->data + (size_t)i * NF;
    memset(r, 0, sizeof(float) * NF);
    r[REEL_F_TIME] = i / 25.0f;
    r[REEL_F_Y_MEAN] = (float)l.y_mean;
    r[REEL_F_Y_STD] = (float)l.y_std;
    r[REEL_F_MOTION] = 0.002f; /* camera noise: no two frames identical */
    double sum = 0;
    for (int b = 0; b < REEL_HIST_Y; b++) {
        double d = (b - l.hist_centre) / width;
        *seed = *seed * 1103515245u + 12345u;
        r[REEL_F_HIST_Y + b] = (float)(exp(-d * d) * (1 + 0.02 * ((*seed >> 16) % 100) / 100.0));
        sum += r[REEL_F_HIST_Y + b];
    }
    for (int b = 0; b < REEL_HIST_Y; b++) r[REEL_F_HIST_Y + b] /= (float)sum;
    r[REEL_F_HIST_U + 8] = r[REEL_F_HIST_V + 8] = 1;
}

static void put(reel_frames *f, int i, look l, unsigned *seed) { put_w(f, i, l, 3.0, seed); }

static void mix(reel_frames *f, int i, look a, look b, double t, unsigned *seed)
{
    look m = {a.hist_centre * (1 - t) + b.hist_centre * t, a.y_mean * (1 - t) + b.y_mean * t,
              sqrt(a.y_std * a.y_std * (1 - t) * (1 - t) + b.y_std * b.y_std * t * t)};
    put(f, i, m, seed);
}

static int alloc(reel_frames *f, int n)
{
    f->n_fields = NF;
    f->n_frames = n;
    f->names = calloc(NF, 16);
    f->data = calloc((size_t)n * NF, sizeof(float));
    for (int i = 0; i < NF; i++) strncpy(f->names[i], reel_frame_fields[i], 15);
    return f->names && f->data ? 0 : -1;
}

static int has(const reel_shot_result *r, reel_trans_type t, int lo, int hi)
{
    for (int i = 0; i < r->n_trans; i++)
        if (r->trans[i].type == t && r->trans[i].start >= lo && r->trans[i].start <= hi) return 1;
    return 0;
}

static int count(const reel_shot_result *r, reel_trans_type t)
{
    int n = 0;
    for (int i = 0; i < r->n_trans; i++) n += r->trans[i].type == t;
    return n;
}

int main(void)
{
    reel_init();
    reel_frames f = {0};
    unsigned seed = 7;
    const look A = {6, 0.25, 0.20}, B = {20, 0.65, 0.22}, C = {12, 0.45, 0.25}, D = {26, 0.8, 0.1};
    const look black = {0, 0.06, 0.0}, dark1 = {2, 0.10, 0.05}, dark2 = {4, 0.14, 0.05};
    if (alloc(&f, 400)) return 1;
    int i = 0;
    for (; i < 60; i++) put(&f, i, A, &seed);                /* shot A */
    for (; i < 120; i++) put(&f, i, B, &seed);               /* cut at 60 */
    put(&f, 90, D, &seed);                                   /* a one-frame flash inside B */
    put(&f, 100, black, &seed), put(&f, 101, black, &seed);  /* an occlusion? no: 2 black frames */
    for (; i < 150; i++) mix(&f, i, B, black, (i - 119) / 30.0, &seed); /* fade out 120..149 */
    for (; i < 154; i++) put(&f, i, black, &seed);
    for (; i < 180; i++) mix(&f, i, black, C, (i - 153) / 26.0, &seed); /* fade in to C */
    for (; i < 230; i++) put(&f, i, C, &seed);
    for (; i < 254; i++) mix(&f, i, C, A, (i - 229) / 25.0, &seed);     /* dissolve 230..253 */
    for (; i < 300; i++) put(&f, i, A, &seed);
    for (; i < 340; i++) put(&f, i, dark1, &seed);           /* low-contrast cut at 300 */
    for (; i < 400; i++) put(&f, i, dark2, &seed);           /* and at 340 */
    /* frames 100-101 are a 2-frame blackout returning to B: an occlusion, neither cut nor fade */
    reel_shot_params p;
    reel_shot_params_default(&p);
    reel_shot_result r;
    TAP_EQ_INT(reel_shots_detect(&f, &p, &r), 0, "detect runs");
    TAP_OK(has(&r, REEL_TR_CUT, 60, 60), "hard cut found frame-exact at 60");
    TAP_OK(!has(&r, REEL_TR_CUT, 89, 92), "a one-frame flash is not a cut");
    TAP_OK(r.n_flashes == 1 && r.flashes[0].frame == 90 && r.flashes[0].length == 1, "the flash is recorded at 90");
    TAP_OK(has(&r, REEL_TR_FADE, 115, 125), "fade through black found starting near 120");
    TAP_OK(has(&r, REEL_TR_DISSOLVE, 226, 236), "dissolve found near 230");
    for (int q = 0; q < r.n_trans; q++)
        if (r.trans[q].type == REEL_TR_DISSOLVE)
            TAP_OK(abs(r.trans[q].start - 230) <= 1 && abs(r.trans[q].start + r.trans[q].length - 254) <= 1,
                   "dissolve bounds [%d,%d) within a frame of [230,254)", r.trans[q].start,
                   r.trans[q].start + r.trans[q].length);
    TAP_OK(has(&r, REEL_TR_CUT, 300, 300) && has(&r, REEL_TR_CUT, 340, 340), "low-contrast cuts between dark shots");
    TAP_OK(count(&r, REEL_TR_CUT) == 3, "exactly three cuts (got %d)", count(&r, REEL_TR_CUT));
    reel_shot_span *sp = NULL;
    int n = reel_shot_spans(&r, &sp);
    TAP_OK(n >= 5 && sp[0].start == 0 && sp[n - 1].end == 400, "shots tile the clip (%d shots)", n);
    free(sp);
    reel_rational fps = {25, 1};
    char *edl = reel_shots_to_edl(&r, "test", "test.mov", fps, "01:00:00:00");
    TAP_OK(edl && strstr(edl, "001  AX       V     C        01:00:00:00 01:00:02:10 01:00:00:00 01:00:02:10"),
           "EDL event 1 in CMX3600 columns with source timecode");
    TAP_OK(edl && strstr(edl, "* FROM CLIP NAME: test.mov") && strstr(edl, "FCM: NON-DROP FRAME"), "EDL comments and FCM");
    TAP_OK(edl && strstr(edl, "     D    0"), "the dissolve is a D event with its length");
    free(edl);
    json_t *j = reel_shots_to_json(&r, "test", fps, NULL);
    TAP_OK(j && json_array_size(json_object_get(j, "shots")) == (size_t)n &&
               json_integer_value(json_object_get(j, "frames")) == 400, "JSON lists every shot");
    json_decref(j);
    json_t *o = reel_shots_to_otio(&r, "test", "file:///x.mov", fps);
    json_t *tracks = json_object_get(json_object_get(o, "tracks"), "children");
    TAP_OK(o && !strcmp(json_string_value(json_object_get(o, "OTIO_SCHEMA")), "Timeline.1") &&
               json_array_size(tracks) == 1, "OTIO timeline with one track");
    json_decref(o);
    reel_shot_result_free(&r);

    /* a dissolve between two still pictures: blending in a little of the second smears the
     * histogram, so its first and last frames step further than the blend steps between them
     * (as real dissolves do); those steps are part of the dissolve, not cuts. Then a cut at 250
     * followed by a slow pan (change after the step, but no second stable picture): still a cut */
    for (int k = 0; k < 400; k++) {
        look l = {6, 0.25, 0.18};
        double w = 1.5;
        if (k >= 100 && k < 140) l = (look){6 + 20 * (k - 99) / 41.0, 0.25 + 0.5 * (k - 99) / 41.0, 0.2}, w = 3;
        else if (k >= 140 && k < 250) l = (look){26, 0.75, 0.18};
        else if (k >= 250) l = (look){k < 310 ? 24 - 0.3 * (k - 250) : 6, 0.7, 0.18};
        put_w(&f, k, l, w, &seed);
    }
    TAP_EQ_INT(reel_shots_detect(&f, &p, &r), 0, "detect on a dissolve between stills");
    TAP_OK(!has(&r, REEL_TR_CUT, 95, 145), "no cut at the first or last frame of a dissolve");
    TAP_OK(has(&r, REEL_TR_DISSOLVE, 96, 104), "the dissolve is found from its first frames");
    TAP_OK(has(&r, REEL_TR_CUT, 250, 250) && count(&r, REEL_TR_CUT) == 1, "the cut into a pan is kept (%d cuts)",
           count(&r, REEL_TR_CUT));
    reel_shot_result_free(&r);

    /* a low frame rate source brought up to 25 fps: a new picture every 12 frames (the others
     * exact repeats), each a small step from the last; a real cut at 200; then a fade-out that
     * ends with the clip one step short of black */
    for (int k = 0; k < 400; k++) {
        look l = k < 200 ? (look){4 + (k / 12) * 0.8, 0.3, 0.2} : (look){28, 0.7, 0.2};
        if (k >= 385) l = (look){26 - 23 * (k - 384) / 15.0, 0.7 - 0.6 * (k - 384) / 15.0, 0.2 - 0.19 * (k - 384) / 15.0};
        put_w(&f, k, l, 2.0, &seed);
        if (k < 200 && k % 12) {
            memcpy(f.data + (size_t)k * NF, f.data + (size_t)(k - 1) * NF, sizeof(float) * NF);
            f.data[(size_t)k * NF + REEL_F_MOTION] = 0;
        }
    }
    TAP_EQ_INT(reel_shots_detect(&f, &p, &r), 0, "detect on a low frame rate source");
    TAP_OK(has(&r, REEL_TR_CUT, 200, 200) && count(&r, REEL_TR_CUT) == 1,
           "each new picture of a low frame rate source is not a cut, the real cut is (%d cuts)", count(&r, REEL_TR_CUT));
    TAP_OK(has(&r, REEL_TR_FADE_OUT, 380, 390), "a tail fade-out that stops short of black is a fade-out");
    reel_shot_result_free(&r);

    /* decoding garbage: frames 150..169 damaged (predicted from lost data) and unlike the shot;
     * the key frame at 170 snaps back. A damaged stretch, no cut on either side. */
    for (int k = 0; k < 400; k++) {
        put(&f, k, k >= 150 && k < 170 ? D : A, &seed);
        f.data[(size_t)k * NF + REEL_F_DAMAGED] = k >= 150 && k < 170;
    }
    TAP_EQ_INT(reel_shots_detect(&f, &p, &r), 0, "detect over damaged frames");
    TAP_OK(r.n_damage == 1 && r.damage[0].frame == 150 && r.damage[0].length == 20, "the damaged stretch is 150+20");
    TAP_EQ_INT(r.n_trans, 0, "damage is no shot boundary");
    reel_shot_result_free(&r);
    for (int k = 0; k < 400; k++) f.data[(size_t)k * NF + REEL_F_DAMAGED] = 0;

    /* fast motion: every frame differs a lot from the last, but evenly: no cuts */
    for (int k = 0; k < 400; k++) {
        look m = {10 + 8 * sin(k * 0.9), 0.5, 0.2};
        put(&f, k, m, &seed);
    }
    TAP_EQ_INT(reel_shots_detect(&f, &p, &r), 0, "detect on fast motion");
    TAP_EQ_INT(count(&r, REEL_TR_CUT), 0, "fast, even motion makes no cut");
    reel_shot_result_free(&r);
    free(f.names);
    free(f.data);
    return tap_done();
}
