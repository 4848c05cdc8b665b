/* Takes measured, aligned and scored (takeset.h). */
#include "script/takeset.h"
#include "media/media.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Normalise the transcript's words into t->heard, remembering where each came from. */
static int split_heard(reel_take *t)
{
    reel_words_free(&t->heard);
    free(t->heard_of);
    t->heard_of = NULL;
    for (int i = 0; i < t->tr.n; i++) {
        int before = t->heard.n;
        if (reel_words_split(t->tr.w[i].word, &t->heard)) return REEL_ENOMEM;
        int *m = realloc(t->heard_of, (size_t)(t->heard.n ? t->heard.n : 1) * sizeof *m);
        if (!m) return REEL_ENOMEM;
        t->heard_of = m;
        for (int k = before; k < t->heard.n; k++) m[k] = i;
    }
    return 0;
}

int reel_take_measure(reel_take *t, const char *path, volatile int *cancel, reel_err *e)
{
    memset(t, 0, sizeof *t);
    snprintf(t->path, sizeof t->path, "%s", path);
    t->scene_idx = -1;
    reel_transcribe_opts o = {.cancel = cancel};
    int rc = reel_transcribe_file(path, &o, &t->tr, e);
    if (!rc) rc = reel_take_sound_measure(path, &t->snd, cancel, e);
    reel_probe pr;
    if (!rc && reel_media_probe(path, &pr, e) == 0 && pr.has_video)
        rc = reel_take_picture_measure(path, &t->pic, cancel, e), t->has_pic = !rc;
    t->duration = t->snd.seconds;
    if (!rc && split_heard(t)) rc = reel_errf(e, REEL_ENOMEM, "out of memory");
    return rc;
}

int reel_take_align(reel_take *t, const reel_fountain *f, int scene, reel_err *e)
{
    reel_words s = {0};
    reel_alignment_free(&t->al);
    int rc = reel_fountain_dialogue_words(f, scene, &s) ? reel_errf(e, REEL_ENOMEM, "out of memory") : 0;
    if (!rc) rc = reel_align_words(&s, &t->heard, &t->al, e);
    t->words = s.n;
    t->scene_idx = scene;
    reel_words_free(&s);
    return rc;
}

int reel_take_find_scene(const reel_fountain *f, const char *want)
{
    for (int i = 0; i < f->n; i++)
        if (f->el[i].type == REEL_FTN_SCENE && f->el[i].number[0] && !strcasecmp(f->el[i].number, want))
            return f->el[i].scene;
    int k = atoi(want);
    return k >= 1 && k <= f->scenes && strspn(want, "0123456789") == strlen(want) ? k - 1 : -1;
}

/* The scene's name for reports: its #number#, else its place from 1. */
static void scene_name(const reel_fountain *f, int scene, char *out, size_t cap)
{
    snprintf(out, cap, "%d", scene + 1);
    for (int i = 0; i < f->n; i++)
        if (f->el[i].type == REEL_FTN_SCENE && f->el[i].scene == scene && f->el[i].number[0])
            snprintf(out, cap, "%s", f->el[i].number);
}

int reel_take_align_best(reel_take *t, const reel_fountain *f, reel_err *e)
{
    int best = -1;
    double acc = -1;
    for (int s = 0; s < f->scenes; s++) {
        int rc = reel_take_align(t, f, s, e);
        if (rc) return rc;
        if (t->words && t->al.accuracy > acc) acc = t->al.accuracy, best = s;
    }
    int rc = reel_take_align(t, f, best, e);
    if (!rc && best >= 0) scene_name(f, best, t->scene, sizeof t->scene);
    else if (!rc) snprintf(t->scene, sizeof t->scene, "all");
    return rc;
}

void reel_takes_score(reel_take *t, int n, const reel_take_weights *w)
{
    for (int i = 0; i < n; i++) {
        double best_focus = 0;
        for (int k = 0; k < n; k++)
            if (t[k].scene_idx == t[i].scene_idx && t[k].has_pic && t[k].pic.focus > best_focus) best_focus = t[k].pic.focus;
        reel_take_score_compute(&t[i].al, &t[i].snd, t[i].has_pic ? &t[i].pic : NULL, best_focus, w, &t[i].sc);
    }
}

