/* `reel takes TAKE... --script S.fountain`: the takes of a scene ranked as the editor agent ranks
 * them, each with its score breakdown and the reasons it lost points. */
#include "cli/cli.h"
#include "script/slate.h"
#include "script/takeset.h"

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void usage(void)
{
    printf("usage: reel takes TAKE... --script S.fountain [--scene N] [--dialogue W] [--sound W]\n"
           "                  [--picture W] [--json]\n\n"
           "Scores each take of a scene and ranks them, best first, with the breakdown an editor\n"
           "would want: the dialogue against the script's lines (words missed, added, replaced or\n"
           "swapped: the recogniser's transcript aligned to the scene), the sound as recorded (the\n"
           "voice over the room noise, clipping, a take too quiet to be on mic) and, for takes with\n"
           "picture, focus against the sharpest take given and exposure.\n\n"
           "  --script F     the screenplay (Fountain)\n"
           "  --scene N      the scene the takes cover: its number between # marks in the script,\n"
           "                 else its place (from 1). Default: from each take's slate-style name\n"
           "                 (S12_T3, 12A-3, 12-2-3), else the whole script\n"
           "  --dialogue W   weight of the dialogue part (default 0.5)\n"
           "  --sound W      weight of the sound part (default 0.3)\n"
           "  --picture W    weight of the picture part (default 0.2; left out for sound-only takes)\n"
           "  --json         every take's measures, parts, total and reasons\n\n"
           "Parts are 0..1: dialogue is the share of script words said as written; sound is the\n"
           "least of SNR (6 dB: 0, 30 dB: 1), clipping (0.5%% of samples at full scale: 0) and level\n"
           "(-50 LUFS: 0, -35 LUFS: 1); picture is the least of focus (30%% of the sharpest take's:\n"
           "0, 70%%: 1) and exposure (a quarter of the pixels crushed or blown, or mean luma 90 codes\n"
           "off mid-grey: 0). Continuity and performance are not scored yet.\n\n"
           "example: reel takes rushes/S12_T*.wav --script film.fountain\n");
}

typedef struct kargs {
    const char *script, *scene;
    reel_take_weights w;
    int json;
} kargs;

static int parse(int argc, char **argv, kargs *a)
{
    static const struct option lo[] = {{"script", required_argument, 0, 's'}, {"scene", required_argument, 0, 'n'},
                                       {"dialogue", required_argument, 0, 'd'}, {"sound", required_argument, 0, 'a'},
                                       {"picture", required_argument, 0, 'p'},
                                       {"json", no_argument, 0, 'j'}, {"help", no_argument, 0, 'h'}, {0}};
    int c;
    reel_take_weights_default(&a->w);
    a->json = g_cli.json;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        char *end;
        switch (c) {
        case 's': a->script = optarg; break;
        case 'n': a->scene = optarg; break;
        case 'd':
        case 'a':
        case 'p': {
            double v = strtod(optarg, &end);
            if (*end || !(v >= 0 && v <= 100)) return cli_usage("takes", "a weight is a number from 0 to 100, not '%s'", optarg);
            *(c == 'd' ? &a->w.dialogue : c == 'a' ? &a->w.sound : &a->w.picture) = v;
            break;
        }
        case 'j': a->json = 1; break;
        case 'h': usage(); return -1;
        default: return cli_usage("takes", "unknown option");
        }
    }
    if (!a->script) return cli_usage("takes", "--script names the screenplay the takes are scored against");
    if (a->w.dialogue + a->w.sound + a->w.picture <= 0) return cli_usage("takes", "the weights add up to 0");
    return optind < argc ? 0 : cli_usage("takes", "name at least one take");
}

static int by_total(const void *a, const void *b)
{
    double x = ((const reel_take *)a)->sc.total, y = ((const reel_take *)b)->sc.total;
    return x < y ? 1 : x > y ? -1 : strcmp(((const reel_take *)a)->path, ((const reel_take *)b)->path);
}

