/* `reel qc FILE`: check a file as a broadcaster's QC would, against a delivery spec, with
 * report.json and a self-contained report.html. */
#include "cli/cli.h"
#include "qc/qc.h"
#include "util/fsutil.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(void)
{
    printf("usage: reel qc FILE [--spec NAME] [--report REPORT.json] [--html REPORT.html]\n                      [--frames FRAMES.csv]\n\n"
           "Checks FILE in one decode pass and lists every finding with its timecode and\n"
           "severity. The file passes when there is no error; warnings are for a person to look at.\n\n"
           "specs (--spec, default content):\n");
    for (const reel_qc_spec *s = reel_qc_specs(); s->name; s++) printf("  %-8s %s\n", s->name, s->title);
    printf("\nchecks:\n"
           "  container  codec, profile, pixel format, size, frame rate, colour tags and range,\n"
           "             audio codec, rate and channels, as the spec names them\n"
           "  loudness   integrated (or dialogue-gated) loudness and true peak against the spec\n"
           "  black      black segments (at least the spec's length), lone black frames\n"
           "  freeze     the same picture for the spec's length or longer\n"
           "  decode     frames the decoder reported damaged (corrupt or lost data)\n"
           "  glitch     blocks of garbage the decoder did not report (broken block edges)\n"
           "  levels     luma or RGB outside EBU R103 on more than 1%% of the picture\n"
           "  flash      photosensitive flashing, after ITU-R BT.1702 and the Ofcom rule: more\n"
           "             than 3 flashes in a second over a quarter of the screen (luminance\n"
           "             changes of 20 cd/m2 on a 200 cd/m2 display, or saturated red)\n"
           "  clipping   runs of 3 or more samples at full scale\n"
           "  dropout    holes of exact digital silence (5 ms or more) inside live sound\n"
           "  silence    under -60 dBFS mid-programme for the spec's length or longer\n"
           "  phase      left and right in anti-phase (correlation -0.5 or less) for 1 s or more\n\n"
           "  --report F  write the findings, loudness and per-second curves as JSON\n"
           "  --html F    write a self-contained page with thumbnails and plots\n"
           "  --frames F  write every frame's measures as CSV (levels, black share, difference\n"
           "              from the previous frame, broken block edges, flash transitions)\n\n"
           "Exit status: 0 passed, 3 failed (errors found), 1 the file cannot be read.\n\n"
           "examples: reel qc master.mov --spec netflix --html qc.html\n"
           "          reel qc web.mp4 --spec web --report qc.json\n");
}

typedef struct qargs {
    const reel_qc_spec *spec;
    const char *report, *html, *frames;
} qargs;

static int parse(int argc, char **argv, qargs *a)
{
    static const struct option lo[] = {{"spec", required_argument, 0, 's'}, {"report", required_argument, 0, 'r'},
                                       {"html", required_argument, 0, 'H'}, {"frames", required_argument, 0, 'f'},
                                       {"help", no_argument, 0, 'h'}, {0}};
    int c;
    a->spec = reel_qc_spec_find("content");
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (c) {
        case 's':
            if (!(a->spec = reel_qc_spec_find(optarg)))
                return cli_usage("qc", "unknown spec '%s' (content, netflix, ebu, atsc, web)", optarg);
            break;
        case 'r': a->report = optarg; break;
        case 'H': a->html = optarg; break;
        case 'f': a->frames = optarg; break;
        case 'h': usage(); return -1;
        default: return cli_usage("qc", "unknown option");
        }
    }
    return optind == argc - 1 ? 0 : cli_usage("qc", "name one file");
}

static void on_progress(double frac, void *opaque)
{
    (void)opaque;
    fprintf(stderr, "\rreel qc: %3.0f%%", frac * 100);
    fflush(stderr);
}

static void print_report(const reel_qc_report *r)
{
    const reel_loudness *l = &r->loud;
    printf("%s against %s\n", r->path, r->spec->title);
    if (r->na)
        printf("  loudness %.1f LUFS integrated, %.1f dialogue-gated, true peak %.2f dBTP\n", l->integrated,
               l->speech_integrated, l->true_peak);
    for (int i = 0; i < r->nf; i++) {
        const reel_qc_finding *f = &r->f[i];
        printf("  %-7s %-9s %-12s %s\n", reel_qc_sev_name(f->sev), f->check, f->t0 < 0 ? "file" : f->tc, f->msg);
    }
    printf("%s: %d error%s, %d warning%s\n", r->errors ? "FAIL" : "PASS", r->errors, r->errors == 1 ? "" : "s",
           r->warnings, r->warnings == 1 ? "" : "s");
}

static int write_outputs(const qargs *a, const reel_qc_report *r, reel_err *e)
{
    json_t *j = reel_qc_report_json(r);
    char *text = j ? json_dumps(j, JSON_INDENT(1) | JSON_REAL_PRECISION(6)) : NULL;
    json_decref(j);
    if (!text) return reel_errf(e, REEL_ENOMEM, "out of memory");
    int rc = a->report ? reel_write_atomic(a->report, text, strlen(text), e) : 0;
    if (!rc && a->html) rc = reel_qc_write_html(r, a->html, e);
    if (!rc && a->frames) rc = reel_qc_write_frames_csv(r, a->frames, e);
    if (!rc && g_cli.json) printf("%s\n", text);
    free(text);
    return rc;
}

int cmd_qc(int argc, char **argv)
{
    qargs a = {0};
    int rc = parse(argc, argv, &a);
    if (rc) return rc < 0 ? 0 : rc;
    reel_qc_opts o = {.spec = a.spec, .cancel = &g_cancel};
    if (isatty(2) && !g_cli.quiet && !g_cli.json) o.progress = on_progress;
    reel_err e = {0};
    reel_qc_report r;
    rc = reel_qc_run(argv[optind], &o, &r, &e);
    if (o.progress) fprintf(stderr, "\r%20s\r", "");
    if (rc) return cli_fail(&e);
    rc = write_outputs(&a, &r, &e);
    if (!rc && !g_cli.json && !g_cli.quiet) print_report(&r);
    int failed = r.errors > 0;
    reel_qc_report_free(&r);
    if (rc) return cli_fail(&e);
    return failed ? EXIT_PARTIAL : EXIT_OK;
}
