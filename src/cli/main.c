/* `reel`: command dispatch, global flags, the log sink and signal handling. */
#include "cli/cli.h"
#include "media/media.h"

#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

cli_globals g_cli;
volatile int g_cancel;

static const struct command {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} commands[] = {
    {"init", cmd_init, "create a project: reel init DIR --footage PATH [--screenplay FILE]"},
    {"plan", cmd_plan, "show the task graph a run would execute, with cost estimates"},
    {"run", cmd_run, "run the pipeline (resumes after a crash; cached work is not redone)"},
    {"status", cmd_status, "tasks done/pending/failed, cache use, CPU spent against the budget"},
    {"set", cmd_set, "change a scene variable: reel set DIR time_of_day=sunset"},
    {"agents", cmd_agents, "list the agents and their options: reel agents [NAME]"},
    {"probe", cmd_probe, "describe a media file: streams, codecs, size, rate, timecode"},
    {"ingest", cmd_ingest, "analyse one media file outside a project"},
    {"shots", cmd_shots, "shots and transitions of one file: table, --json, --edl, --otio"},
    {"dialogue", cmd_dialogue, "loudness of one file, normalised to a delivery preset (BWF)"},
    {"grade", cmd_grade, "colour of one file: shots matched, deflicker, a look (.cube, .ccc), render"},
    {"render", cmd_render, "conform the cut into the deliveries (a project), or files / an EDL into one file"},
    {"script", cmd_script, "how reel reads a Fountain screenplay: scenes, speakers, every element (--json)"},
    {"transcribe", cmd_transcribe, "words spoken in a clip with their times; --script scores the take"},
    {"takes", cmd_takes, "rank the takes of a scene: dialogue against the script, sound as recorded"},
    {"qc", cmd_qc, "check a file like a broadcaster's QC: spec, loudness, black, freeze, glitches, flashing"},
    {"demo", cmd_demo, "build a demo project from real media and run it end to end"},
};

static void usage(FILE *f)
{
    fprintf(f, "reel %s: an agentic post-production pipeline\n\n"
               "usage: reel [--json] [--quiet] [--verbose] COMMAND [ARGS]\n\ncommands:\n",
            REEL_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nA project is a folder with a reel.yaml brief. A typical session:\n"
               "  reel init myfilm --footage /path/to/rushes\n"
               "  reel plan myfilm && reel run myfilm\n"
               "  reel set myfilm time_of_day=sunset && reel run myfilm\n\n"
               "`reel COMMAND --help` explains each command. Exit status: 0 done, 1 error,\n"
               "2 usage, 3 finished with failed tasks, 4 project busy, 130 interrupted.\n");
}

static void log_sink(reel_log_level level, const char *msg, void *opaque)
{
    static const char *const names[] = {"error", "warning", "info", "debug"};
    if (g_cli.json) {
        json_t *o = json_pack("{s:s,s:s,s:s}", "type", "log", "level", names[level], "message", msg);
        char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(6));
        if (s) printf("%s\n", s);
        free(s);
        json_decref(o);
        fflush(stdout);
        return;
    }
    fprintf(stderr, "reel: %s: %s\n", names[level], msg);
}

int cli_fail(const reel_err *e)
{
    reel_log(REEL_LOG_ERROR, "%s", e->msg[0] ? e->msg : reel_strerror(e->code));
    switch (e->code) {
    case REEL_EBUSY: return EXIT_BUSY;
    case REEL_ECANCEL: return EXIT_INTERRUPTED;
    default: return EXIT_ERROR;
    }
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "reel %s: %s\n(see `reel %s --help`)\n", cmd, msg, cmd);
    return EXIT_USAGE;
}

int cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return 1;
    return 0;
}

int cli_load(reel_project *p, const char *dir, int scan)
{
    reel_err e = {0};
    int rc = reel_project_load(p, dir, reel_builtin_agents, &e);
    if (!rc && scan) rc = reel_project_scan(p, &e);
    if (!rc && scan && p->n_clips == 0)
        rc = reel_errf(&e, REEL_ENOTFOUND, "%s: no media files found in the footage (%s%s); reel "
                       "looks for .mov .mp4 .mxf .avi .mkv .mpg .wav and similar", p->brief_path,
                       p->footage[0], p->n_footage > 1 ? " ..." : "");
    if (rc) {
        reel_project_free(p);
        return cli_fail(&e);
    }
    return 0;
}

static void on_signal(int sig)
{
    if (g_cancel) { signal(sig, SIG_DFL); raise(sig); } /* second ^C: stop now */
    g_cancel = 1;
}

/* Global flags may stand anywhere on the line: take them out so commands never see them. */
static int take_globals(int argc, char **argv)
{
    int n = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--")) { while (i < argc) argv[n++] = argv[i++]; break; }
        if (!strcmp(argv[i], "--json")) g_cli.json = 1;
        else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) g_cli.quiet = 1;
        else if (!strcmp(argv[i], "--verbose")) g_cli.verbose = 1;
        else argv[n++] = argv[i];
    }
    argv[n] = NULL;
    return n;
}

int main(int argc, char **argv)
{
    reel_init();
    argc = take_globals(argc, argv);
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--version")) { printf("reel %s\n", REEL_VERSION); return 0; }
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) { usage(stdout); return 0; }
        else { fprintf(stderr, "reel: unknown option %s\n", argv[i]); usage(stderr); return EXIT_USAGE; }
    }
    if (i >= argc) { usage(stderr); return EXIT_USAGE; }
    reel_log_set_sink(log_sink, NULL, g_cli.verbose ? REEL_LOG_DEBUG : g_cli.quiet ? REEL_LOG_ERROR : REEL_LOG_INFO);
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    const char *name = argv[i];
    if (!strcmp(name, "help")) { usage(stdout); return 0; }
    for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++)
        if (!strcmp(commands[c].name, name)) return commands[c].fn(argc - i, argv + i);
    static const char *const planned[] = {"cut", "serve", NULL};
    for (int k = 0; planned[k]; k++)
        if (!strcmp(planned[k], name)) {
            fprintf(stderr, "reel %s: not built yet. The agents that exist today are listed by "
                            "`reel agents`.\n", name);
            return EXIT_ERROR;
        }
    fprintf(stderr, "reel: unknown command '%s'\n\n", name);
    usage(stderr);
    return EXIT_USAGE;
}
