/* `reel transcribe FILE`: the words spoken in a clip with their times, as the editor hears them
 * (PocketSphinx, audio/transcribe.h), and with --script the take scored against the lines it
 * should hold. */
#include "audio/transcribe.h"
#include "cli/cli.h"
#include "script/align.h"
#include "script/fountain.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(void)
{
    printf("usage: reel transcribe FILE [--json] [--script S.fountain [--scene N]]\n\n"
           "Recognises the English speech in FILE's sound (any format FFmpeg reads) and prints each\n"
           "word with its start and end in seconds and the recogniser's confidence. Pauses cut the\n"
           "sound into utterances, so memory stays small on long clips.\n\n"
           "  --json          the words as JSON, with the clip's length and the speech found\n"
           "  --script FILE   also align the words to the dialogue of a Fountain screenplay and\n"
           "                  report accuracy and each flub: a word missed, added, replaced, or\n"
           "                  two words swapped\n"
           "  --scene N       only scene N's dialogue (from 1, as `reel script` numbers them)\n\n"
           "The model is Debian's pocketsphinx-en-us (/usr/share/pocketsphinx/model/en-us, or\n"
           "$REEL_ASR_MODEL).\n\n"
           "examples: reel transcribe take3.wav\n"
           "          reel transcribe sc12_tk3.mov --script film.fountain --scene 12\n");
}

typedef struct targs {
    int json, scene;
    const char *script;
} targs;

static int parse(int argc, char **argv, targs *a)
{
    static const struct option lo[] = {{"json", no_argument, 0, 'j'}, {"script", required_argument, 0, 's'},
                                       {"scene", required_argument, 0, 'n'}, {"help", no_argument, 0, 'h'}, {0}};
    int c;
    a->json = g_cli.json;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (c) {
        case 'j': a->json = 1; break;
        case 's': a->script = optarg; break;
        case 'n':
            if ((a->scene = atoi(optarg)) < 1) return cli_usage("transcribe", "--scene takes a scene number from 1");
            break;
        case 'h': usage(); return -1;
        default: return cli_usage("transcribe", "unknown option");
        }
    }
    if (a->scene && !a->script) return cli_usage("transcribe", "--scene needs --script");
    return optind == argc - 1 ? 0 : cli_usage("transcribe", "name one file");
}

/* The dialogue words of the screenplay (of one scene when scene > 0). */
static int script_words(const char *path, int scene, reel_words *w, reel_err *e)
{
    reel_fountain f;
    int rc = reel_fountain_load(path, &f, e);
    if (rc) return rc;
    if (scene > f.scenes) rc = reel_errf(e, REEL_EINVAL, "%s: no scene %d (the script has %d)", path, scene, f.scenes);
    if (!rc && reel_fountain_dialogue_words(&f, scene - 1, w)) rc = reel_errf(e, REEL_ENOMEM, "out of memory");
    reel_fountain_free(&f);
    return rc;
}

static void print_flubs(const reel_alignment *a, const reel_words *s, const reel_words *h, const int *from,
                        const reel_transcript *t)
{
    static const char *const what[] = {"", "replaced", "missed", "added", "swapped"};
    for (int i = 0; i < a->n; i++) {
        const reel_aln_step *st = &a->steps[i];
        if (st->op == REEL_ALN_MATCH) continue;
        double at = st->h >= 0 ? t->w[from[st->h]].start : -1;
        printf("  %-8s script \"%s%s%s\"  heard \"%s%s%s\"", what[st->op], st->s >= 0 ? s->w[st->s] : "",
               st->op == REEL_ALN_SWAP ? " " : "", st->op == REEL_ALN_SWAP ? s->w[st->s + 1] : "",
               st->h >= 0 ? h->w[st->h] : "", st->op == REEL_ALN_SWAP ? " " : "",
               st->op == REEL_ALN_SWAP ? h->w[st->h + 1] : "");
        if (at >= 0) printf("  at %.2f s", at);
        printf("\n");
    }
}

/* Score the transcript against the script's words: accuracy and flubs (text) or an object (JSON). */
static int score(const targs *a, const reel_transcript *t, json_t *doc, reel_err *e)
{
    reel_words s = {0}, h = {0};
    reel_alignment al = {0};
    int rc = script_words(a->script, a->scene, &s, e), *from = NULL;
    for (int i = 0; !rc && i < t->n; i++) { /* from[k]: the transcript entry heard word k comes from */
        int before = h.n, *grown = NULL;
        if (reel_words_split(t->w[i].word, &h) || !(grown = realloc(from, ((size_t)h.n + 1) * sizeof *from)))
            rc = reel_errf(e, REEL_ENOMEM, "out of memory");
        else from = grown;
        for (int k = before; !rc && k < h.n; k++) from[k] = i;
    }
    if (!rc) rc = reel_align_words(&s, &h, &al, e);
    if (!rc && doc)
        json_object_set_new(doc, "script", json_pack("{s:s,s:i,s:f,s:i,s:i,s:i,s:i}", "file", a->script, "words", s.n,
                                                     "accuracy", al.accuracy, "missed", al.miss, "added", al.extra,
                                                     "replaced", al.sub, "swapped", al.swap));
    else if (!rc) {
        printf("\nagainst %s%s: %d script words, accuracy %.2f (%d missed, %d added, %d replaced, %d swapped)\n",
               a->script, a->scene ? " (one scene)" : "", s.n, al.accuracy, al.miss, al.extra, al.sub, al.swap);
        print_flubs(&al, &s, &h, from, t);
    }
    reel_alignment_free(&al);
    reel_words_free(&s), reel_words_free(&h);
    free(from);
    return rc;
}

int cmd_transcribe(int argc, char **argv)
{
    targs a = {0};
    int rc = parse(argc, argv, &a);
    if (rc) return rc < 0 ? 0 : rc;
    reel_transcribe_opts o = {.cancel = &g_cancel};
    reel_transcript t;
    reel_err e = {0};
    clock_t c0 = clock();
    if (reel_transcribe_file(argv[optind], &o, &t, &e)) return cli_fail(&e);
    double cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
    json_t *doc = NULL;
    if (a.json) {
        json_t *ws = json_array();
        for (int i = 0; i < t.n; i++)
            json_array_append_new(ws, json_pack("{s:s,s:f,s:f,s:f}", "word", t.w[i].word, "start", t.w[i].start, "end",
                                                t.w[i].end, "conf", t.w[i].conf));
        doc = json_pack("{s:s,s:f,s:f,s:f,s:o}", "file", argv[optind], "seconds", t.seconds, "speech", t.speech,
                        "cpu_seconds", cpu, "words", ws);
    } else {
        for (int i = 0; i < t.n; i++) printf("%8.2f %8.2f  %-20s %.2f\n", t.w[i].start, t.w[i].end, t.w[i].word, t.w[i].conf);
        printf("%d words in %.1f s of sound (%.1f s of speech), %.2f CPU s: %.2fx real time\n", t.n, t.seconds,
               t.speech, cpu, t.seconds > 0 ? cpu / t.seconds : 0);
    }
    rc = a.script ? score(&a, &t, doc, &e) : 0;
    if (!rc && doc) {
        char *s = json_dumps(doc, JSON_INDENT(1) | JSON_REAL_PRECISION(6));
        if (s) puts(s);
        free(s);
    }
    json_decref(doc);
    reel_transcript_free(&t);
    return rc ? cli_fail(&e) : EXIT_OK;
}
