/* `reel shots FILE`: the shots agent on one file, outside a project (one decode pass through the
 * ingest engine into a temporary folder, then detection), like `scenedetect ... list-scenes`. */
#include "agents/ingest.h"
#include "agents/shots.h"
#include "cli/cli.h"
#include "cli/shots_split.h"
#include "shots/export.h"
#include "util/fsutil.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(void)
{
    printf("usage: reel shots FILE [--json] [--edl OUT.edl] [--otio OUT.otio] [--srt OUT.srt]\n"
           "                 [--split DIR [--split-mode auto|copy|encode]]\n"
           "                 [--set NAME=VALUE] [--threads N] [--width W]\n\n"
           "Finds every shot of FILE with frame-exact boundaries and types each transition (cut,\n"
           "dissolve, fade through black or white, wipe); brief flashes are listed apart and never\n"
           "split a shot, nor do frames damaged by decode errors (listed as damaged, up to the\n"
           "next key frame). Prints a table (or JSON with --json).\n\n"
           "  --edl F        CMX3600 EDL, one event per shot (dissolves as D events)\n"
           "  --otio F       OpenTimelineIO timeline: one clip per shot, transitions between\n"
           "  --srt F        subtitles with one cue per shot (shot number, frames, how it begins)\n"
           "  --split DIR    write each shot as DIR/NAME-Shot-NNN.EXT, tagged with its timecode.\n"
           "                 auto (default): stream copy, frame-exact, when every shot starts on a\n"
           "                 closed-GOP key frame (always true for ProRes, DNxHD, MJPEG...); else\n"
           "                 every shot is re-encoded to H.264 CRF 18 / AAC in MP4.\n"
           "                 copy: stream copy or fail; encode: always re-encode.\n"
           "  --set N=V      a shots agent option (see `reel agents shots`)\n"
           "  --threads N    decoder (and encoder) threads\n"
           "  --width W      analysis width (default 320, as the ingest agent uses)\n\n"
           "example: reel shots take.mov --edl take.edl --split shots/\n");
}

static void print_table(const reel_shot_result *r, reel_rational fps)
{
    reel_shot_span *sp = NULL;
    int n = reel_shot_spans(r, &sp);
    printf("%-5s %8s %8s %8s\n", "shot", "start", "end", "frames");
    for (int i = 0; i < n; i++)
        printf("%-5d %8d %8d %8d\n", i + 1, sp[i].start, sp[i].end, sp[i].end - sp[i].start);
    free(sp);
    printf("\n%-9s %8s %7s %6s\n", "type", "frame", "length", "conf");
    for (int i = 0; i < r->n_trans; i++)
        printf("%-9s %8d %7d %6.2f\n", reel_trans_name(r->trans[i].type), r->trans[i].start,
               r->trans[i].length, r->trans[i].confidence);
    for (int i = 0; i < r->n_flashes; i++)
        printf("%-9s %8d %7d\n", "flash", r->flashes[i].frame, r->flashes[i].length);
    for (int i = 0; i < r->n_damage; i++)
        printf("%-9s %8d %7d\n", "damaged", r->damage[i].frame, r->damage[i].length);
    printf("\n%d shots, %d transitions, %d flashes at %d/%d fps\n", n, r->n_trans, r->n_flashes,
           fps.num, fps.den);
    if (r->n_damage)
        printf("%d damaged stretch%s (decode errors; never a shot boundary)\n", r->n_damage,
               r->n_damage == 1 ? "" : "es");
}

typedef struct shots_args {
    const char *edl, *otio, *srt, *split;
    split_mode mode;
    int threads, width;
    reel_opts opts;
} shots_args;

static int parse(int argc, char **argv, shots_args *a)
{
    static const struct option lo[] = {{"edl", required_argument, 0, 'e'}, {"otio", required_argument, 0, 'o'},
                                       {"set", required_argument, 0, 's'}, {"threads", required_argument, 0, 't'},
                                       {"width", required_argument, 0, 'w'}, {"split", required_argument, 0, 'S'},
                                       {"split-mode", required_argument, 0, 'M'}, {"srt", required_argument, 0, 'r'},
                                       {"help", no_argument, 0, 'h'}, {0}};
    int c;
    while ((c = getopt_long(argc, argv, "e:o:s:t:w:h", lo, NULL)) != -1) {
        reel_err e = {0};
        char *eq;
        switch (c) {
        case 'e': a->edl = optarg; break;
        case 'o': a->otio = optarg; break;
        case 't': a->threads = atoi(optarg); break;
        case 'w':
            a->width = atoi(optarg);
            if (a->width < 32 || a->width > 1920) return cli_usage("shots", "--width takes 32..1920");
            break;
        case 's':
            if (!(eq = strchr(optarg, '='))) return cli_usage("shots", "--set takes NAME=VALUE");
            *eq = 0;
            if (reel_opts_set(&a->opts, optarg, eq + 1, &e)) return cli_usage("shots", "%s", e.msg);
            break;
        case 'S': a->split = optarg; break;
        case 'r': a->srt = optarg; break;
        case 'M':
            if (!strcmp(optarg, "auto")) a->mode = SPLIT_AUTO;
            else if (!strcmp(optarg, "copy")) a->mode = SPLIT_COPY;
            else if (!strcmp(optarg, "encode")) a->mode = SPLIT_ENCODE;
            else return cli_usage("shots", "--split-mode takes auto, copy or encode (not '%s')", optarg);
            break;
        case 'h': usage(); return -1;
        default: return cli_usage("shots", "unknown option");
        }
    }
    return optind == argc - 1 ? 0 : cli_usage("shots", "name one file");
}

