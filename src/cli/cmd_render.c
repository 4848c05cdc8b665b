/* `reel render`: a project's deliverables (the pipeline run to the end, then the QC verdicts), or
 * a conform of files end to end or of a CMX3600 EDL into one file. */
#include "cli/cli.h"
#include "render/conform.h"
#include "render/mix.h"
#include "timeline/edl.h"
#include "util/fsutil.h"

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(void)
{
    printf("usage: reel render DIR\n"
           "       reel render FILE... -o OUT [options]\n"
           "       reel render --edl CUT.edl [--media DIR...] -o OUT [options]\n\n"
           "With a project folder: runs the pipeline to its end (what is cached is not redone)\n"
           "and lists each deliverable with its QC verdict; the deliveries are in reel.yaml.\n\n"
           "With files or an EDL: conforms them into OUT, cut end to end (files) or as the EDL\n"
           "says (cuts, dissolves, black; each clip found by its FROM CLIP NAME or reel name\n"
           "in the EDL's folder and every --media folder). The sound is each clip's own, leveled\n"
           "to --loudness through a true-peak limiter. OUT appears only when complete.\n\n"
           "options:\n"
           "  --codec C       %s (default h264)\n"
           "  --size WxH      frame size (default: the first clip's, made even); other shapes are\n"
           "                  letterboxed or pillarboxed\n"
           "  --fps R         frame rate (default: the first clip's); an EDL is read at this rate\n"
           "  --crf N --preset P   h264/h265 quality (18; 0 is lossless) and speed (medium)\n"
           "  --threads N     encoder threads (4; the same count gives the same bytes anywhere)\n"
           "  --audio-codec A aac (mp4), pcm_s24le or pcm_s16le (mov), or none\n"
           "  --loudness L    ebu_r128 (default), atsc_a85, netflix, streaming_16, streaming_14, none\n"
           "  --cube F        a 3D LUT (.cube) applied to every clip\n"
           "  --burn-in B     none, timecode, shots or both\n"
           "  --fade S        seconds from and to black at the head and tail\n"
           "  --start-tc TC   timecode of the first frame (default 01:00:00:00)\n\n"
           "examples: reel render myfilm\n"
           "          reel render a.mov b.mov -o cut.mp4 --size 1280x720 --burn-in both\n"
           "          reel render --edl cut.edl --media rushes/ -o master.mov --codec prores_hq\n",
           REEL_VIDEO_CODECS);
}

typedef struct rargs {
    const char *out, *edl, *cube, *loudness, *burn, *start_tc;
    const char *media[16];
    int n_media;
    reel_enc_opts enc;
    double fade;
    char size[32], fps[32];
} rargs;

static int parse_size(const char *s, int *w, int *h)
{
    char *x;
    *w = (int)strtol(s, &x, 10);
    if (*x != 'x') return -1;
    *h = (int)strtol(x + 1, &x, 10);
    return *x || *w < 16 || *h < 16 || *w > 8192 || *h > 4320 ? -1 : 0;
}

