/* `reel dialogue FILE`: cleanup (hum, noise) and loudness to a delivery preset, as a broadcast
 * WAV, with a report. */
#include "audio/dialogue.h"
#include "cli/cli.h"
#include "util/fsutil.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(void)
{
    printf("usage: reel dialogue FILE [--preset NAME] [--target LUFS] [--true-peak DBTP] [--level]\n"
           "                    [--denoise [--strength S]] [--dehum auto|off|50|60]\n"
           "                    [--declip auto|off] [--declick [--click-threshold T]]\n"
           "                    [-o OUT.wav] [--bits 16|24|32f] [--report REPORT.json]\n\n"
           "Measures the loudness of FILE's audio (ITU-R BS.1770-4 / EBU R128: integrated,\n"
           "loudness range, momentary and short-term maxima, true peak, and the dialogue-gated\n"
           "loudness with the share of the programme that is speech). With -o, normalises it to\n"
           "the preset: one gain to the target, then a look-ahead true-peak limiter under the\n"
           "ceiling, written as a broadcast WAV (bext: origination, timecode reference and the\n"
           "loudness of what was written). The file appears only when complete.\n\n"
           "presets:\n");
    for (const reel_loud_preset *p = reel_loud_presets(); p->name; p++)
        if (isfinite(p->target)) printf("  %-9s %-26s %6.1f LUFS%s, %.1f dBTP\n", p->name, p->title, p->target,
               p->dialogue_gated ? " dialogue-gated" : "", p->true_peak);
    printf("  custom    --target and --true-peak (either may also adjust a named preset)\n"
           "  none      the level is kept: no gain, no limiter (cleanup only)\n\n"
           "cleanup, before leveling and loudness (with -o), in this order:\n"
           "  --declip M  auto (default) scans the programme for digital clipping (runs of equal\n"
           "              samples at its extremes, top and bottom apart) and rebuilds the clipped\n"
           "              peaks by AR interpolation, held at or beyond the clip level; off\n"
           "  --declick   finds clicks (a sample the past cannot predict, up to 1 ms to one the\n"
           "              future cannot) and rebuilds them by AR interpolation\n"
           "  --click-threshold T  how far over the prediction error's usual level a click\n"
           "              stands (default 14; lower finds more and touches more speech)\n"
           "  --dehum M   mains hum: auto (default) searches the programme for 50 or 60 Hz and\n"
           "              their harmonics and removes the lines found, tracking drift; 50 or 60\n"
           "              names the mains; off leaves hum alone\n"
           "  --denoise   noise reduction: a spectral suppressor that learns the noise floor as\n"
           "              it goes (no noise-only section needed), phase-faithful and time-aligned\n"
           "  --strength S  0 to 1, how deep it may cut the noise (default 0.7: up to 17 dB)\n\n"
           "  --level     dialogue leveling first: each line is brought toward the median speech\n"
           "              loudness (up to 10 dB either way), the gain riding under speech and\n"
           "              holding still through pauses, so room tone is not pumped\n"
           "  --bits      16 or 24 (PCM, TPDF-dithered) or 32f (float); default 24\n"
           "  --report F  the before/after figures as JSON (also printed with --json)\n\n"
           "Rebuilt peaks may go over 0 dBFS: with --preset none, write them with --bits 32f\n"
           "(PCM clips them again); with a preset, the limiter brings them under the ceiling.\n\n"
           "examples: reel dialogue scene12.mov --preset netflix -o scene12.wav\n"
           "          reel dialogue take3.wav --preset none --denoise -o take3_clean.wav\n"
           "          reel dialogue hot.wav --preset ebu --declick -o hot_fixed.wav\n");
}

typedef struct dargs {
    reel_dialogue_opts o;
    const char *report;
} dargs;

