/* Single-file tools: `reel probe FILE` and `reel ingest FILE`. */
#include "agents/ingest.h"
#include "cli/cli.h"
#include "util/fsutil.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void probe_text(const char *path, const reel_probe *p)
{
    printf("%s\n  format: %s, duration %.3f s, %lld kb/s\n", path, p->format, p->duration,
           (long long)(p->bit_rate / 1000));
    if (p->has_video)
        printf("  video: %s %s %dx%d SAR %d:%d, %d/%d fps (%.3f)%s, %lld frames, colour %s/%s/%s/%s%s%s\n",
               p->vcodec, p->pix_fmt, p->width, p->height, p->sar.num, p->sar.den, p->fps.num,
               p->fps.den, p->fps.den ? (double)p->fps.num / p->fps.den : 0, p->vfr ? " VFR" : "",
               (long long)p->nb_frames, p->color_space[0] ? p->color_space : "?",
               p->color_range[0] ? p->color_range : "?", p->color_primaries[0] ? p->color_primaries : "?",
               p->color_trc[0] ? p->color_trc : "?", p->timecode[0] ? ", timecode " : "", p->timecode);
    if (p->has_audio)
        printf("  audio: %s %d Hz, %d ch (%s), %s\n", p->acodec, p->sample_rate, p->channels,
               p->layout, p->sample_fmt);
}

int cmd_probe(int argc, char **argv)
{
    if (cli_wants_help(argc, argv) || argc < 2) {
        printf("usage: reel probe FILE... [--json]\n\nDescribes each file: container, streams, "
               "codecs, size, frame rate (exact\nrational), colour tags, start timecode "
               "(drop-frame shown with ';'), audio layout.\nFiles are opened with the same "
               "safety limits as every other reel command.\n");
        return argc < 2 && !cli_wants_help(argc, argv) ? EXIT_USAGE : 0;
    }
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        reel_probe p;
        reel_err e = {0};
        if (reel_media_probe(argv[i], &p, &e)) {
            cli_fail(&e);
            bad = 1;
            continue;
        }
        if (g_cli.json) {
            json_t *o = reel_probe_json(&p);
            json_object_set_new(o, "path", json_string(argv[i]));
            char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(6));
            if (s) printf("%s\n", s);
            free(s);
            json_decref(o);
        } else {
            probe_text(argv[i], &p);
        }
    }
    return bad ? EXIT_ERROR : 0;
}

static void show_progress(double frac, void *opaque)
{
    if (!g_cli.quiet && !g_cli.json && isatty(STDERR_FILENO)) fprintf(stderr, "\ringest %3.0f%%", frac * 100);
}

static void show_warning(const char *msg, void *opaque)
{
    reel_log(REEL_LOG_WARN, "%s", msg);
}

int cmd_ingest(int argc, char **argv)
{
    static const struct option lo[] = {{"output", required_argument, 0, 'o'},
                                       {"threads", required_argument, 0, 't'},
                                       {"width", required_argument, 0, 'w'},
                                       {"exact-decode", no_argument, 0, 'x'},
                                       {"help", no_argument, 0, 'h'}, {0}};
    const char *outdir = ".";
    reel_ingest_cfg cfg = {.analysis_width = 320, .audio = 1, .fast_decode = 1, .cancel = &g_cancel,
                           .progress = show_progress, .warn = show_warning};
    int c;
    while ((c = getopt_long(argc, argv, "o:t:w:xh", lo, NULL)) != -1) {
        if (c == 'o') outdir = optarg;
        else if (c == 't') cfg.threads = atoi(optarg);
        else if (c == 'w') cfg.analysis_width = atoi(optarg);
        else if (c == 'x') cfg.fast_decode = 0;
        else if (c == 'h') {
            printf("usage: reel ingest FILE [-o DIR] [--threads N] [--width W] [--exact-decode]\n\nAnalyses one "
                   "file in a single decode pass, as the ingest agent does, and writes\nDIR/NAME."
                   "json (summary, loudness, speech), DIR/NAME.frames.bin (per-frame table)\nand "
                   "DIR/NAME.jpg (poster). --exact-decode keeps the in-loop deblocking filter\n(slower; "
                   "see `reel agents ingest`, option fast_decode).\n");
            return 0;
        } else return cli_usage("ingest", "unknown option");
    }
    if (optind != argc - 1) return cli_usage("ingest", "name one file");
    if (cfg.analysis_width < 32 || cfg.analysis_width > 1920) return cli_usage("ingest", "--width takes 32..1920");
    const char *path = argv[optind];
    char name[256], json[4096], frames[4096], poster[4096];
    snprintf(name, sizeof name, "%s", reel_basename(path));
    char *dot = strrchr(name, '.');
    if (dot && dot != name) *dot = 0;
    snprintf(json, sizeof json, "%s/%s.json", outdir, name);
    snprintf(frames, sizeof frames, "%s/%s.frames.bin", outdir, name);
    snprintf(poster, sizeof poster, "%s/%s.jpg", outdir, name);
    char tj[4200], tf[4200], tp[4200]; /* written beside, renamed when whole; the extension
                                          stays last because it picks the image codec */
    snprintf(tj, sizeof tj, "%s/.%s.partial.json", outdir, name);
    snprintf(tf, sizeof tf, "%s/.%s.partial.bin", outdir, name);
    snprintf(tp, sizeof tp, "%s/.%s.partial.jpg", outdir, name);
    reel_err e = {0};
    int has_video = 0;
    int rc = reel_mkdirs(outdir, &e);
    if (!rc) rc = reel_ingest_file(path, name, &cfg, tj, tf, tp, &has_video, &e);
    if (!g_cli.quiet && !g_cli.json && isatty(STDERR_FILENO)) fprintf(stderr, "\r\033[K");
    if (!rc && (rename(tf, frames) || rename(tj, json) || (has_video && rename(tp, poster))))
        rc = reel_errf(&e, REEL_EIO, "%s: cannot rename outputs into place", outdir);
    if (rc) {
        unlink(tj), unlink(tf), unlink(tp);
        return cli_fail(&e);
    }
    if (!g_cli.quiet) printf("%s\n%s\n%s", json, frames, has_video ? poster : "");
    if (!g_cli.quiet && has_video) printf("\n");
    return 0;
}