/* Analyse into a private temp folder: features JSON and the frame table. */
static int analyse(const char *path, int threads, int width, char *dir, reel_frames *fr, reel_rational *fps,
                   char tc[32], reel_err *e)
{
    char json[4200], frames[4200];
    snprintf(json, sizeof json, "%s/f.json", dir);
    snprintf(frames, sizeof frames, "%s/f.bin", dir);
    reel_ingest_cfg cfg = {.analysis_width = width, .audio = 0, .fast_decode = 1, .threads = threads,
                           .cancel = &g_cancel};
    int has_video = 0;
    int rc = reel_ingest_file(path, "clip", &cfg, json, frames, NULL, &has_video, e);
    if (!rc && !has_video) rc = reel_errf(e, REEL_EMEDIA, "%s: no video stream: shots need pictures", path);
    if (!rc) rc = reel_frames_load(frames, fr, e);
    reel_probe p;
    *fps = (reel_rational){25, 1};
    tc[0] = 0;
    if (!rc && !reel_media_probe(path, &p, NULL) && p.fps.num > 0) {
        *fps = p.fps;
        snprintf(tc, 32, "%s", p.timecode);
    }
    return rc;
}

static int split(const shots_args *a, const char *path, const reel_shot_result *r, const reel_frames *fr,
                 reel_rational fps, const char *tc, reel_err *e)
{
    split_args sa = {path, a->split, r, fr, fps, tc, a->mode, a->threads, &g_cancel};
    split_report rep;
    int rc = shots_split(&sa, &rep, e);
    if (!rc && !g_cli.quiet && !g_cli.json) {
        if (rep.copied) fprintf(stderr, "reel shots: wrote %d shots to %s by stream copy\n", rep.pieces, a->split);
        else if (a->mode == SPLIT_ENCODE) fprintf(stderr, "reel shots: wrote %d shots to %s, re-encoded to H.264/AAC\n", rep.pieces, a->split);
        else fprintf(stderr, "reel shots: wrote %d shots to %s, re-encoded to H.264/AAC: stream copy would not be frame-exact (%s)\n", rep.pieces, a->split, rep.why);
    }
    return rc;
}

int cmd_shots(int argc, char **argv)
{
    shots_args a = {0};
    if (reel_opts_init(&a.opts, reel_shots_option_table())) return EXIT_ERROR;
    int rc = parse(argc, argv, &a);
    if (rc) { reel_opts_free(&a.opts); return rc < 0 ? 0 : rc; }
    const char *path = argv[optind];
    char dir[] = "/tmp/reel-shots-XXXXXX", tc[32];
    reel_err e = {0};
    reel_frames fr = {0};
    reel_rational fps;
    reel_shot_params p;
    reel_shot_result r = {0};
    if (!mkdtemp(dir)) rc = reel_errf(&e, REEL_EIO, "cannot make a temporary folder");
    if (!rc) rc = analyse(path, a.threads, a.width ? a.width : 320, dir, &fr, &fps, tc, &e);
    reel_shots_params_from(&a.opts, &p);
    if (!rc) rc = reel_shots_detect(&fr, &p, &r);
    char json[4200];
    snprintf(json, sizeof json, "%s/shots.json", dir);
    char *abs = reel_abspath(path), url[4200];
    snprintf(url, sizeof url, "file://%s", abs ? abs : path);
    reel_shots_paths paths = {json, a.edl, a.otio, a.srt};
    if (!rc) rc = reel_shots_write(&r, reel_basename(path), path, url, fps, tc, &paths, &e);
    free(abs);
    if (!rc && a.split) rc = split(&a, path, &r, &fr, fps, tc, &e);
    if (!rc && g_cli.json) {
        char *text = NULL;
        if (!reel_read_file(json, &text, NULL, &e)) fputs(text, stdout);
        free(text);
    } else if (!rc && !g_cli.quiet) {
        print_table(&r, fps);
    }
    reel_rmtree(dir, NULL);
    reel_shot_result_free(&r);
    reel_frames_free(&fr);
    reel_opts_free(&a.opts);
    return rc ? cli_fail(&e) : 0;
}
