/* `reel grade FILE`: the colour agent on one file, outside a project. One decode pass through
 * the ingest engine into a temporary folder, shot detection, then the same decisions the agent
 * makes (shot matching by CDL, deflicker, the look from reference stills or a named look, the
 * time of day), written as .cube, .ccc, EDL and a report, and with --out a graded render. */
#include "agents/color.h"
#include "agents/ingest.h"
#include "agents/shots.h"
#include "cli/cli.h"
#include "color/render.h"
#include "util/fsutil.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(void)
{
    printf("usage: reel grade FILE [--look REF|NAME]... [--time-of-day T] [--strength S]\n"
           "                  [--preserve-luminance P] [--protect-skin P] [--protect-neutrals P]\n"
           "                  [--match|--no-match] [--hero N] [--deflicker|--no-deflicker]\n"
           "                  [--cube OUT.cube] [--lut-size N] [--cdl OUT.ccc] [--edl OUT.edl]\n"
           "                  [--report OUT.json] [-o|--out GRADED.mov|GRADED.mp4] [--threads N]\n\n"
           "Grades FILE as the colour agent grades a project, in this order per frame:\n"
           "  deflicker   exposure and white-balance flicker inside a shot evened out (steps such\n"
           "              as a light switched on, flashes and cuts stay); --no-deflicker to skip\n"
           "  match       each shot brought to the hero shot (the longest well-exposed one, or\n"
           "              --hero N) by one ASC CDL: black, mid and white levels, white balance and\n"
           "              saturation; --no-match to skip\n"
           "  look        --look REF.jpg (a still or a clip; repeat for several): the footage's\n"
           "              colours moved toward the reference's (Monge-Kantorovich map, then sliced\n"
           "              optimal transport, in Oklab), with --strength, --preserve-luminance\n"
           "              (1: colour only), --protect-skin and --protect-neutrals (0..1);\n"
           "              or a named look: %s\n"
           "  time of day --time-of-day: %s\n\n"
           "Writes what is asked: --cube the look as a 3D LUT (--lut-size points, default 33;\n"
           "Resolve, Premiere, ffmpeg's lut3d read it), --cdl one ColorCorrection per shot (.ccc),\n"
           "--edl the shots with *ASC_SOP / *ASC_SAT, --report everything as JSON (also printed\n"
           "with --json). -o renders the graded file: .mov as ProRes 422 HQ with PCM audio, .mp4\n"
           "as H.264 (CRF 16) with AAC; the file appears only when complete. FILE is only read.\n"
           "Prints each shot's CDL and its colour distance to the hero before and after.\n\n"
           "examples: reel grade take.mov --look looks/ref.jpg --cube look.cube -o graded.mov\n"
           "          reel grade day.mp4 --look day_for_night --time-of-day night -o night.mp4\n",
           reel_grade_names(reel_named_looks), reel_grade_names(reel_times_of_day));
    printf("\nnamed looks (parameters in src/color/grade.c):\n");
    for (const reel_grade_entry *g = reel_named_looks; g->name; g++) printf("  %-14s %s\n", g->name, g->help);
    printf("\ntimes of day (the scene variable time_of_day in a project):\n");
    for (const reel_grade_entry *g = reel_times_of_day; g->name; g++) printf("  %-14s %s\n", g->name, g->help);
}

typedef struct gargs {
    reel_opts opts;
    const char *refs[16];
    int n_refs, threads, hero;
    const char *cube, *cdl, *edl, *report, *out, *tod;
} gargs;

static int set(gargs *a, const char *name, const char *value)
{
    reel_err e = {0};
    return reel_opts_set(&a->opts, name, value, &e) ? cli_usage("grade", "%s", e.msg) : 0;
}

/* --look: an existing file is a reference; anything else must be a named look. */
static int take_look(gargs *a, const char *v)
{
    struct stat st;
    if (stat(v, &st) == 0 && !S_ISDIR(st.st_mode)) {
        if (a->n_refs == 16) return cli_usage("grade", "at most 16 look references");
        a->refs[a->n_refs++] = v;
        return 0;
    }
    if (!reel_grade_find(reel_named_looks, v))
        return cli_usage("grade", "--look '%s' is neither a file nor a named look (%s)", v,
                         reel_grade_names(reel_named_looks));
    return set(a, "look", v);
}