static int parse(int argc, char **argv, dargs *a)
{
    static const struct option lo[] = {{"preset", required_argument, 0, 'p'}, {"target", required_argument, 0, 'T'},
                                       {"true-peak", required_argument, 0, 'P'}, {"output", required_argument, 0, 'o'},
                                       {"bits", required_argument, 0, 'b'}, {"report", required_argument, 0, 'r'},
                                       {"level", no_argument, 0, 'l'}, {"denoise", no_argument, 0, 'n'},
                                       {"strength", required_argument, 0, 's'}, {"dehum", required_argument, 0, 'H'},
                                       {"declip", required_argument, 0, 'C'}, {"declick", no_argument, 0, 'K'},
                                       {"click-threshold", required_argument, 0, 'k'},
                                       {"help", no_argument, 0, 'h'}, {0}};
    const reel_loud_preset *p = reel_loud_preset_find("ebu");
    a->o.preset = *p;
    a->o.fmt = REEL_WAV_PCM24;
    a->o.strength = 0.7;
    double target = NAN, tp = NAN;
    int c, custom = 0;
    char *end;
    while ((c = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
        switch (c) {
        case 'p':
            custom = !strcmp(optarg, "custom");
            if (custom) break;
            if (!(p = reel_loud_preset_find(optarg)))
                return cli_usage("dialogue", "unknown preset '%s' (ebu, atsc, netflix, apple, spotify, youtube, none, custom)", optarg);
            a->o.preset = *p;
            break;
        case 'T':
            target = strtod(optarg, &end);
            if (*end || !(target >= -70 && target <= -5)) return cli_usage("dialogue", "--target takes LUFS between -70 and -5");
            break;
        case 'P':
            tp = strtod(optarg, &end);
            if (*end || !(tp >= -20 && tp <= 0)) return cli_usage("dialogue", "--true-peak takes dBTP between -20 and 0");
            break;
        case 'o': a->o.out = optarg; break;
        case 'b':
            if (!strcmp(optarg, "16")) a->o.fmt = REEL_WAV_PCM16;
            else if (!strcmp(optarg, "24")) a->o.fmt = REEL_WAV_PCM24;
            else if (!strcmp(optarg, "32f")) a->o.fmt = REEL_WAV_FLOAT32;
            else return cli_usage("dialogue", "--bits takes 16, 24 or 32f");
            break;
        case 'r': a->report = optarg; break;
        case 'l': a->o.level = 1; break;
        case 'n': a->o.denoise = 1; break;
        case 's':
            a->o.strength = strtod(optarg, &end);
            if (*end || !(a->o.strength >= 0 && a->o.strength <= 1)) return cli_usage("dialogue", "--strength takes 0 to 1");
            break;
        case 'H':
            if (!strcmp(optarg, "auto")) a->o.dehum = REEL_DEHUM_AUTO;
            else if (!strcmp(optarg, "off")) a->o.dehum = REEL_DEHUM_OFF;
            else if (!strcmp(optarg, "50") || !strcmp(optarg, "60")) a->o.dehum = atoi(optarg);
            else return cli_usage("dialogue", "--dehum takes auto, off, 50 or 60");
            break;
        case 'C':
            if (!strcmp(optarg, "auto")) a->o.declip = REEL_DECLIP_AUTO;
            else if (!strcmp(optarg, "off")) a->o.declip = REEL_DECLIP_OFF;
            else return cli_usage("dialogue", "--declip takes auto or off");
            break;
        case 'K': a->o.declick = a->o.declick > 0 ? a->o.declick : REEL_CLICK_THRESHOLD; break;
        case 'k':
            a->o.declick = strtod(optarg, &end);
            if (*end || !(a->o.declick >= 3 && a->o.declick <= 50)) return cli_usage("dialogue", "--click-threshold takes 3 to 50");
            break;
        case 'h': usage(); return -1;
        default: return cli_usage("dialogue", "unknown option");
        }
    }
    if (custom && (isnan(target) || isnan(tp))) return cli_usage("dialogue", "--preset custom needs --target and --true-peak");
    if (custom) a->o.preset = (reel_loud_preset){"custom", "custom", target, tp, 0};
    if (!strcmp(a->o.preset.name, "none") && (!isnan(target) || !isnan(tp)))
        return cli_usage("dialogue", "--preset none keeps the level: --target and --true-peak do not apply");
    if (!isnan(target)) a->o.preset.target = target;
    if (!isnan(tp)) a->o.preset.true_peak = tp;
    return optind == argc - 1 ? 0 : cli_usage("dialogue", "name one file");
}

static void on_progress(const char *stage, double frac, void *opaque)
{
    (void)opaque;
    fprintf(stderr, "\rreel dialogue: %s %3.0f%%", stage, frac * 100);
    fflush(stderr);
}

static void line(const char *what, double v, const char *unit)
{
    if (isfinite(v)) printf("  %-22s %8.2f %s\n", what, v, unit);
    else printf("  %-22s %8s\n", what, "-");
}

static void print_loud(const char *title, const reel_loudness *l)
{
    printf("%s (%.2f s, %d Hz, %d ch)\n", title, l->seconds, l->rate, l->channels);
    line("integrated", l->integrated, "LUFS");
    line("dialogue-gated", l->speech_integrated, "LUFS");
    printf("  %-22s %8.1f %%\n", "speech", l->speech_ratio * 100);
    line("loudness range", l->range, "LU");
    line("true peak", l->true_peak, "dBTP");
    line("max momentary", l->max_momentary, "LUFS");
    line("max short-term", l->max_short_term, "LUFS");
}

static void print_cleanup(const dargs *a, const reel_dialogue_report *r)
{
    const reel_hum *h = &r->hum;
    if (a->o.dehum != REEL_DEHUM_OFF && h->f0 > 0) {
        printf("\nhum: %.3f Hz, %d harmonic%s (", h->f0, h->n, h->n == 1 ? "" : "s");
        for (int i = 0; i < h->n; i++) printf("%s%d", i ? " " : "", h->k[i]);
        printf(")%s", isfinite(h->level_db) ? "" : ", not found: the named mains' first harmonics");
        if (isfinite(h->level_db)) printf(", %.1f dB of the programme", h->level_db);
        if (r->hum_removed) printf("; removed %.1f dB", r->hum_removed_db);
        printf("\n");
    } else if (a->o.dehum != REEL_DEHUM_OFF) {
        printf("\nhum: none found\n");
    }
    const reel_clipping *c = &r->clip;
    if (a->o.declip != REEL_DECLIP_OFF && c->found) {
        printf("clipping: %lld samples at", c->samples);
        if (c->hi > 0) printf(" top %+.2f dBFS (%lld flat runs)", 20 * log10(c->hi), c->hi_runs);
        if (c->lo < 0) printf("%s bottom %+.2f dBFS (%lld flat runs)", c->hi > 0 ? "," : "", 20 * log10(-c->lo), c->lo_runs);
        if (r->cleaned) printf("; %lld rebuilt", r->declipped);
        printf("\n");
    } else if (a->o.declip != REEL_DECLIP_OFF) {
        printf("clipping: none found\n");
    }
    if (a->o.declick > 0 && r->cleaned) printf("clicks: %lld found, %lld samples rebuilt\n", r->clicks, r->click_samples);
    if (a->o.denoise && r->cleaned) printf("noise reduction: strength %.2f, %.2f dB taken out on average\n", a->o.strength, r->denoise_db);
}

static void print_report(const dargs *a, const reel_dialogue_report *r)
{
    print_loud("before", &r->before);
    print_cleanup(a, r);
    if (r->before.seconds < 0.4) printf("  integrated loudness is undefined: shorter than 400 ms\n");
    if (r->note[0]) printf("  note: %s\n", r->note);
    if (!r->written) {
        if (isfinite(r->from)) printf("\n%s needs a gain of %+.2f dB (-o OUT.wav to write it)\n", a->o.preset.title, r->gain_db);
        return;
    }
    if (a->o.level)
        printf("\nleveling: speech spread %.1f LU -> %.1f LU (10th to 90th percentile), up to +%.1f / -%.1f dB",
               r->spread_before, r->spread_after, r->level_boost, r->level_cut);
    if (isfinite(a->o.preset.target))
        printf("\ngain %+.2f dB from the %s loudness; limiter: up to %.2f dB, %.2f s limited\n\n", r->gain_db,
               r->gated_used ? "dialogue-gated" : "programme", r->limiter_max_db + 0.0, r->limited_seconds);
    else
        printf("\nlevel kept (preset none): no gain, no limiter\n\n");
    print_loud("after", &r->after);
    printf("\nwrote %s\n", a->o.out);
}

int cmd_dialogue(int argc, char **argv)
{
    dargs a = {0};
    int rc = parse(argc, argv, &a);
    if (rc) return rc < 0 ? 0 : rc;
    const char *path = argv[optind];
    a.o.cancel = &g_cancel;
    if (isatty(2) && !g_cli.quiet) a.o.progress = on_progress;
    reel_err e = {0};
    reel_dialogue_report r;
    rc = reel_dialogue_process(path, &a.o, &r, &e);
    if (a.o.progress) fprintf(stderr, "\r%40s\r", "");
    if (rc) return cli_fail(&e);
    json_t *j = reel_dialogue_report_json(path, &a.o, &r);
    char *text = j ? json_dumps(j, JSON_INDENT(1) | JSON_REAL_PRECISION(6)) : NULL;
    json_decref(j);
    if (!text) return cli_fail(&(reel_err){REEL_ENOMEM, "out of memory"});
    if (a.report) rc = reel_write_atomic(a.report, text, strlen(text), &e);
    if (g_cli.json && text) printf("%s\n", text);
    else if (!g_cli.quiet) print_report(&a, &r);
    free(text);
    return rc ? cli_fail(&e) : 0;
}