static int parse(int argc, char **argv, rargs *a)
{
    static const struct option lo[] = {
        {"output", required_argument, 0, 'o'}, {"edl", required_argument, 0, 'E'}, {"media", required_argument, 0, 'm'},
        {"codec", required_argument, 0, 'c'}, {"size", required_argument, 0, 's'}, {"fps", required_argument, 0, 'r'},
        {"crf", required_argument, 0, 'q'}, {"preset", required_argument, 0, 'p'}, {"threads", required_argument, 0, 't'},
        {"audio-codec", required_argument, 0, 'a'}, {"loudness", required_argument, 0, 'L'},
        {"cube", required_argument, 0, 'C'}, {"burn-in", required_argument, 0, 'b'}, {"fade", required_argument, 0, 'f'},
        {"start-tc", required_argument, 0, 'T'}, {"help", no_argument, 0, 'h'}, {0}};
    a->enc = (reel_enc_opts){.vcodec = "h264", .crf = 18, .preset = "medium", .threads = 4, .acodec = "aac",
                             .sample_rate = 48000, .channels = 2};
    a->loudness = "ebu_r128", a->burn = "none", a->start_tc = "01:00:00:00";
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
        switch (c) {
        case 'o': a->out = optarg; break;
        case 'E': a->edl = optarg; break;
        case 'm':
            if (a->n_media < 16) a->media[a->n_media++] = optarg;
            break;
        case 'c':
            if (reel_vcodec_is_420(optarg) < 0) return cli_usage("render", "unknown codec '%s' (%s)", optarg, REEL_VIDEO_CODECS);
            a->enc.vcodec = optarg;
            break;
        case 's':
            if (parse_size(optarg, &a->enc.width, &a->enc.height)) return cli_usage("render", "--size takes WxH, e.g. 1920x1080");
            break;
        case 'r':
            if (reel_parse_rational(optarg, &a->enc.fps.num, &a->enc.fps.den) || a->enc.fps.num <= 0)
                return cli_usage("render", "--fps takes a rate: 25, 24000/1001, 29.97");
            break;
        case 'q':
            a->enc.crf = (int)strtol(optarg, &end, 10);
            if (*end || a->enc.crf < 0 || a->enc.crf > 51) return cli_usage("render", "--crf takes 0 to 51");
            break;
        case 'p': a->enc.preset = optarg; break;
        case 't':
            a->enc.threads = (int)strtol(optarg, &end, 10);
            if (*end || a->enc.threads < 1 || a->enc.threads > 16) return cli_usage("render", "--threads takes 1 to 16");
            break;
        case 'a': a->enc.acodec = strcmp(optarg, "none") ? optarg : NULL; break;
        case 'L':
            if (!reel_loud_target_find(optarg)) return cli_usage("render", "unknown loudness '%s'", optarg);
            a->loudness = optarg;
            break;
        case 'C': a->cube = optarg; break;
        case 'b':
            if (strcmp(optarg, "none") && strcmp(optarg, "timecode") && strcmp(optarg, "shots") && strcmp(optarg, "both"))
                return cli_usage("render", "--burn-in takes none, timecode, shots or both");
            a->burn = optarg;
            break;
        case 'f':
            a->fade = strtod(optarg, &end);
            if (*end || !(a->fade >= 0 && a->fade <= 10)) return cli_usage("render", "--fade takes 0 to 10 seconds");
            break;
        case 'T': a->start_tc = optarg; break;
        case 'h': usage(); return -1;
        default: return cli_usage("render", "unknown option");
        }
    }
    return 0;
}

/* The timeline: the files end to end, or the EDL. Size and rate default to the first clip's. */
static int build(rargs *a, int argc, char **argv, reel_timeline *tl, reel_err *e)
{
    reel_probe pr;
    if (!a->edl) {
        for (int i = optind; i < argc; i++) {
            int rc = reel_media_probe(argv[i], &pr, e);
            if (!rc && !pr.has_video) rc = reel_errf(e, REEL_EMEDIA, "%s: no picture to render", argv[i]);
            if (rc) return rc;
            reel_tl_item it = {.src_out = pr.duration};
            snprintf(it.path, sizeof it.path, "%s", argv[i]);
            snprintf(it.name, sizeof it.name, "%s", reel_basename(argv[i]));
            char *dot = strrchr(it.name, '.');
            if (dot && dot != it.name) *dot = 0;
            if (reel_timeline_add(tl, &it)) return reel_errf(e, REEL_ENOMEM, "out of memory");
            if (i == optind && !a->enc.fps.num) a->enc.fps = pr.fps.num > 0 ? pr.fps : (reel_rational){25, 1};
        }
    } else {
        if (!a->enc.fps.num) return reel_errf(e, REEL_EINVAL, "%s: an EDL carries no frame rate: give --fps", a->edl);
        char *dir = strdup(a->edl), *slash = dir ? strrchr(dir, '/') : NULL;
        if (!dir) return reel_errf(e, REEL_ENOMEM, "out of memory");
        if (slash) *slash = 0;
        const char *dirs[17] = {slash ? dir : "."};
        for (int i = 0; i < a->n_media; i++) dirs[i + 1] = a->media[i];
        int rc = reel_edl_load(a->edl, a->enc.fps, dirs, a->n_media + 1, tl, NULL, e);
        free(dir);
        if (rc) return rc;
        for (int i = 0; i < tl->n; i++) /* an open out point: to the clip's end */
            if (!tl->items[i].black && !reel_media_probe(tl->items[i].path, &pr, NULL) && pr.duration > 0 &&
                tl->items[i].src_out > pr.duration + 1.0)
                return reel_errf(e, REEL_EINVAL, "%s: %s is %.2f s long; the EDL uses it to %.2f s", a->edl,
                                 tl->items[i].path, pr.duration, tl->items[i].src_out);
    }
    if (!a->enc.width) {
        const reel_tl_item *f = &tl->items[0];
        for (int i = 0; i < tl->n && f->black; i++) f = &tl->items[i];
        if (!f->black && !reel_media_probe(f->path, &pr, e))
            a->enc.width = (int)lround(pr.width * (pr.sar.num > 0 ? (double)pr.sar.num / pr.sar.den : 1)) & ~1,
            a->enc.height = pr.height & ~1;
        else return reel_errf(e, REEL_EINVAL, "no clip to take the frame size from: give --size");
    }
    return 0;
}