void reel_take_free(reel_take *t)
{
    reel_transcript_free(&t->tr);
    reel_words_free(&t->heard);
    free(t->heard_of);
    reel_alignment_free(&t->al);
    memset(t, 0, sizeof *t);
}

json_t *reel_take_measures_json(const reel_take *t)
{
    json_t *words = json_array();
    for (int i = 0; i < t->tr.n; i++)
        json_array_append_new(words, json_pack("[s,f,f,f]", t->tr.w[i].word, t->tr.w[i].start, t->tr.w[i].end,
                                               t->tr.w[i].conf));
    const reel_take_sound *s = &t->snd;
    json_t *o = json_pack("{s:s,s:f,s:{s:f,s:f,s:f,s:f,s:f,s:f},s:o,s:f}", "path", t->path, "duration", t->duration,
                          "sound", "seconds", s->seconds, "speech", s->speech, "snr_db", s->snr_db, "clipped",
                          s->clipped, "loudness", isfinite(s->loudness) ? s->loudness : -999.0, "peak",
                          isfinite(s->peak) ? s->peak : -999.0, "words", words, "speech_seconds", t->tr.speech);
    json_object_set_new(o, "picture", t->has_pic ? json_pack("{s:i,s:f,s:f,s:f}", "frames", t->pic.frames, "focus",
                                                             t->pic.focus, "luma", t->pic.luma, "clipped", t->pic.clipped)
                                                 : json_null());
    return o;
}

static int num(json_t *o, const char *k, double *v)
{
    json_t *x = json_object_get(o, k);
    if (!json_is_number(x) || !isfinite(json_number_value(x))) return -1;
    *v = json_number_value(x);
    return 0;
}

static int load_words(json_t *words, reel_take *t)
{
    size_t n = json_array_size(words);
    t->tr.w = calloc(n ? n : 1, sizeof *t->tr.w);
    if (!t->tr.w) return REEL_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        json_t *w = json_array_get(words, i);
        const char *s = json_string_value(json_array_get(w, 0));
        reel_heard_word *h = &t->tr.w[t->tr.n];
        if (!s || json_array_size(w) != 4) return -1;
        snprintf(h->word, sizeof h->word, "%s", s);
        h->start = json_number_value(json_array_get(w, 1)), h->end = json_number_value(json_array_get(w, 2));
        h->conf = json_number_value(json_array_get(w, 3));
        if (!(h->start >= 0 && h->end >= h->start && h->end < 1e7)) return -1;
        t->tr.n++;
    }
    return 0;
}

int reel_take_measures_from_json(json_t *j, const char *where, reel_take *t, reel_err *e)
{
    memset(t, 0, sizeof *t);
    t->scene_idx = -1;
    const char *path = json_string_value(json_object_get(j, "path"));
    json_t *s = json_object_get(j, "sound"), *p = json_object_get(j, "picture"), *w = json_object_get(j, "words");
    int bad = !path || !json_is_object(s) || !json_is_array(w) || num(j, "duration", &t->duration) ||
              num(s, "seconds", &t->snd.seconds) || num(s, "speech", &t->snd.speech) || num(s, "snr_db", &t->snd.snr_db) ||
              num(s, "clipped", &t->snd.clipped) || num(s, "loudness", &t->snd.loudness) || num(s, "peak", &t->snd.peak);
    if (!bad && json_is_object(p)) {
        double fr = 0;
        bad = num(p, "frames", &fr) || num(p, "focus", &t->pic.focus) || num(p, "luma", &t->pic.luma) ||
              num(p, "clipped", &t->pic.clipped);
        t->pic.frames = (int)fr, t->has_pic = 1;
    }
    if (bad) return reel_errf(e, REEL_EINVAL, "%s: a take's measures lack a field or have one of the wrong type", where);
    snprintf(t->path, sizeof t->path, "%s", path);
    if (t->snd.loudness < -998) t->snd.loudness = -HUGE_VAL;
    double sp = 0;
    num(j, "speech_seconds", &sp);
    t->tr.speech = sp, t->tr.seconds = t->duration;
    int rc = load_words(w, t);
    if (!rc) rc = split_heard(t);
    if (rc) {
        reel_take_free(t);
        return rc == REEL_ENOMEM ? reel_errf(e, rc, "out of memory")
                                 : reel_errf(e, REEL_EINVAL, "%s: %s: a heard word is not [word, start, end, conf]", where, path);
    }
    return 0;
}