static int parse(int argc, char **argv, gargs *a)
{
    static const struct option lo[] = {
        {"look", required_argument, 0, 'l'}, {"time-of-day", required_argument, 0, 'T'},
        {"strength", required_argument, 0, 's'}, {"preserve-luminance", required_argument, 0, 'P'},
        {"protect-skin", required_argument, 0, 'K'}, {"protect-neutrals", required_argument, 0, 'N'},
        {"match", no_argument, 0, 'm'}, {"no-match", no_argument, 0, 'M'}, {"hero", required_argument, 0, 'H'},
        {"deflicker", no_argument, 0, 'd'}, {"no-deflicker", no_argument, 0, 'D'},
        {"cube", required_argument, 0, 'c'}, {"lut-size", required_argument, 0, 'z'},
        {"cdl", required_argument, 0, 'C'}, {"edl", required_argument, 0, 'e'},
        {"report", required_argument, 0, 'r'}, {"out", required_argument, 0, 'o'},
        {"threads", required_argument, 0, 't'}, {"help", no_argument, 0, 'h'}, {0}};
    int c, rc = 0;
    while (!rc && (c = getopt_long(argc, argv, "o:t:h", lo, NULL)) != -1) {
        switch (c) {
        case 'l': rc = take_look(a, optarg); break;
        case 'T':
            if (!reel_grade_find(reel_times_of_day, optarg))
                return cli_usage("grade", "--time-of-day takes %s (not '%s')", reel_grade_names(reel_times_of_day), optarg);
            a->tod = optarg;
            break;
        case 's': rc = set(a, "strength", optarg); break;
        case 'P': rc = set(a, "preserve_luminance", optarg); break;
        case 'K': rc = set(a, "protect_skin", optarg); break;
        case 'N': rc = set(a, "protect_neutrals", optarg); break;
        case 'm': rc = set(a, "match", "clip"); break;
        case 'M': rc = set(a, "match", "off"); break;
        case 'H':
            a->hero = atoi(optarg);
            if (a->hero < 1) return cli_usage("grade", "--hero takes a shot number from 1");
            break;
        case 'd': rc = set(a, "deflicker", "true"); break;
        case 'D': rc = set(a, "deflicker", "false"); break;
        case 'c': a->cube = optarg; break;
        case 'z': rc = set(a, "lut_size", optarg); break;
        case 'C': a->cdl = optarg; break;
        case 'e': a->edl = optarg; break;
        case 'r': a->report = optarg; break;
        case 'o': a->out = optarg; break;
        case 't': a->threads = atoi(optarg); break;
        case 'h': usage(); return -1;
        default: return cli_usage("grade", "unknown option");
        }
    }
    if (rc) return rc;
    if (a->n_refs && strcmp(reel_opts_str(&a->opts, "look"), "auto"))
        return cli_usage("grade", "--look takes reference pictures or one named look, not both");
    return optind == argc - 1 ? 0 : cli_usage("grade", "name one file");
}

static void on_analyse(double frac, void *opaque)
{
    fprintf(stderr, "\rreel grade: analysing %3d%%", (int)(frac * 100));
}

/* The analysis files in the temporary folder. */
typedef struct work {
    char json[4200], frames[4200], poster[4200], shots[4200];
} work;

static void work_in(work *w, const char *dir)
{
    snprintf(w->json, sizeof w->json, "%s/f.json", dir);
    snprintf(w->frames, sizeof w->frames, "%s/f.bin", dir);
    snprintf(w->poster, sizeof w->poster, "%s/poster.png", dir);
    snprintf(w->shots, sizeof w->shots, "%s/shots.json", dir);
}

/* Ingest FILE into w (features, frame table, poster) and find its shots (w->shots). */
static int analyse(const char *path, int threads, const work *w, reel_err *e)
{
    reel_ingest_cfg cfg = {.analysis_width = 320, .audio = 0, .fast_decode = 1, .threads = threads,
                           .cancel = &g_cancel};
    if (isatty(2) && !g_cli.quiet && !g_cli.json) cfg.progress = on_analyse;
    int has_video = 0;
    int rc = reel_ingest_file(path, "clip", &cfg, w->json, w->frames, w->poster, &has_video, e);
    if (cfg.progress) fprintf(stderr, "\r%40s\r", "");
    if (!rc && !has_video) rc = reel_errf(e, REEL_EMEDIA, "%s: no video stream: nothing to grade", path);
    reel_frames fr = {0};
    if (!rc) rc = reel_frames_load(w->frames, &fr, e);
    reel_shot_params p;
    reel_shot_params_default(&p);
    reel_shot_result r = {0};
    if (!rc) rc = reel_shots_detect(&fr, &p, &r);
    reel_probe pr;
    reel_rational fps = {25, 1};
    if (!rc && !reel_media_probe(path, &pr, NULL) && pr.fps.num > 0) fps = pr.fps;
    reel_shots_paths paths = {w->shots, NULL, NULL, NULL};
    if (!rc) rc = reel_shots_write(&r, "clip", path, path, fps, NULL, &paths, e);
    reel_shot_result_free(&r);
    reel_frames_free(&fr);
    return rc;
}

static int check_out(const char *in, const char *out, reel_err *e)
{
    const char *dot = strrchr(out, '.');
    if (!dot || (strcmp(dot, ".mov") && strcmp(dot, ".mp4")))
        return reel_errf(e, REEL_EINVAL, "%s: the graded render is a .mov (ProRes 422 HQ) or an .mp4 (H.264)", out);
    char *a = reel_abspath(in), *b = reel_abspath(out);
    int same = a && b && !strcmp(a, b);
    free(a), free(b);
    return same ? reel_errf(e, REEL_EINVAL, "%s: refusing to write over the camera original", out) : 0;
}

static void on_progress(double frac, void *opaque)
{
    fprintf(stderr, "\rreel grade: rendering %3d%%", (int)(frac * 100));
}