static void print_table(const reel_take *t, int n)
{
    printf("%-4s %-28s %6s %8s %6s %7s  %s\n", "rank", "take", "total", "dialogue", "sound", "picture", "why");
    for (int i = 0; i < n; i++) {
        const char *name = strrchr(t[i].path, '/') ? strrchr(t[i].path, '/') + 1 : t[i].path;
        char pic[16] = "-";
        if (t[i].has_pic) snprintf(pic, sizeof pic, "%.2f", t[i].sc.picture);
        printf("%-4d %-28.28s %6.2f %8.2f %6.2f %7s  %s\n", i + 1, name, t[i].sc.total, t[i].sc.dialogue, t[i].sc.sound,
               pic, t[i].sc.why[0] ? t[i].sc.why : "clean");
    }
    printf("\nchosen: %s (scene %s)", t[0].path, t[0].scene);
    if (n > 1) printf("; runner-up: %s, %.2f behind", t[1].path, t[0].sc.total - t[1].sc.total);
    printf("\n");
}

static void print_json(const reel_take *t, int n)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = json_pack("{s:i,s:s,s:s,s:f,s:f,s:f,s:s,s:{s:f,s:i,s:i,s:i,s:i,s:i},s:{s:f,s:f,s:f,s:f,s:f,s:f,s:f}}",
                           "rank", i + 1, "take", t[i].path, "scene", t[i].scene, "total", t[i].sc.total, "dialogue",
                           t[i].sc.dialogue, "sound", t[i].sc.sound, "why", t[i].sc.why, "script", "accuracy",
                           t[i].al.accuracy, "words", t[i].words, "missed", t[i].al.miss, "added", t[i].al.extra,
                           "replaced", t[i].al.sub, "swapped", t[i].al.swap, "measures", "snr_db", t[i].snd.snr_db,
                           "clipped", t[i].snd.clipped, "loudness", isfinite(t[i].snd.loudness) ? t[i].snd.loudness : -99.0,
                           "speech_s", t[i].snd.speech, "snr_part", t[i].sc.snr_part, "clip_part", t[i].sc.clip_part,
                           "level_part", t[i].sc.level_part);
        if (t[i].has_pic)
            json_object_set_new(o, "picture", json_pack("{s:f,s:f,s:f,s:f,s:f,s:f}", "score", t[i].sc.picture, "focus",
                                                         t[i].pic.focus, "luma", t[i].pic.luma, "clipped", t[i].pic.clipped,
                                                         "focus_part", t[i].sc.focus_part, "exposure_part",
                                                         t[i].sc.exposure_part));
        json_array_append_new(arr, o);
    }
    char *s = json_dumps(arr, JSON_INDENT(1) | JSON_REAL_PRECISION(5));
    if (s) puts(s);
    free(s);
    json_decref(arr);
}

/* Measure take i and align it to its scene: --scene, else its slate name, else the whole script. */
static int one_take(const kargs *a, const reel_fountain *f, const char *path, reel_take *t, reel_err *e)
{
    reel_slate sl;
    const char *want = a->scene ? a->scene : reel_slate_from_name(path, &sl) ? sl.scene : NULL;
    int scene = want ? reel_take_find_scene(f, want) : -1;
    if (want && scene < 0) return reel_errf(e, REEL_EINVAL, "%s: the script %s has no scene %s", path, a->script, want);
    int rc = reel_take_measure(t, path, &g_cancel, e);
    if (!rc) rc = reel_take_align(t, f, scene, e);
    snprintf(t->scene, sizeof t->scene, "%s", scene < 0 ? "all" : want);
    return rc;
}

int cmd_takes(int argc, char **argv)
{
    kargs a = {0};
    int rc = parse(argc, argv, &a);
    if (rc) return rc < 0 ? 0 : rc;
    reel_fountain f;
    reel_err e = {0};
    if (reel_fountain_load(a.script, &f, &e)) return cli_fail(&e);
    int n = argc - optind;
    reel_take *t = calloc((size_t)n, sizeof *t);
    if (!t) rc = reel_errf(&e, REEL_ENOMEM, "out of memory");
    for (int i = 0; t && !rc && i < n; i++) {
        if (!g_cli.quiet && !a.json) fprintf(stderr, "scoring %s (%d of %d)\n", argv[optind + i], i + 1, n);
        rc = one_take(&a, &f, argv[optind + i], &t[i], &e);
    }
    if (!rc) {
        for (int i = 0; i < n; i++) t[i].scene_idx = 0; /* the takes given are compared with each other */
        reel_takes_score(t, n, &a.w);
        qsort(t, (size_t)n, sizeof *t, by_total);
        if (a.json) print_json(t, n);
        else print_table(t, n);
    }
    for (int i = 0; t && i < n; i++) reel_take_free(&t[i]);
    free(t);
    reel_fountain_free(&f);
    return rc ? cli_fail(&e) : EXIT_OK;
}
