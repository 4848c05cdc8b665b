/* The `reel` command line: one function per command, sharing the flags parsed in main.c. The CLI
 * is a thin front end: every command calls library functions and prints their results. */
#ifndef REEL_CLI_H
#define REEL_CLI_H

#include "orch/orch.h"

enum { EXIT_OK = 0, EXIT_ERROR = 1, EXIT_USAGE = 2, EXIT_PARTIAL = 3, EXIT_BUSY = 4,
       EXIT_INTERRUPTED = 130 };

typedef struct cli_globals {
    int json;     /* JSON lines on stdout */
    int quiet;
    int verbose;
} cli_globals;
extern cli_globals g_cli;

int cmd_init(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_set(int argc, char **argv);
int cmd_agents(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_shots(int argc, char **argv);
int cmd_dialogue(int argc, char **argv);
int cmd_grade(int argc, char **argv);
int cmd_qc(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_script(int argc, char **argv);
int cmd_transcribe(int argc, char **argv);
int cmd_takes(int argc, char **argv);

/* Print "reel: error: msg" (or a JSON error line) and return the exit code for err code. */
int cli_fail(const reel_err *e);
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Load and scan a project folder, printing any error; 0 or an exit code. */
int cli_load(reel_project *p, const char *dir, int scan);
/* 1 when --help/-h is among argv. */
int cli_wants_help(int argc, char **argv);

/* Run a project with progress display; returns an exit code. */
int cli_run_project(reel_project *p, int threads, int wait_lock);

/* Progress display for reel_run events: bars on a TTY, plain lines otherwise, JSON with --json. */
typedef struct cli_progress cli_progress;
cli_progress *cli_progress_new(void);
void cli_progress_event(const reel_event *ev, void *opaque);
void cli_progress_free(cli_progress *p);

extern volatile int g_cancel;

#endif