static int render(const gargs *a, const reel_grade_clip *c, const reel_grade_result *r, const char *path, reel_err *e)
{
    int mov = !strcmp(strrchr(a->out, '.'), ".mov");
    reel_enc_opts eo = {.container = mov ? "mov" : "mp4", .vcodec = mov ? "prores" : "h264", .crf = 16,
                        .preset = "medium", .acodec = mov ? "pcm_s24le" : "aac", .threads = 1};
    reel_render_opts ro = {.enc = &eo, .threads = a->threads, .cancel = &g_cancel};
    if (isatty(2) && !g_cli.quiet && !g_cli.json) ro.progress = on_progress;
    int rc = reel_grade_render(c, r, path, a->out, &ro, e);
    if (ro.progress) fprintf(stderr, "\r%40s\r", "");
    return rc;
}

static int write_files(const gargs *a, const reel_grade_clip *c, const reel_grade_result *r, reel_err *e)
{
    int rc = 0;
    if (!rc && a->cube) rc = reel_grade_write_cube(r, a->cube, e);
    if (!rc && a->cdl) rc = reel_grade_write_ccc(c, 1, a->cdl, e);
    if (!rc && a->edl) rc = reel_grade_write_edl(c, 1, a->edl, e);
    if (!rc && a->report) rc = reel_grade_write_report(r, a->report, e);
    return rc;
}

static void print_summary(const reel_grade_clip *c, const reel_grade_result *r, int matched)
{
    printf("%-5s %7s %7s  %-51s %s\n", "shot", "start", "frames", "CDL slope / offset / power / sat",
           matched ? "to hero: dE2000 before -> after" : "");
    for (int s = 0; s < c->n_shots; s++) {
        const reel_cdl *d = &c->cdl[s];
        printf("%-5d %7d %7d  %.3f %.3f %.3f / %+.3f %+.3f %+.3f / %.2f / %.2f", s + 1, c->shots[s].start,
               c->shots[s].end - c->shots[s].start, d->slope[0], d->slope[1], d->slope[2], d->offset[0],
               d->offset[1], d->offset[2], d->power[0], d->sat);
        if (matched && c->hero_of[s] == s) printf("   hero\n");
        else if (matched) printf("   %.2f -> %.2f\n", c->before[s].de2000, c->after[s].de2000);
        else printf("\n");
    }
    printf("\nlook: %s; colour: %s\n", r->look_name, c->colour_note);
    if (c->gains)
        printf("deflicker: %d of %d frames evened out (largest gain change %.1f%%), %d step%s and %d event "
               "frame%s kept\n", c->dstats.frames_changed, c->frames.n_frames, 100 * c->dstats.max_gain_dev,
               c->dstats.steps_kept, c->dstats.steps_kept == 1 ? "" : "s", c->dstats.events_kept,
               c->dstats.events_kept == 1 ? "" : "s");
}

static int grade(gargs *a, const char *path, const work *w, reel_err *e)
{
    char hero[300];
    const char *name = reel_basename(path);
    reel_grade_clip c;
    int rc = reel_grade_clip_load(&c, name, name, w->json, w->frames, w->shots, w->poster, e);
    reel_grade_opts o;
    reel_color_opts_from(&a->opts, &o);
    o.refs = a->refs, o.n_refs = a->n_refs, o.time_of_day = a->tod, o.cancel = &g_cancel;
    if (a->hero) snprintf(hero, sizeof hero, "%s#%d", name, a->hero), o.hero = hero;
    reel_grade_result r = {0};
    if (!rc) rc = reel_grade_decide(&c, 1, &o, &r, e);
    if (!rc) rc = write_files(a, &c, &r, e);
    if (!rc && a->out) rc = render(a, &c, &r, path, e);
    if (!rc && g_cli.json) {
        char *s = json_dumps(r.report, JSON_COMPACT | JSON_REAL_PRECISION(6));
        if (s) printf("%s\n", s);
        free(s);
    } else if (!rc && !g_cli.quiet) {
        print_summary(&c, &r, o.match != REEL_MATCH_OFF);
    }
    reel_grade_result_free(&r);
    reel_grade_clip_free(&c);
    return rc;
}

int cmd_grade(int argc, char **argv)
{
    gargs a = {0};
    if (reel_opts_init(&a.opts, reel_color_option_table())) return EXIT_ERROR;
    int rc = parse(argc, argv, &a);
    if (rc) {
        reel_opts_free(&a.opts);
        return rc < 0 ? 0 : rc;
    }
    const char *path = argv[optind];
    char dir[] = "/tmp/reel-grade-XXXXXX";
    reel_err e = {0};
    if (a.out) rc = check_out(path, a.out, &e);
    if (!rc && !mkdtemp(dir)) rc = reel_errf(&e, REEL_EIO, "cannot make a temporary folder");
    else if (!rc) {
        work w;
        work_in(&w, dir);
        rc = analyse(path, a.threads, &w, &e);
        if (!rc) rc = grade(&a, path, &w, &e);
        reel_rmtree(dir, NULL);
    }
    reel_opts_free(&a.opts);
    return rc ? cli_fail(&e) : 0;
}
