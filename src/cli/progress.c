/* Progress display for a run: a redrawn status line with a bar on a TTY, one plain line per
 * finished task otherwise, and one JSON object per event with --json. */
#include "cli/cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SHOWN 3

struct cli_progress {
    int tty;
    int line_drawn;
    char running[MAX_SHOWN][96];
    double frac[MAX_SHOWN];
};

cli_progress *cli_progress_new(void)
{
    cli_progress *p = calloc(1, sizeof *p);
    if (p) p->tty = isatty(STDERR_FILENO) && !g_cli.json && !g_cli.quiet;
    return p;
}

void cli_progress_free(cli_progress *p)
{
    if (p && p->line_drawn) fprintf(stderr, "\r\033[K");
    free(p);
}

static void json_event(const reel_event *ev)
{
    json_t *o = json_pack("{s:s,s:s?,s:s?,s:s?,s:f,s:i,s:i}", "type", ev->type, "task", ev->task,
                          "agent", ev->agent, "clip", ev->clip, "progress", ev->progress, "done",
                          ev->done, "total", ev->total);
    if (ev->message) json_object_set_new(o, "message", json_string(ev->message));
    if (!strcmp(ev->type, "task_done")) {
        json_object_set_new(o, "cpu_s", json_real(ev->cpu_seconds));
        json_object_set_new(o, "wall_s", json_real(ev->wall_seconds));
    }
    char *s = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(6));
    if (s) printf("%s\n", s);
    free(s);
    json_decref(o);
    fflush(stdout);
}

static void track(cli_progress *p, const reel_event *ev)
{
    int slot = -1;
    for (int i = 0; i < MAX_SHOWN; i++)
        if (!strcmp(p->running[i], ev->task)) slot = i;
    int finished = strcmp(ev->type, "task_started") && strcmp(ev->type, "task_progress");
    if (finished) {
        if (slot >= 0) p->running[slot][0] = 0;
        return;
    }
    for (int i = 0; slot < 0 && i < MAX_SHOWN; i++)
        if (!p->running[i][0]) slot = i;
    if (slot < 0) return;
    snprintf(p->running[slot], sizeof p->running[slot], "%s", ev->task);
    p->frac[slot] = ev->progress;
}

static void draw(cli_progress *p, const reel_event *ev)
{
    char bar[21];
    int fill = ev->total ? ev->done * 20 / ev->total : 0;
    for (int i = 0; i < 20; i++) bar[i] = i < fill ? '#' : '.';
    bar[20] = 0;
    fprintf(stderr, "\r\033[K[%s] %d/%d", bar, ev->done, ev->total);
    for (int i = 0; i < MAX_SHOWN; i++)
        if (p->running[i][0]) fprintf(stderr, "  %.40s %3.0f%%", p->running[i], p->frac[i] * 100);
    p->line_drawn = 1;
    fflush(stderr);
}

static void line(cli_progress *p, const char *fmt, const reel_event *ev)
{
    if (p->line_drawn) fprintf(stderr, "\r\033[K");
    fprintf(stderr, fmt, ev->task, ev->message ? ev->message : "", ev->cpu_seconds);
    fprintf(stderr, "\n");
}

void cli_progress_event(const reel_event *ev, void *opaque)
{
    cli_progress *p = opaque;
    if (g_cli.json) { json_event(ev); return; }
    if (!ev->task) return;
    track(p, ev);
    const char *t = ev->type;
    if (!strcmp(t, "task_failed")) line(p, "failed   %s: %s", ev);
    else if (!strcmp(t, "task_warning")) line(p, "warning  %s: %s", ev);
    else if (!strcmp(t, "task_skipped")) line(p, "skipped  %s: %s", ev);
    else if (!g_cli.quiet && !strcmp(t, "task_done")) line(p, "done     %s%s (%.1f CPU s)", ev);
    else if (!g_cli.quiet && g_cli.verbose && !strcmp(t, "task_cached")) line(p, "cached   %s%s", ev);
    if (p->tty) draw(p, ev);
}
