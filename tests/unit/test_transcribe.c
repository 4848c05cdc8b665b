/* Speech recognition on real recordings from Debian's pocketsphinx-testdata (fetched by
 * scripts/fetch-media.sh), scored with the editor's aligner against their published transcriptions:
 * the words and their times, a flub found against a script with one word the speaker never said,
 * noise that holds no words, a clip without sound and a missing model refused by name. */
#include "audio/transcribe.h"
#include "script/align.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *media(void) { return getenv("REEL_MEDIA") ? getenv("REEL_MEDIA") : ".cache/media"; }

static int transcribe(const char *name, reel_transcript *t)
{
    char path[4096];
    reel_err e = {0};
    snprintf(path, sizeof path, "%s/real/%s", media(), name);
    int rc = reel_transcribe_file(path, NULL, t, &e);
    if (rc) printf("# %s\n", e.msg);
    return rc;
}

/* Align what t heard against script; the accuracy, and the alignment in *a when a is not NULL. */
static double score(const reel_transcript *t, const char *script, reel_alignment *a)
{
    reel_words s = {0}, h = {0};
    reel_alignment tmp;
    reel_err e = {0};
    reel_words_split(script, &s);
    for (int i = 0; i < t->n; i++) reel_words_split(t->w[i].word, &h);
    double acc = reel_align_words(&s, &h, a ? a : &tmp, &e) ? -1 : (a ? a : &tmp)->accuracy;
    if (!a) reel_alignment_free(&tmp);
    reel_words_free(&s), reel_words_free(&h);
    return acc;
}

static void test_goforward(void)
{
    reel_transcript t;
    int ok = transcribe("goforward.wav", &t) == 0;
    TAP_OK(ok && t.n >= 3, "goforward.wav transcribed: %d words in %.2f s of sound", ok ? t.n : 0, ok ? t.seconds : 0);
    if (!ok) return;
    double acc = score(&t, "Go forward ten meters.", NULL);
    TAP_OK(acc >= 0.75, "against its transcription \"go forward ten meters\": accuracy %.2f", acc);
    int timed = 1;
    for (int i = 0; i < t.n; i++)
        timed &= t.w[i].start >= 0 && t.w[i].end > t.w[i].start && t.w[i].end <= t.seconds + 0.01 &&
                 (i == 0 || t.w[i].start >= t.w[i - 1].end - 0.01);
    TAP_OK(timed && t.w[0].start > 0.2 && t.w[0].start < 1.0,
           "word times are ordered, inside the clip, and the first word starts after the leading pause (%.2f s)",
           t.w[0].start);
    reel_alignment a;
    score(&t, "Go forward ten meters now.", &a);
    int found = 0;
    for (int i = 0; i < a.n; i++) found |= a.steps[i].op == REEL_ALN_MISS && a.steps[i].s == 4;
    TAP_OK(found && a.miss >= 1, "a script line with a word the take lacks: the miss is found at \"now\" (%d missed)", a.miss);
    reel_alignment_free(&a);
    reel_transcript_free(&t);
}

/* Every clip of a testdata set against its transcription file (lines "<s> words </s> (id)"). */
static void test_set(const char *list, const char *prefix, const char *const *ids, int n, double want)
{
    char path[4096], line[1024];
    snprintf(path, sizeof path, "%s/real/%s", media(), list);
    FILE *f = fopen(path, "r");
    double sum = 0;
    int scored = 0;
    while (f && fgets(line, sizeof line, f)) {
        char *open = strrchr(line, '('), *close = open ? strchr(open, ')') : NULL;
        if (!close) continue;
        *close = 0;
        for (int k = 0; k < n; k++) {
            if (!strstr(open + 1, ids[k])) continue;
            char *a = strstr(line, "<s>"), *b = strstr(line, "</s>");
            if (!a || !b) continue;
            *b = 0;
            char clip[256];
            reel_transcript t;
            snprintf(clip, sizeof clip, "%s%s.wav", prefix, ids[k]);
            if (transcribe(clip, &t)) continue;
            double acc = score(&t, a + 3, NULL);
            printf("# %s: %.2f against \"%s\"\n", clip, acc, a + 3);
            sum += acc, scored++;
            reel_transcript_free(&t);
        }
    }
    if (f) fclose(f);
    TAP_OK(scored == n && sum / n >= want, "%s: %d of %d clips transcribed, mean accuracy %.2f against the transcription (want >= %.2f)",
           list, scored, n, scored ? sum / scored : 0, want);
}

static void test_refusals(void)
{
    reel_transcript t;
    TAP_OK(transcribe("Noise.wav", &t) == 0 && t.n == 0 && t.speech == 0, "noise: no speech found, no words");
    reel_transcript_free(&t);
    char path[4096];
    reel_err e = {0};
    snprintf(path, sizeof path, "%s/real/cityCC0.mpg", media());
    int rc = reel_transcribe_file(path, NULL, &t, &e);
    TAP_OK(rc != 0 && strstr(e.msg, "cityCC0.mpg"), "a clip without sound is refused by name: %s", e.msg);
    snprintf(path, sizeof path, "%s/real/goforward.wav", media());
    reel_transcribe_opts o = {.model_dir = "/nonexistent/model"};
    rc = reel_transcribe_file(path, &o, &t, &e);
    TAP_OK(rc == REEL_ENOTFOUND && strstr(e.msg, "/nonexistent/model") && strstr(e.msg, "pocketsphinx-en-us"),
           "a missing model names the folder and the package: %s", e.msg);
}

int main(void)
{
    reel_init();
    test_goforward();
    static const char *const cards[] = {"001", "002", "003", "004", "005"};
    test_set("cards.transcription.txt", "cards-", cards, 5, 0.6);
    static const char *const books[] = {"0870", "0880"};
    test_set("librivox.transcription.txt", "librivox-", books, 2, 0.6);
    test_refusals();
    return tap_done();
}