static void on_progress(double frac, void *opaque)
{
    (void)opaque;
    fprintf(stderr, "\rreel render: %3.0f%%", frac * 100);
    fflush(stderr);
}

static int conform(rargs *a, reel_timeline *tl, reel_err *e)
{
    char stem[4200], mix[4200];
    snprintf(stem, sizeof stem, "%s.stem.wav", a->out);
    snprintf(mix, sizeof mix, "%s.mix.wav", a->out);
    reel_gradebook *g = NULL;
    reel_loudness loud, after;
    const reel_loud_target *lt = reel_loud_target_find(a->loudness);
    int rc = a->cube ? reel_gradebook_load(&g, a->cube, NULL, NULL, e) : 0;
    if (!rc && a->enc.acodec) rc = reel_conform_audio(tl, 48000, 2, stem, &loud, &g_cancel, e);
    int gated = 0;
    if (!rc && a->enc.acodec) rc = reel_render_mix(stem, mix, reel_loud_target_gain(lt, &loud, &gated), lt->ceiling, &after, e);
    reel_conform_opts o = {.enc = a->enc, .grade = g, .fade = a->fade, .audio = a->enc.acodec ? mix : NULL,
                           .ceiling_db = NAN, .cancel = &g_cancel};
    o.burn_tc = !strcmp(a->burn, "timecode") || !strcmp(a->burn, "both");
    o.burn_names = !strcmp(a->burn, "shots") || !strcmp(a->burn, "both");
    o.enc.timecode = a->start_tc;
    const char *ext = strrchr(a->out, '.');
    o.enc.container = ext ? ext + 1 : "mp4";
    if (isatty(2) && !g_cli.quiet && !g_cli.json) o.progress = on_progress;
    reel_conform_stats st;
    if (!rc) rc = reel_conform_video(tl, &o, a->out, &st, e);
    if (o.progress) fprintf(stderr, "\r%24s\r", "");
    unlink(stem), unlink(mix);
    reel_gradebook_free(&g);
    if (!rc && !g_cli.quiet)
        printf("wrote %s: %lld frames, %dx%d %s at %d/%d fps%s\n", a->out, (long long)st.frames, a->enc.width,
               a->enc.height, a->enc.vcodec, a->enc.fps.num, a->enc.fps.den, a->enc.acodec ? ", sound leveled" : "");
    return rc;
}

static int render_project(const char *dir)
{
    reel_project p;
    int rc = cli_load(&p, dir, 1);
    if (rc) return rc;
    rc = cli_run_project(&p, 0, 0);
    char path[4200];
    snprintf(path, sizeof path, "%s/out/report.json", p.root);
    json_t *j = json_load_file(path, 0, NULL);
    size_t i;
    json_t *d;
    if (j && !g_cli.quiet && !g_cli.json) {
        printf("\ndeliverables:\n");
        json_array_foreach(json_object_get(j, "deliverables"), i, d)
            printf("  out/%-24s QC %s (%lld errors, %lld warnings): out/%s\n", json_string_value(json_object_get(d, "file")),
                   json_is_true(json_object_get(d, "pass")) ? "pass" : "FAIL",
                   (long long)json_integer_value(json_object_get(d, "errors")),
                   (long long)json_integer_value(json_object_get(d, "warnings")),
                   json_string_value(json_object_get(d, "report")));
    }
    json_decref(j);
    reel_project_free(&p);
    return rc;
}

int cmd_render(int argc, char **argv)
{
    rargs a = {0};
    int rc = parse(argc, argv, &a);
    if (rc) return rc < 0 ? 0 : rc;
    if (!a.edl && optind == argc - 1 && !a.out && reel_is_dir(argv[optind])) return render_project(argv[optind]);
    if (!a.out) return cli_usage("render", "name the output with -o OUT (or give a project folder alone)");
    if (!a.edl && optind >= argc) return cli_usage("render", "name the files to conform, or --edl CUT.edl");
    if (a.edl && optind < argc) return cli_usage("render", "give files or --edl, not both");
    char *out_abs = reel_abspath(a.out);
    for (int i = optind; i < argc && out_abs; i++) {
        char *in = reel_abspath(argv[i]);
        int same = in && !strcmp(in, out_abs);
        free(in);
        if (same) {
            free(out_abs);
            return cli_usage("render", "-o %s would overwrite a source", a.out);
        }
    }
    free(out_abs);
    reel_timeline tl = {0};
    reel_err e = {0};
    rc = build(&a, argc, argv, &tl, &e);
    if (!rc) rc = conform(&a, &tl, &e);
    reel_timeline_free(&tl);
    return rc ? cli_fail(&e) : 0;
}
